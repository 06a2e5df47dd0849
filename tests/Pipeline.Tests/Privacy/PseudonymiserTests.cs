using System.Text;
using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Privacy;

/// <summary>The pseudonymiser and its options on their own, without storage (the key check is in <c>KeyCheckTests</c>).</summary>
public sealed class PseudonymiserTests
{
    [Fact]
    public void Pseudonyms_are_keyed_stable_and_separate_per_domain()
    {
        static Pseudonymiser With(string key) => new(Options.Create(new PseudonymisationOptions { Key = key }));
        var a = With(PipelineFixture.TestKey);
        var b = With(Pseudonymiser.NewKey());
        var upn = TestData.Upn(1);
        Assert.Equal(a.Pseudonym("education-upn", upn), With(PipelineFixture.TestKey).Pseudonym("education-upn", upn));
        Assert.NotEqual(a.Pseudonym("education-upn", upn), b.Pseudonym("education-upn", upn));
        Assert.NotEqual(a.Pseudonym("education-upn", upn), a.Pseudonym("yot-case-ref", upn));
        // Not a bare hash: anyone can compute SHA-256 of a UPN, nobody without the key can compute this.
        var bare = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(upn)))[..32];
        Assert.NotEqual(bare, a.Pseudonym("education-upn", upn));
    }

    [Fact]
    public void The_key_is_never_shown_by_its_options()
    {
        var options = new PseudonymisationOptions { Key = PipelineFixture.TestKey };
        Assert.DoesNotContain(PipelineFixture.TestKey, options.ToString());
    }

    [Theory]
    [InlineData("v/1")]
    [InlineData("")]
    [InlineData("v1#2")]
    public void A_version_label_that_cannot_name_a_stored_check_value_is_refused(string version) =>
        Assert.Throws<InvalidOperationException>(() =>
            new Pseudonymiser(Options.Create(new PseudonymisationOptions { Key = PipelineFixture.TestKey, KeyVersion = version })));
}
