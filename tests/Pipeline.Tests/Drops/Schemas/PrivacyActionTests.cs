using System.Text;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Drops.Schemas;

namespace YouthJustice.Pipeline.Tests.Drops.Schemas;

public sealed class PrivacyActionTests
{
    private static DropSchema Load(string action) => SchemaCatalogue.Parse(new MemoryStream(Encoding.UTF8.GetBytes($$"""
        { "name": "test-drop", "fields": [
            { "name": "upn", "type": "string", "x-privacy": { "action": "{{action}}", "domain": "education", "as": "pupil_id" } } ] }
        """)), "drops/test-drop.schema.json");

    [Fact]
    public void A_schema_with_a_privacy_action_the_gate_does_not_know_is_refused_when_it_loads_naming_the_file_and_the_known_actions()
    {
        var ex = Assert.Throws<InvalidDataException>(() => Load("blur"));
        Assert.Contains("drops/test-drop.schema.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'blur' is not a privacy action", ex.Message, StringComparison.Ordinal);
        Assert.Contains("pseudonymise, remove, age, date-of-birth, postcode-district", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pseudonymise", PrivacyAction.Pseudonymise, "pupil_id")]
    [InlineData("remove", PrivacyAction.Remove, null)]
    [InlineData("age", PrivacyAction.Age, CuratedLayout.Age)]
    [InlineData("date-of-birth", PrivacyAction.DateOfBirth, CuratedLayout.DateOfBirth)]
    [InlineData("postcode-district", PrivacyAction.PostcodeDistrict, CuratedLayout.PostcodeDistrict)]
    public void Each_action_is_read_as_written_and_says_what_curated_keeps(string written, PrivacyAction action, string? firstColumn)
    {
        var field = Load(written).Fields[0];
        Assert.Equal(action, field.Privacy!.Action);
        Assert.Equal(firstColumn, CuratedLayout.ColumnsOf(field).Select(c => c.Name).FirstOrDefault());
        Assert.DoesNotContain(CuratedLayout.ColumnsOf(field), c => c.Name == "upn");
    }
}
