using Azure;
using Azure.Storage.Blobs.Models;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Kpis.Data;

/// <summary>
/// A YOT's current view of one drop type: only the rows the KPI rules choose (the latest per identity, or the latest
/// drop per child), chosen within each key version, in one Parquet blob <c>current/yot={yot}/{dropType}.parquet</c> stamped with the drops
/// it folds in. A YOT re-sends its whole case extract every month; reading the view plus the drops committed since costs the
/// same in month 36 as in month 1, where reading every extract grew with each one.
/// <para>
/// The view is a cache of the committed drops, never a source: before each use it is compared with the ledger's
/// committed drops of the type. Drops committed since are folded in (the rules are associative: choosing from the
/// view's rows plus the new rows picks what choosing from every row would); a view that folds a drop the ledger no
/// longer counts (retention deleted its curated data), or written by another engine version or for other columns, is
/// rebuilt from every committed drop. So a KPI never reads a stale view, and a lost or failed view write costs only
/// time. Writes are conditional on the ETag read, so two workers folding at once cannot put an older view back; the
/// content is a function of the drops folded, so a repeated write is harmless.
/// </para>
/// <para>
/// Pseudonyms of two key versions never match, so the rules choose within each key version and never across: after a
/// rotation the old version's rows stay beside the new ones, as they do among the extracts, and the reader keeps only
/// the version of the YOT's latest children drop (<see cref="YotData"/>). Choosing again from the view's rows of one
/// version picks exactly what choosing from every extract's rows of that version would.
/// </para>
/// </summary>
internal static class CurrentView
{
    /// <summary>Changes whenever the view's layout or the choosing rules change, so old views are rebuilt, not misread.</summary>
    private const string Format = "current-view/2";

    private const string StampKey = "view_stamp";
    private const string FoldedKey = "folded_drops";

    /// <param name="purpose">Null for the KPI engine's view; another reader choosing other rows (linkage) names its own.</param>
    public static string BlobName(string yot, string dropType, string? purpose = null) =>
        purpose is null ? $"yot={yot}/{dropType}.parquet" : $"yot={yot}/{dropType}.{purpose}.parquet";

    /// <summary>The chosen rows of a drop type, from the view brought up to date with the committed drops.</summary>
    /// <param name="files">The committed curated files of the drop type (named by drop id).</param>
    /// <param name="choose">The drop type's rule: which rows are current, in a deterministic order.</param>
    /// <param name="purpose">Names a view of other columns or another rule than the KPI engine's (see <see cref="BlobName"/>).</param>
    public static async Task<CuratedRows> ReadAsync(PipelineStorage storage, string yot, string dropType, IReadOnlyList<string> files,
        string[] columns, Func<CuratedRows, IEnumerable<CuratedRows.Row>> choose, CancellationToken cancellationToken,
        string? purpose = null)
    {
        var all = CuratedRows.WithLayout(columns);
        var stamp = $"{Format}|{KpiEngine.Version}|{dropType}|{purpose}|{string.Join(",", all)}";
        var byDrop = files.GroupBy(f => Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var blob = storage.Container(StorageNames.CurrentContainer).GetBlobClient(BlobName(yot, dropType, purpose));

        var (view, folded, etag) = await TryReadAsync(blob, all, stamp, cancellationToken);
        if (view is not null && !folded.IsSubsetOf(byDrop.Keys)) (view, folded) = (null, []);
        var fresh = byDrop.Keys.Except(folded).Order(StringComparer.Ordinal).ToList();
        if (view is not null && fresh.Count == 0) return new CuratedRows(view);

        var added = await CuratedTable.ReadAsync(storage.Container(StorageNames.CuratedContainer), fresh.SelectMany(d => byDrop[d]), all,
            cancellationToken);
        var rows = new CuratedRows(view is null ? added : CuratedTable.Concat(view, added));
        var current = rows.Table.Take(rows.KeyVersions().Order(StringComparer.Ordinal)
            .SelectMany(v => choose(rows.InKeyVersion(v)).Select(r => r.Index)).ToList());

        using var content = new MemoryStream();
        await current.WriteAsync(content, new Dictionary<string, string>
        {
            [StampKey] = stamp,
            [FoldedKey] = string.Join(";", byDrop.Keys.Order(StringComparer.Ordinal)),
        }, cancellationToken);
        content.Position = 0;
        try
        {
            await blob.UploadAsync(content, new BlobUploadOptions
            {
                Conditions = etag is { } e ? new BlobRequestConditions { IfMatch = e }
                    : new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            // Another worker moved the view meanwhile; these rows are still right for the drops this worker read.
        }
        return new CuratedRows(current);
    }

    /// <summary>
    /// Forgets a YOT's view of a drop type, so the next read rebuilds it from the committed drops; what deleting
    /// curated data calls before the ledger stops counting the drop. A worker folding meanwhile cannot put the old
    /// view back: its write is conditional on the ETag it read.
    /// </summary>
    public static async Task InvalidateAsync(PipelineStorage storage, string yot, string dropType, CancellationToken cancellationToken)
    {
        var container = storage.Container(StorageNames.CurrentContainer);
        // Every purpose's view of the drop type: yot={yot}/{dropType}.parquet and yot={yot}/{dropType}.{purpose}.parquet.
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"yot={yot}/{dropType}.", cancellationToken))
            await container.GetBlobClient(blob.Name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots,
                cancellationToken: cancellationToken);
    }

    private static async Task<(CuratedTable? View, HashSet<string> Folded, ETag? ETag)> TryReadAsync(Azure.Storage.Blobs.BlobClient blob,
        string[] columns, string stamp, CancellationToken cancellationToken)
    {
        Response<BlobDownloadResult> response;
        try
        {
            response = await blob.DownloadContentAsync(cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return (null, [], null);
        }
        Hosting.PipelineMetrics.BlobRead(blob.BlobContainerName);
        var etag = response.Value.Details.ETag;
        await using var stream = response.Value.Content.ToStream();
        CuratedTable table;
        IReadOnlyDictionary<string, string> metadata;
        try
        {
            (table, metadata) = await CuratedTable.ReadAsync(stream, blob.Name, columns, cancellationToken);
        }
        catch (InvalidDataException)
        {
            // Written for other columns: rebuilt, and replaced on the ETag read.
            return (null, [], etag);
        }
        if (!metadata.TryGetValue(StampKey, out var stamped) || stamped != stamp) return (null, [], etag);
        var folded = (metadata.GetValueOrDefault(FoldedKey) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)
            .ToHashSet(StringComparer.Ordinal);
        return (table, folded, etag);
    }
}
