using System.Text;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Linkage;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Ingestion;

/// <summary>A rule that crashes refuses the drop ("a rule that crashes quarantines the drop instead of passing it").</summary>
public sealed class RuleFailedTests
{
    [Fact]
    public async Task A_rule_that_cannot_run_refuses_the_drop_and_stages_nothing()
    {
        var schema = new DropSchema
        {
            Name = "test-type",
            Linkage = Linkages.None,
            Fields = [new DropField { Name = "a" }, new DropField { Name = "b" }],
            Rules = [new CrossFieldRule { Rule = "broken", Kind = "no-such-kind", Field = "a" }],
        };
        var context = TestData.RowPathContext(schema);

        await using var outcome = await new DropProcessor(SchemaCatalogue.Default, StagedParquetFile.DefaultStagingDirectory)
            .ProcessAsync(new MemoryStream(Encoding.UTF8.GetBytes("a,b\r\nx,y\r\n")), context, CohortIndex.Empty, default);

        Assert.Equal("rule-failed", outcome.Refusal?.Rule);
        Assert.Contains("nothing of this file was stored", outcome.Refusal!.Message);
        Assert.Empty(outcome.Files);
    }
}
