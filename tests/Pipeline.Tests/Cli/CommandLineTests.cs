using YouthJustice.Pipeline.Cli;

namespace YouthJustice.Pipeline.Tests.Cli;

/// <summary>Each verb's documented options parse (the README's commands); nothing is run.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("audit", "--since", "2026-03-01")]
    [InlineData("audit", "--since", "2026-03-01", "--until", "2026-03-31", "--subject", "drop-x", "--json")]
    [InlineData("retention")]
    [InlineData("retention", "--dry-run", "--as-of", "2027-01-01", "--json")]
    [InlineData("quality", "--provider", "p")]
    [InlineData("quality", "--provider", "p", "--period", "2026-Q2", "--json")]
    [InlineData("kpis", "--yot", "y", "--period", "2026-Q1", "--all")]
    [InlineData("kpis", "--yot", "y", "--period", "2026-Q1", "--suppressed", "--json")]
    [InlineData("kpis", "--yot", "y", "--period", "2026-Q1", "--publish", "--trend")]
    [InlineData("submit", "--period", "2026-Q2")]
    [InlineData("submit", "--period", "2026-Q2", "--yot", "yot-a", "--json")]
    public void The_verbs_parse(params string[] args) =>
        Assert.Empty(Program.BuildCommands(TextWriter.Null).Parse(args).Errors);

    [Fact]
    public void The_recompute_and_population_verbs_parse()
    {
        Assert.Empty(Program.BuildCommands(TextWriter.Null).Parse(["recompute", "--yot", "y", "--all"]).Errors);
        Assert.Empty(Program.BuildCommands(TextWriter.Null).Parse(["recompute", "--yot", "y", "--period", "2026-Q2"]).Errors);
        Assert.Empty(Program.BuildCommands(TextWriter.Null).Parse(["population", "load", "population.csv"]).Errors);
        Assert.Empty(Program.BuildCommands(TextWriter.Null).Parse(["population", "list", "--yot", "y"]).Errors);
    }
}
