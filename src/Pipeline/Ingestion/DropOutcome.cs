using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Drops.Validation;

namespace YouthJustice.Pipeline.Ingestion;

/// <summary>What row-level processing made of a drop: counts, findings and the staged curated files.</summary>
public sealed class DropOutcome : IAsyncDisposable
{
    public long RowsRead { get; set; }
    public long RowsAccepted { get; set; }
    public long RowsRejected { get; set; }
    public long RowsOutOfCohort { get; set; }
    public IReadOnlyList<string> FieldsNotShared { get; set; } = [];

    /// <summary>Set when the drop is refused whole; nothing of it is stored in curated.</summary>
    public RowError? Refusal { get; set; }

    public required ErrorLog Errors { get; init; }
    public List<StagedParquetFile> Files { get; } = [];

    public bool Refused => Refusal is not null;

    public async ValueTask DisposeAsync()
    {
        foreach (var f in Files) await f.DisposeAsync();
        await Errors.DisposeAsync();
    }
}
