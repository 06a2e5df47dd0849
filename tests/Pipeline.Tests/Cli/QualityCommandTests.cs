using YouthJustice.Pipeline.Cli;
using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Quality;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Cli;

/// <summary><c>pipeline quality</c>'s exit codes: 2 for a malformed command and for a provider the pipeline does not know.</summary>
public sealed class QualityCommandTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{

    [Fact]
    public async Task An_unknown_provider_exits_2_with_a_message_and_stores_nothing()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await QualityCommand.ReportAsync(fixture.Pipeline.Get<QualityReporter>(), "no-such-provider", null, json: true, output,
            error, default);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("", output.ToString());
        Assert.Contains("'no-such-provider' is not a provider the pipeline knows", error.ToString());
        Assert.Empty(await fixture.BlobNamesAsync(StorageNames.ReportsContainer, "quality/no-such-provider/"));
    }
}
