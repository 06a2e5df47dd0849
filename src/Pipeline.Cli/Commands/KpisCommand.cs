using YouthJustice.Pipeline.Cli.Local;
using YouthJustice.Pipeline.Cli.Output;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;

namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary><c>pipeline kpis --yot ID --period YYYY-Qn [--json]</c>: the stored KPI results of one YOT and quarter.</summary>
public static class KpisCommand
{
    public static async Task<int> RunAsync(string yot, string period, bool json, TextWriter output, CancellationToken cancellationToken)
    {
        if (!Quarter.TryParse(period, out var quarter))
        {
            await Console.Error.WriteLineAsync($"'{period}' is not a quarter; write it as YYYY-Qn, e.g. 2026-Q2.");
            return ExitCodes.Usage;
        }
        await using var pipeline = await LocalPipeline.StartAsync(inMemory: false, cancellationToken: cancellationToken);
        var set = await pipeline.Get<KpiStore>().ReadAsync(yot, quarter.ToString(), cancellationToken)
            ?? await pipeline.Get<KpiEngine>().ComputeAsync(yot, quarter, cancellationToken);
        if (json) await output.WriteLineAsync(JsonOutput.Kpis(set));
        else KpiPrinter.Print(output, set);
        return ExitCodes.Success;
    }
}
