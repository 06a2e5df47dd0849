using System.Globalization;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Kpis;

namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline population load FILE</c>: loads the YOT areas' 10–17 population estimates (CSV: <c>yot,year,population,source</c>)
/// into table <c>Population</c> and recomputes every stored quarter whose rates now use a different figure.
/// <c>pipeline population list [--yot ID]</c> shows what is loaded. A file with any bad row is refused whole (exit 1,
/// every problem with its line); a YOT no agreement names is a usage error (exit 2) naming the known ones.
/// </summary>
public static class PopulationCommand
{
    public static async Task<int> LoadAsync(FileInfo file, TextWriter output, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            await Console.Error.WriteLineAsync($"No such file: {file.FullName}");
            return ExitCodes.Usage;
        }
        await using var pipeline = await LocalPipeline.StartAsync(inMemory: false, cancellationToken: cancellationToken);
        await using var content = file.OpenRead();
        return await LoadAsync(pipeline, content, output, Console.Error, cancellationToken);
    }

    /// <summary>The verb over a running pipeline: parse, check the YOTs, store, recompute. Tests and the demo call this.</summary>
    public static async Task<int> LoadAsync(LocalPipeline pipeline, Stream content, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<AreaPopulation> estimates;
        try
        {
            estimates = await AreaPopulationStore.ParseAsync(content, cancellationToken);
        }
        catch (InvalidPopulationFileException ex)
        {
            await error.WriteLineAsync("The population file was not loaded (nothing was stored):");
            foreach (var problem in ex.Problems) await error.WriteLineAsync($"  {problem}");
            await error.WriteLineAsync(
                $"Expected a header '{AreaPopulationStore.Header}' and one row per YOT and year, e.g. 'my-yot,2025,21400,ONS mid-2025 " +
                $"estimates'.");
            return ExitCodes.Refused;
        }

        var known = await KnownIds.YotsAsync(pipeline.Get<AgreementStore>(), cancellationToken);
        var resolved = new List<AreaPopulation>();
        foreach (var e in estimates)
        {
            if (KnownIds.Resolve(e.Yot, known) is not { } id)
            {
                await error.WriteLineAsync(KnownIds.Unknown("YOT", e.Yot, known) + " Nothing was stored.");
                return ExitCodes.Usage;
            }
            resolved.Add(e with { Yot = id });
        }

        var requests = await pipeline.Get<AreaPopulationStore>().LoadAsync(resolved, "pipeline population load", cancellationToken);
        var recomputed = await LocalQueueWorker.DrainAsync(pipeline.Storage, pipeline.Get<KpiRecomputer>(), cancellationToken);
        foreach (var e in resolved.OrderBy(e => e.Yot, StringComparer.Ordinal).ThenBy(e => e.Year))
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{e.Yot} {e.Year}: {e.Population:N0} children aged 10-17 ({e.Source})"));
        await output.WriteLineAsync(requests.Count == 0
            ? "No stored KPI results use a changed figure: nothing to recompute."
            : $"Recomputed {recomputed.Count} quarter(s) whose rates use a changed figure: " +
                $"{string.Join(", ", requests.Select(r => $"{r.Yot} {r.Period}"))}.");
        return ExitCodes.Success;
    }

    public static async Task<int> ListAsync(string? yot, TextWriter output, CancellationToken cancellationToken)
    {
        await using var pipeline = await LocalPipeline.StartAsync(inMemory: false, cancellationToken: cancellationToken);
        var known = await KnownIds.YotsAsync(pipeline.Get<AgreementStore>(), cancellationToken);
        var yots = known;
        if (yot is not null)
        {
            if (KnownIds.Resolve(yot, known) is not { } id)
            {
                await Console.Error.WriteLineAsync(KnownIds.Unknown("YOT", yot, known));
                return ExitCodes.Usage;
            }
            yots = [id];
        }
        await output.WriteLineAsync(AreaPopulationStore.Header);
        foreach (var y in yots)
            foreach (var e in (await KpiEngine.PopulationsAsync(pipeline.Storage, y, cancellationToken)).All)
                await output.WriteLineAsync(
                    Reporting.SafeCsv.Row([e.Yot, e.Year.ToString(CultureInfo.InvariantCulture),
                    e.Population.ToString(CultureInfo.InvariantCulture), e.Source]));
        return ExitCodes.Success;
    }
}
