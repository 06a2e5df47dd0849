using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Local.Demo;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Cli.Output;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline demo</c>: the main job in one command. Seeds the demo YOT's agreements and its area's population figures,
/// writes its synthetic drops, runs each through the gate, recomputes the KPIs the drops touched and prints receipts and the KPI table.
/// </summary>
public static class DemoCommand
{
    public static async Task<int> RunAsync(bool json, TextWriter output, CancellationToken cancellationToken)
    {
        await using var pipeline = await LocalPipeline.StartAsync(inMemory: false, cancellationToken: cancellationToken);
        var agreements = pipeline.Get<AgreementStore>();
        foreach (var a in DemoData.Agreements()) await agreements.UpsertAsync(a, cancellationToken);

        var folder = Path.Combine(RepositoryPaths.State, "demo");
        var drops = DemoData.Write(folder);
        // The population the rates per 10-17 population use: data, loaded the way a YOT loads its own.
        var populationFile = Path.Combine(folder, "population.csv");
        await File.WriteAllTextAsync(populationFile, DemoData.PopulationCsv, cancellationToken);
        await using (var population = File.OpenRead(populationFile))
            if (await PopulationCommand.LoadAsync(pipeline, population, TextWriter.Null, Console.Error,
                cancellationToken) != ExitCodes.Success)
                return ExitCodes.Infrastructure;
        if (!json)
            await output.WriteLineAsync($"Demo YOT '{DemoData.Yot}': {DemoData.Agreements().Count} agreements, {drops.Count} drops " +
                $"({drops.Sum(d => (long)d.Rows):N0} rows, {drops.Select(d => d.DropType).Distinct().Count()} drop types) written to " +
                    $"{folder}\n");

        var receipts = new List<Receipt>();
        foreach (var drop in drops)
        {
            var receipt = await IngestCommand.UploadAndIngestAsync(pipeline, drop.Path, drop.Provider, drop.DropType, cancellationToken);
            receipts.Add(receipt);
            if (json) continue;
            ReceiptPrinter.PrintShort(output, receipt);
        }

        await DrainInParallelAsync(pipeline, cancellationToken);
        var set = await pipeline.Get<KpiStore>().ReadAsync(DemoData.Yot, DemoData.Period.ToString(), cancellationToken)
            ?? await pipeline.Get<KpiEngine>().ComputeAsync(DemoData.Yot, DemoData.Period, cancellationToken);
        if (json)
        {
            await output.WriteLineAsync(JsonOutput.Kpis(set));
        }
        else
        {
            await output.WriteLineAsync();
            // Headlines with their breakdowns; every sub-measure is one command away (printed below).
            KpiPrinter.Print(output, set, breakdowns: true, all: false);
            await output.WriteLineAsync(
                $"\nEvery sub-measure: ./pipeline kpis --yot {DemoData.Yot} --period {DemoData.Period} --all; the last 8 quarters: " +
                $"--trend; as published (small numbers withheld): --suppressed.");
            await output.WriteLineAsync(
                $"\nCurated Parquet: container 'curated'; KPI results: kpis/yot={DemoData.Yot}/period={DemoData.Period}/kpis.parquet and " +
                $"table KpiResults.");
            await output.WriteLineAsync(
                "Run it again: every drop is recognised by its content and answered 'duplicate'. Start afresh with ./pipeline reset.");
        }
        await ReportCommand.WriteAsync(pipeline.Get<Reporting.BoardPackBuilder>(), DemoData.Yot, DemoData.Period,
            new FileInfo(Path.Combine(folder, "board-pack.html")),
            publish: false, json ? TextWriter.Null : output, Console.Error, cancellationToken);
        StateFolder.Tighten(folder);
        return receipts.Any(r => r.Status == ReceiptStatus.Rejected) ? ExitCodes.Refused : ExitCodes.Success;
    }

    /// <summary>
    /// <see cref="LocalQueueWorker.DrainAsync"/>, recomputing the quarters the demo's drops touched (a dozen: its case
    /// data covers two years and more) a few at a time, as the Functions host's queue trigger would.
    /// </summary>
    private static Task<IReadOnlyList<KpiRecomputeRequest>> DrainInParallelAsync(LocalPipeline pipeline,
        CancellationToken cancellationToken) =>
        LocalQueueWorker.DrainAsync(pipeline.Storage, pipeline.Get<KpiRecomputer>(), cancellationToken, parallelism: 4);
}
