using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Drops.Validation;
using YouthJustice.Pipeline.Linkage;

namespace YouthJustice.Pipeline.Ingestion;

/// <summary>What row-level processing made of a drop: counts, findings and the staged curated files.</summary>
public sealed class DropOutcome : IAsyncDisposable
{
    private RowCounts _rows;

    /// <summary>By reference, so that the row path counts in place: <c>outcome.Rows.Read++</c>.</summary>
    public ref RowCounts Rows => ref _rows;

    /// <summary>Education rows linked, by the key that linked them: <c>uln</c>, <c>upn</c>, <c>name-and-date-of-birth</c>.</summary>
    public SortedDictionary<string, long> LinkedBy { get; } = new(StringComparer.Ordinal);

    /// <summary>Share of accepted rows with a value, per optional column shared.</summary>
    public SortedDictionary<string, double> Completeness { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<string> RulesRun { get; set; } = [];
    public IReadOnlyList<(string Rule, string Reason)> RulesSkipped { get; set; } = [];
    public IReadOnlyList<string> FieldsNotShared { get; set; } = [];

    /// <summary>Set when the drop is refused whole; nothing of it is stored in curated.</summary>
    public RowError? Refusal { get; set; }

    public required ErrorLog Errors { get; init; }
    public List<StagedParquetFile> Files { get; } = [];

    public bool Refused => Refusal is not null;

    public void CountLink(LinkResult link)
    {
        var key = link switch
        {
            LinkResult.Uln => "uln",
            LinkResult.Upn => "upn",
            _ => "name-and-date-of-birth",
        };
        LinkedBy[key] = LinkedBy.GetValueOrDefault(key) + 1;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var f in Files) await f.DisposeAsync();
        await Errors.DisposeAsync();
    }
}
