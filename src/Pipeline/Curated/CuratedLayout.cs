using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Periods;

namespace YouthJustice.Pipeline.Curated;

/// <summary>The columns and blob paths of curated data (ARCHITECTURE.md §3).</summary>
public static class CuratedLayout
{
    public const string DropId = "drop_id";
    public const string ReceivedAt = "received_at";
    public const string Line = "line";
    public const string Yot = "yot";
    public const string ChildId = "child_id";
    public const string KeyVersion = "key_version";
    public const string Age = "age";
    /// <summary>
    /// The full date of birth, on the YOT's own children only (privacy action <c>date-of-birth</c>): ages in completed
    /// years on an order's start or end, or on 31 August, cannot be judged from less. Never copied into anything that
    /// leaves curated: the KPI engine turns it into ages and age bands.
    /// </summary>
    public const string DateOfBirth = "date_of_birth";
    public const string PostcodeDistrict = "postcode_district";
    /// <summary>The name + date-of-birth linkage key's pseudonym, on the YOT's children only.</summary>
    public const string PersonKey = "person_key";

    /// <summary>curated/{dropType}/yot={yot}/period={YYYY-Qn}/{dropId}.parquet (blob name within the container).</summary>
    public static string BlobName(string dropType, string yot, Quarter period, string dropId) =>
        $"{PartitionPrefix(dropType, yot, period)}{dropId}.parquet";

    public static string PartitionPrefix(string dropType, string yot, Quarter period) => $"{dropType}/yot={yot}/period={period}/";

    public static string DropTypePrefix(string dropType, string yot) => $"{dropType}/yot={yot}/";

    /// <summary>
    /// Values the same for every row of a file, kept once in its Parquet key-value metadata rather than in a column
    /// (writing them per row cost a sixth of ingest time). The path carries them too: yot= and period= as Hive
    /// partitions, the drop id as the file name; <see cref="CuratedTable"/> reads them back as columns.
    /// </summary>
    public static IReadOnlyList<string> FileMetadata { get; } = [DropId, ReceivedAt, Yot, KeyVersion];

    /// <summary>
    /// The fixed column set of a drop type's curated files: the source line and the linked child, then each schema
    /// field as the gate leaves it (pseudonymised, generalised, or as sent). Columns an agreement does not share
    /// are null, so every file of a drop type has one schema and DuckDB/Power BI can union them.
    /// </summary>
    public static IReadOnlyList<(string Name, ColumnKind Kind)> Columns(DropSchema schema)
    {
        var columns = new List<(string, ColumnKind)> { (Line, ColumnKind.Integer), (ChildId, ColumnKind.Text) };
        if (schema.PersonKey) columns.Add((PersonKey, ColumnKind.Text));
        foreach (var f in schema.Fields) columns.AddRange(ColumnsOf(f));
        return columns;
    }

    /// <summary>
    /// What a field becomes in curated storage once the gate has minimised it: itself, as sent, when it has no privacy
    /// action; otherwise what its action keeps (nothing for <c>remove</c>; the child's pseudonym goes to <see cref="ChildId"/>).
    /// </summary>
    public static IReadOnlyList<(string Name, ColumnKind Kind)> ColumnsOf(DropField field) => field.Privacy?.Action switch
    {
        null => [(field.Name, KindOf(field))],
        PrivacyAction.Pseudonymise when field.Privacy.As != ChildId => [(field.Privacy.As!, ColumnKind.Text)],
        PrivacyAction.Age => [(Age, ColumnKind.Integer)],
        PrivacyAction.DateOfBirth => [(DateOfBirth, ColumnKind.Date), (Age, ColumnKind.Integer)],
        PrivacyAction.PostcodeDistrict => [(PostcodeDistrict, ColumnKind.Text)],
        _ => [],
    };

    public static ColumnKind KindOf(DropField field) => field.Type switch
    {
        "date" => ColumnKind.Date,
        "integer" => ColumnKind.Integer,
        "number" => ColumnKind.Number,
        "boolean" => ColumnKind.Flag,
        _ => ColumnKind.Text,
    };
}
