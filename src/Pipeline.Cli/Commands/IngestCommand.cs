using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Cli.Output;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary><c>pipeline ingest FILE --provider ID --type DROPTYPE [--json]</c>: upload one drop, process it, print its receipt.</summary>
public static class IngestCommand
{
    public static async Task<int> RunAsync(FileInfo file, string provider, string dropType, bool json, TextWriter output,
        CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            await Console.Error.WriteLineAsync($"No such file: {file.FullName}");
            return ExitCodes.Usage;
        }
        try
        {
            DropIngestor.ParsePath(BlobName(file.FullName, provider, dropType));
        }
        catch (InvalidDropPathException ex)
        {
            // Checked before storage starts: an upload the ingestor would refuse to read must not be left in drops/.
            await Console.Error.WriteLineAsync(ex.Message);
            return ExitCodes.Usage;
        }
        await using var pipeline = await LocalPipeline.StartAsync(inMemory: false, cancellationToken: cancellationToken);
        // The drop goes to drops/{provider}/…, so the provider is spelt as its agreement spells it; a provider no
        // agreement names is refused here, before anything is uploaded under a name nobody knows.
        var known = await KnownIds.ProvidersAsync(pipeline.Get<Agreements.AgreementStore>(), cancellationToken);
        if (KnownIds.Resolve(provider, known) is not { } id)
        {
            await Console.Error.WriteLineAsync(KnownIds.Unknown("provider", provider, known));
            return ExitCodes.Usage;
        }
        var receipt = await UploadAndIngestAsync(pipeline, file.FullName, id, dropType, cancellationToken);
        await LocalQueueWorker.DrainAsync(pipeline.Storage, pipeline.Get<KpiRecomputer>(), cancellationToken);
        if (json) await output.WriteLineAsync(ReceiptJson.Serialize(receipt));
        else ReceiptPrinter.Print(output, receipt);
        return receipt.Status == ReceiptStatus.Rejected ? ExitCodes.Refused : ExitCodes.Success;
    }

    /// <summary>Uploads a file to drops/{provider}/{dropType}/{name}, as a provider would, and runs the IngestDrop stage on it.</summary>
    public static async Task<Receipt> UploadAndIngestAsync(LocalPipeline pipeline, string path, string provider, string dropType,
        CancellationToken cancellationToken)
    {
        var blobName = BlobName(path, provider, dropType);
        DropIngestor.ParsePath(blobName);
        // Checked before the upload too: with the wrong key configured, nothing at all is stored.
        await pipeline.Get<Pseudonymiser>().VerifyAsync(cancellationToken);
        await using (var content = File.OpenRead(path))
            await pipeline.Storage.Container(StorageNames.DropsContainer).GetBlobClient(blobName)
                .UploadAsync(content, overwrite: true, cancellationToken);
        return await pipeline.Get<DropIngestor>().IngestAsync(blobName, cancellationToken);
    }

    private static string BlobName(string path, string provider, string dropType) => $"{provider}/{dropType}/{Path.GetFileName(path)}";
}
