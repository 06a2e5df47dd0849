using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Cli.Output;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Privacy;

namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary>What <c>pipeline kpis</c> was asked for.</summary>
/// <param name="All">Every KPI with its sub-measures (default: the headlines).</param>
/// <param name="Suppressed">Apply disclosure control first: the figures as they may leave the YOT.</param>
/// <param name="Trend">The last 8 quarters up to the period, headlines side by side.</param>
public sealed record KpisRequest(string Yot, string Period, bool Json = false, bool All = false, bool Suppressed = false,
    bool Trend = false);

/// <summary>
/// <c>pipeline kpis --yot ID --period YYYY-Qn [--all] [--suppressed|--publish] [--trend] [--json]</c>: the stored KPI
/// results of one YOT and quarter (recomputed first if a recompute is outstanding; computed on the spot if none are
/// stored yet), or its trend over 8 quarters. Without <c>--suppressed</c> the figures are the YOT analyst's own,
/// unsuppressed. The YOT id is matched ignoring case; one no agreement names, or a quarter no drop of the YOT touches,
/// is a usage error (exit 2), never a table of empty cells.
/// </summary>
public static class KpisCommand
{
    public const int TrendQuarters = 8;

    public static async Task<int> RunAsync(KpisRequest request, TextWriter output, CancellationToken cancellationToken)
    {
        await using var pipeline = await LocalPipeline.StartAsync(inMemory: false, cancellationToken: cancellationToken);
        return await ShowAsync(pipeline.Get<KpiStore>(), pipeline.Get<KpiRecomputer>(), pipeline.Get<IOptions<DisclosureOptions>>().Value,
            request, output, Console.Error, cancellationToken,
                await KnownIds.YotsAsync(pipeline.Get<Agreements.AgreementStore>(), cancellationToken));
    }

    /// <summary>
    /// The verb over a running pipeline. Tests call this with their own storage. A quarter whose recompute was asked for
    /// and not done (a worker died, or the queue has not got to it) is recomputed here first: stale figures are never shown.
    /// </summary>
    /// <param name="knownYots">The YOTs the agreements name, to match <see cref="KpisRequest.Yot"/> against; null to take it as
    /// given.</param>
    public static async Task<int> ShowAsync(KpiStore store, KpiRecomputer recomputer, DisclosureOptions disclosure, KpisRequest request,
        TextWriter output, TextWriter error, CancellationToken cancellationToken, IReadOnlyList<string>? knownYots = null)
    {
        if (!Quarter.TryParse(request.Period, out var quarter))
        {
            await error.WriteLineAsync(Quarter.NotAQuarter(request.Period));
            return ExitCodes.Usage;
        }
        if (knownYots is not null)
        {
            if (KnownIds.Resolve(request.Yot, knownYots) is not { } yot)
            {
                await error.WriteLineAsync(KnownIds.Unknown("YOT", request.Yot, knownYots));
                return ExitCodes.Usage;
            }
            request = request with { Yot = yot };
        }
        KpiSet Release(KpiSet s) => request.Suppressed ? DisclosureControl.Apply(s, disclosure) : s;

        if (request.Trend)
        {
            await recomputer.RecoverAsync(request.Yot, cancellationToken);
            var sets = (await store.TrendAsync(request.Yot, quarter, TrendQuarters, cancellationToken)).Select(Release).ToList();
            if (request.Json) await output.WriteLineAsync(JsonOutput.Trend(request.Yot, sets, request.Suppressed));
            else KpiPrinter.PrintTrend(output, request.Yot, sets, request.All);
            return ExitCodes.Success;
        }

        var stored = await store.ReadAsync(request.Yot, quarter.ToString(), cancellationToken);
        var computed = await recomputer.CurrentAsync(request.Yot, quarter, cancellationToken);
        if (stored is null && computed.SourceDrops.Count == 0)
        {
            await error.WriteLineAsync(
                $"No data for {request.Yot} in {quarter}: no drop of the YOT or its partners touches that quarter, so there are no " +
                $"figures to show.");
            return ExitCodes.Usage;
        }
        var set = Release(computed);
        if (request.Json) await output.WriteLineAsync(JsonOutput.Kpis(request.All ? set
            : set with { Kpis = set.Kpis.Where(k => KpiCatalogue.IsHeadline(k.Id)).ToList() }, request.Suppressed));
        else KpiPrinter.Print(output, set, all: request.All);
        return ExitCodes.Success;
    }
}
