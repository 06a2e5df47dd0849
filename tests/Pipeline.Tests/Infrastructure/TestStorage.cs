using Azure.Data.Tables;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Tests.Infrastructure;

/// <summary>
/// One Azurite for the whole test run (in memory, on free ports, from the repository's node_modules), started by the
/// first fixture that asks and stopped when the test process exits. Each fixture gets a storage account of its own,
/// so classes run in parallel without seeing each other's blobs, rows or messages: starting Azurite costs seconds of
/// CPU, an account nothing.
/// </summary>
public static class TestStorage
{
    /// <summary>More than the test classes that hold storage; a run that needs more says so rather than sharing one.</summary>
    public const int AccountCount = 128;

    // Azurite's published development key (not a secret), for every account: a test that writes a connection string by
    // hand needs only the account's name.
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly Lazy<Task<AzuriteProcess>> Azurite = new(StartAsync);
    private static int _taken;

    /// <summary>An account no other fixture of this run has had: its connection string.</summary>
    public static async Task<string> NewAccountAsync()
    {
        var azurite = await Azurite.Value;
        var n = Interlocked.Increment(ref _taken);
        if (n > AccountCount)
            throw new InvalidOperationException(
                $"All {AccountCount} storage accounts of the test run are taken: raise {nameof(TestStorage)}.{nameof(AccountCount)}.");
        return azurite.ConnectionStringFor(AccountName(n), Key);
    }

    private static string AccountName(int n) => $"test{n:D3}";

    private static async Task<AzuriteProcess> StartAsync()
    {
        var accounts = string.Join(";", Enumerable.Range(1, AccountCount).Select(n => $"{AccountName(n)}:{Key}"));
        var azurite = await AzuriteProcess.StartInMemoryAsync(new Dictionary<string, string>
        {
            ["AZURITE_ACCOUNTS"] = accounts,
            // Stops at once when disposed (nothing to save), and by itself if this process is killed before ProcessExit.
            ["NODE_OPTIONS"] = $"--require \"{Path.Combine(AppContext.BaseDirectory, "Infrastructure", "test-azurite.js")}\"",
        }, default);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => azurite.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return azurite;
    }

    /// <summary>
    /// Deletes everything of an account once its fixture is done, so that the one Azurite's memory holds only the data of
    /// the classes running now.
    /// </summary>
    public static async Task DeleteAllAsync(PipelineStorage storage)
    {
        var deletes = new List<Task>();
        await foreach (var c in storage.Blobs.GetBlobContainersAsync()) deletes.Add(storage.Blobs.DeleteBlobContainerAsync(c.Name));
        await foreach (var t in storage.Tables.QueryAsync()) deletes.Add(storage.Tables.DeleteTableAsync(t.Name));
        await foreach (var q in storage.Queues.GetQueuesAsync()) deletes.Add(storage.Queues.DeleteQueueAsync(q.Name));
        await Task.WhenAll(deletes);
    }
}
