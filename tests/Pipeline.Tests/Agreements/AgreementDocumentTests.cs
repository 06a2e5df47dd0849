using System.Text.Json.Nodes;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Agreements;

public sealed class AgreementDocumentTests
{
    private static string Json(Agreement a) => AgreementDocument.Serialize(a);

    [Fact]
    public void A_valid_agreement_round_trips()
    {
        var a = TestData.Agreement("school-doc", "yot-doc", ["school-attendance"],
            aliases: new Dictionary<string, string> { ["UPN"] = "upn" });
        var back = AgreementDocument.Parse(Json(a), "test");
        Assert.Equal(a.Id, back.Id);
        Assert.Equal("upn", back.DropTypes[0].HeaderAliases!["UPN"]);
    }

    [Fact]
    public void Problems_are_all_named()
    {
        var a = TestData.Agreement("School Doc", "yot-doc", ["school-attendance"], from: new DateOnly(2027, 1, 1),
            to: new DateOnly(2026, 1, 1)) with
        {
            DropTypes = [new AgreedDropType { DropType = "school-attendance", Columns = ["upn", "shoe_size"] },
                new AgreedDropType { DropType = "tea-rota", Columns = ["x"] }],
        };
        var ex = Assert.Throws<InvalidAgreementException>(() => AgreementDocument.Parse(Json(a), "bad.json"));
        Assert.Contains(ex.Problems, p => p.StartsWith("provider.id", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("validTo", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("'shoe_size' is not a column", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("'tea-rota' is not a known drop type", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("required column", StringComparison.Ordinal));
    }

    [Fact]
    public void The_published_schema_requires_what_the_code_requires()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "schemas", "agreement.schema.json")))!;
        var required = schema["required"]!.AsArray().Select(n => n!.GetValue<string>()).Order().ToList();
        var codeRequired = typeof(Agreement).GetProperties()
            .Where(p => p.GetCustomAttributes(typeof(System.Runtime.CompilerServices.RequiredMemberAttribute), false).Length > 0)
            .Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..]).Order().ToList();
        Assert.Equal(required, codeRequired);
        Assert.Equal(["board-secretariat", "college", "school", "yot"],
            schema["properties"]!["provider"]!["properties"]!["kind"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()).Order());
    }
}
