using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Cli.Demo;
using YouthJustice.Pipeline.Cli.Local;
using YouthJustice.Pipeline.Cli.Output;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;

namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline demo</c>: the main job in one command. Seeds the demo YOT's agreements, writes its synthetic drops,
/// runs each through the gate, recomputes the KPIs the drops touched and prints receipts and the KPI table.
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
        if (!json) await output.WriteLineAsync($"Demo YOT '{DemoData.Yot}': {DemoData.Agreements().Count} agreements, {drops.Count} drops written to {folder}\n");

        var receipts = new List<Receipt>();
        foreach (var drop in drops)
        {
            var receipt = await IngestCommand.UploadAndIngestAsync(pipeline, drop.Path, drop.Provider, drop.DropType, cancellationToken);
            receipts.Add(receipt);
            if (json) continue;
            ReceiptPrinter.Print(output, receipt, maxErrors: 3);
            await output.WriteLineAsync();
        }

        await LocalQueueWorker.DrainAsync(pipeline.Storage, pipeline.Get<KpiRecomputer>(), cancellationToken);
        var set = await pipeline.Get<KpiStore>().ReadAsync(DemoData.Yot, DemoData.Period.ToString(), cancellationToken)
            ?? await pipeline.Get<KpiEngine>().ComputeAsync(DemoData.Yot, DemoData.Period, cancellationToken);
        if (json)
        {
            await output.WriteLineAsync(JsonOutput.Kpis(set));
        }
        else
        {
            KpiPrinter.Print(output, set);
            await output.WriteLineAsync($"\nCurated Parquet: container 'curated'; KPI results: kpis/yot={DemoData.Yot}/period={DemoData.Period}/kpis.parquet and table KpiResults.");
            await output.WriteLineAsync("Run it again: every drop is recognised by its content and answered 'duplicate'. Start afresh with ./pipeline reset.");
        }
        return receipts.Any(r => r.Status == ReceiptStatus.Rejected) ? ExitCodes.Refused : ExitCodes.Success;
    }
}
