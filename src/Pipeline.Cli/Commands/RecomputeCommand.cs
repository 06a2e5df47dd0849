using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;

namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline recompute --yot ID (--period YYYY-Qn | --all)</c>: recomputes a YOT's KPI results on demand — after a fix
/// to the engine, a change of key or of population figures — through the same entry point the <c>kpi-recompute</c>
/// queue trigger calls. <c>--all</c> is every quarter the YOT has stored results for. Exit 2 for a malformed command or
/// an unknown YOT.
/// </summary>
public static class RecomputeCommand
{
    public static async Task<int> RunAsync(string yot, string? period, bool all, TextWriter output, CancellationToken cancellationToken)
    {
        // The option's validator has refused anything that is not a quarter.
        Quarter? quarter = period is null ? null : Quarter.Parse(period);
        if ((quarter is null) == !all)
        {
            await Console.Error.WriteLineAsync(
                "Give either --period YYYY-Qn (one quarter) or --all (every quarter with stored results), not both.");
            return ExitCodes.Usage;
        }
        await using var pipeline = await LocalPipeline.StartAsync(inMemory: false, cancellationToken: cancellationToken);
        return await RecomputeAsync(pipeline.Get<AgreementStore>(), pipeline.Get<KpiStore>(), pipeline.Get<KpiRecomputer>(), yot, quarter,
            output, Console.Error, cancellationToken);
    }

    /// <summary>The verb over a running pipeline. Tests call this with their own storage.</summary>
    public static async Task<int> RecomputeAsync(AgreementStore agreements, KpiStore store, KpiRecomputer recomputer, string yot,
        Quarter? quarter,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var known = await KnownIds.YotsAsync(agreements, cancellationToken);
        if (KnownIds.Resolve(yot, known) is not { } id)
        {
            await error.WriteLineAsync(KnownIds.Unknown("YOT", yot, known));
            return ExitCodes.Usage;
        }
        IReadOnlyList<Quarter> quarters = quarter is { } one ? [one] : await store.PeriodsAsync(id, cancellationToken);
        if (quarters.Count == 0)
        {
            await error.WriteLineAsync($"{id} has no stored KPI results to recompute; name a quarter with --period YYYY-Qn.");
            return ExitCodes.Usage;
        }
        foreach (var q in quarters)
        {
            var set = await recomputer.RecomputeAsync(new KpiRecomputeRequest(id, q.ToString()), cancellationToken);
            await output.WriteLineAsync(
                $"{id} {q}: {set.Kpis.Count} KPI results from {set.SourceDrops.Count} drop(s), {set.EngineVersion}");
        }
        return ExitCodes.Success;
    }
}
