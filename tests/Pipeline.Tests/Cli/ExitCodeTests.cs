using YouthJustice.Pipeline.Cli;
using YouthJustice.Pipeline.Cli.Commands;

namespace YouthJustice.Pipeline.Tests.Cli;

/// <summary>
/// The runner's exit codes are a contract scripts rely on (the runner's contract in the README). A usage error exits
/// before storage is started, so none of these needs any.
/// </summary>
public sealed class ExitCodeTests
{
    [Theory]
    [InlineData("kpis", "--yot", "x")]                 // --period missing
    [InlineData("ingest", "file.csv", "--type", "school-attendance")] // --provider missing
    [InlineData("no-such-verb")]
    [InlineData("audit")]                                             // --since missing
    [InlineData("audit", "--since", "2026-13-01")]                    // not a date
    [InlineData("audit", "--since", "2026-03-02", "--until", "2026-03-01")]
    [InlineData("retention", "--as-of", "next week")]
    [InlineData("quality")]                                               // --provider missing
    [InlineData("quality", "--provider", "p", "--period", "2026-Q5")]     // not a quarter
    [InlineData("quality", "--provider", "a/b")]                          // not a provider id
    [InlineData("recompute", "--yot", "y")]                                        // neither --period nor --all
    [InlineData("recompute", "--yot", "y", "--period", "2026-Q2", "--all")]        // both
    [InlineData("recompute", "--yot", "y", "--period", "2026-Q5")]                 // not a quarter
    [InlineData("population", "load", "/no/such/population.csv")]
    public async Task Usage_errors_exit_2(params string[] args) =>
        Assert.Equal(ExitCodes.Usage, await Program.Main(args));

    // Refused by the option itself, before any storage starts: these exit 2 on a machine with no storage at all.
    [Theory]
    [InlineData("kpis", "--yot", "x", "--period", "2026-Q5")]
    [InlineData("report", "--yot", "x", "--period", "Q2-2026", "--out", "pack.html")]
    [InlineData("submit", "--period", "2026Q2")]
    [InlineData("quality", "--provider", "school-x", "--period", "2026-Q0")]
    [InlineData("recompute", "--yot", "x", "--period", "26-Q1")]
    public async Task A_malformed_quarter_is_a_usage_error(params string[] args) =>
        Assert.Equal(ExitCodes.Usage, await Program.Main(args));

    [Fact]
    public async Task A_missing_file_is_a_usage_error() =>
        Assert.Equal(ExitCodes.Usage,
            await Program.Main(["ingest", "/no/such/file.csv", "--provider", "p", "--type", "school-attendance"]));

    [Fact]
    public async Task A_period_that_is_not_a_quarter_exits_2() =>
        Assert.Equal(ExitCodes.Usage, await Program.Main(["submit", "--period", "2026-Q5"]));
}
