using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Curated;

/// <summary>
/// The curated files that count for one YOT: those the <c>Drops</c> ledger lists on its committed, accepted drops
/// whose curated data retention has not deleted. Every reader of curated data (linkage, the KPI engine, the quarters a
/// drop touches) starts here, never from a blob listing: a crashed attempt's files sit under the same prefixes.
/// </summary>
public sealed class CommittedCurated
{
    private readonly string _yot;
    private readonly IReadOnlyList<string> _blobs;

    private CommittedCurated(string yot, IReadOnlyList<string> blobs) => (_yot, _blobs) = (yot, blobs);

    /// <summary>The committed files, in blob-name order.</summary>
    public IReadOnlyList<string> All => _blobs;

    public static async Task<CommittedCurated> LoadAsync(PipelineStorage storage, string yot, CancellationToken cancellationToken)
    {
        var rows = await new DropLedger(storage).CommittedForYotAsync(yot, cancellationToken);
        return new CommittedCurated(yot, rows.SelectMany(DropLedger.CuratedBlobsOf).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>The committed files of a drop type.</summary>
    public IReadOnlyList<string> Of(string dropType) => Under(CuratedLayout.DropTypePrefix(dropType, _yot));

    /// <summary>The committed files of a drop type for one quarter.</summary>
    public IReadOnlyList<string> Of(string dropType, Quarter period) => Under(CuratedLayout.PartitionPrefix(dropType, _yot, period));

    private List<string> Under(string prefix) => _blobs.Where(b => b.StartsWith(prefix, StringComparison.Ordinal)).ToList();
}
