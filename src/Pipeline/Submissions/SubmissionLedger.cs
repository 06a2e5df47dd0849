using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Submissions;

/// <summary>One version of a YOT's return for a quarter, as the ledger holds it.</summary>
public sealed record SubmissionEntry
{
    public required string Yot { get; init; }
    public required string Period { get; init; }
    public required int Version { get; init; }

    /// <summary><see cref="SubmissionStates.Built"/> for the current version, <see cref="SubmissionStates.Superseded"/> once
    /// replaced.</summary>
    public required string State { get; init; }

    /// <summary>What the latest run for this YOT and quarter found: <c>built</c> (it wrote this version) or <c>unchanged</c>.</summary>
    public required string LastRun { get; init; }

    public required string ContentHash { get; init; }
    public required DateTimeOffset BuiltAt { get; init; }
    public DateTimeOffset? CheckedAt { get; init; }
    public int? Supersedes { get; init; }
    public int? SupersededBy { get; init; }

    /// <summary>Cell ids whose state or figures changed from the version before (never values).</summary>
    public IReadOnlyList<string> Changed { get; init; } = [];

    /// <summary>Why: the source drops that were not behind the version before.</summary>
    public IReadOnlyList<string> NewDrops { get; init; } = [];

    public required string ReturnBlob { get; init; }
    public required string CsvBlob { get; init; }
    public required string ManifestBlob { get; init; }
    public IReadOnlyList<string> Blobs => [ReturnBlob, CsvBlob, ManifestBlob];
}

/// <summary>
/// The <c>Submissions</c> table: PartitionKey <c>{yot}|{period}</c>, RowKey <c>v{n:0000}</c>, one row per version of a
/// return. The state of each return (built, superseded) and what the last run found (built, unchanged) are queryable.
/// </summary>
public sealed class SubmissionLedger(PipelineStorage storage)
{
    // A table property holds up to 64 KiB; lists longer than this are cut, with the count kept in full.
    private const int MaxListed = 500;
    private readonly TableClient _table = storage.Table(StorageNames.SubmissionsTable);

    public static string PartitionKey(string yot, string period) => $"{yot}|{period}";
    public static string RowKey(int version) => $"v{version:0000}";

    /// <summary>Every version of a YOT's return for a quarter, oldest first.</summary>
    public async Task<IReadOnlyList<SubmissionEntry>> ListAsync(string yot, string period, CancellationToken cancellationToken = default)
    {
        var list = new List<SubmissionEntry>();
        await foreach (var e in _table.QueryAsync<TableEntity>(e => e.PartitionKey == PartitionKey(yot, period),
            cancellationToken: cancellationToken))
            list.Add(FromEntity(yot, period, e));
        return list.OrderBy(e => e.Version).ToList();
    }

    /// <summary>Every return of a quarter, all YOTs (one scan of the table, filtered to the period's partitions).</summary>
    public async Task<IReadOnlyList<SubmissionEntry>> ForPeriodAsync(string period, CancellationToken cancellationToken = default)
    {
        var list = new List<SubmissionEntry>();
        var suffix = "|" + period;
        await foreach (var e in _table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
            if (e.PartitionKey.EndsWith(suffix, StringComparison.Ordinal))
                list.Add(FromEntity(e.PartitionKey[..^suffix.Length], period, e));
        return list.OrderBy(e => e.Yot, StringComparer.Ordinal).ThenBy(e => e.Version).ToList();
    }

    /// <summary>Adds a new version's row; false when another run added that version first.</summary>
    public async Task<bool> AddAsync(SubmissionEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await _table.AddEntityAsync(ToEntity(entry), cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public Task MarkSupersededAsync(string yot, string period, int version, int by, CancellationToken cancellationToken) =>
        _table.UpdateEntityAsync(new TableEntity(PartitionKey(yot, period), RowKey(version))
        {
            ["State"] = SubmissionStates.Superseded,
            ["SupersededBy"] = by,
        }, ETag.All, TableUpdateMode.Merge, cancellationToken);

    /// <summary>Records that a run found the current version's meaning unchanged (no new version, no new blobs).</summary>
    public Task MarkUnchangedAsync(string yot, string period, int version, DateTimeOffset at, CancellationToken cancellationToken) =>
        _table.UpdateEntityAsync(new TableEntity(PartitionKey(yot, period), RowKey(version))
        {
            ["LastRun"] = SubmissionStates.Unchanged,
            ["CheckedAt"] = at,
        }, ETag.All, TableUpdateMode.Merge, cancellationToken);

    private static TableEntity ToEntity(SubmissionEntry e) => new(PartitionKey(e.Yot, e.Period), RowKey(e.Version))
    {
        ["Version"] = e.Version,
        ["State"] = e.State,
        ["LastRun"] = e.LastRun,
        ["ContentHash"] = e.ContentHash,
        ["BuiltAt"] = e.BuiltAt,
        ["CheckedAt"] = e.CheckedAt,
        ["Supersedes"] = e.Supersedes,
        ["SupersededBy"] = e.SupersededBy,
        ["Changed"] = JsonSerializer.Serialize(e.Changed.Take(MaxListed)),
        ["ChangedCount"] = e.Changed.Count,
        ["NewDrops"] = JsonSerializer.Serialize(e.NewDrops.Take(MaxListed)),
        ["NewDropCount"] = e.NewDrops.Count,
        ["ReturnBlob"] = e.ReturnBlob,
        ["CsvBlob"] = e.CsvBlob,
        ["ManifestBlob"] = e.ManifestBlob,
    };

    private static SubmissionEntry FromEntity(string yot, string period, TableEntity e) => new()
    {
        Yot = yot,
        Period = period,
        Version = e.GetInt32("Version") ?? int.Parse(e.RowKey.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture),
        State = e.GetString("State") ?? SubmissionStates.Built,
        LastRun = e.GetString("LastRun") ?? SubmissionStates.Built,
        ContentHash = e.GetString("ContentHash") ?? "",
        BuiltAt = e.GetDateTimeOffset("BuiltAt") ?? default,
        CheckedAt = e.GetDateTimeOffset("CheckedAt"),
        Supersedes = e.GetInt32("Supersedes"),
        SupersededBy = e.GetInt32("SupersededBy"),
        Changed = JsonSerializer.Deserialize<List<string>>(e.GetString("Changed") ?? "[]") ?? [],
        NewDrops = JsonSerializer.Deserialize<List<string>>(e.GetString("NewDrops") ?? "[]") ?? [],
        ReturnBlob = e.GetString("ReturnBlob") ?? "",
        CsvBlob = e.GetString("CsvBlob") ?? "",
        ManifestBlob = e.GetString("ManifestBlob") ?? "",
    };
}
