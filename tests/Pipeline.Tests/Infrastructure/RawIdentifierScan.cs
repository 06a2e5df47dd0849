using System.Collections.Concurrent;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Parquet;
using Sylvan.Data.Csv;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Drops.Validation;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Tests.Infrastructure;

/// <summary>
/// Every test class's storage is scanned for the raw identifiers of every child its tests sent (the cells of columns
/// the schema marks personal: UPN, ULN, case reference, names, date of birth, postcode), when the class is done. So
/// the whole suite, not one privacy test, proves that nothing personal gets past the gate. Parquet is read decoded
/// (its pages are compressed, so a byte search would miss a leak); everything else as text. The raw copies in
/// <c>drops</c> and <c>quarantine</c> are inside the gate by design and are not scanned.
/// <para>
/// One exception, and only one: a date of birth may be in the YOT's own curated <c>yot-children</c> files (the KPI
/// rules need ages in completed years), nowhere else — not in other curated data, KPI results, returns, board packs,
/// receipts, tables or logs. Dates of birth are remembered as sent and as <c>YYYY-MM-DD</c>, and Parquet date columns
/// are read as <c>YYYY-MM-DD</c>, so a date of birth copied anywhere in either form is found.
/// </para>
/// </summary>
public sealed class RawIdentifierScan
{
    // Short values (a two-letter case reference, a three-letter name) would match by chance inside other text.
    private const int MinLength = 4;
    private readonly ConcurrentDictionary<string, string> _identifiers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _datesOfBirth = new(StringComparer.Ordinal);

    /// <summary>Where a YOT child's date of birth is kept on purpose: curated/yot-children/….</summary>
    public const string DateOfBirthAllowedIn = StorageNames.CuratedContainer + "/yot-children/";

    public int Count => _identifiers.Count;

    /// <summary>Remembers the personal cells of a drop the test sent (by its header, aliases aside).</summary>
    public void Remember(string dropType, byte[] content)
    {
        if (!SchemaCatalogue.Default.TryGet(dropType, out var schema)) return;
        try
        {
            using var reader = CsvDataReader.Create(new StreamReader(new MemoryStream(content), Encoding.UTF8));
            var personal = Enumerable.Range(0, reader.FieldCount)
                .Where(i => schema.Field(reader.GetName(i).Trim()) is { Privacy: not null }).ToArray();
            var birthDates = personal.Where(i => schema.Field(reader.GetName(i).Trim())!.Format == "date-of-birth").ToHashSet();
            while (reader.Read())
                foreach (var i in personal)
                    if (i < reader.RowFieldCount && reader.GetString(i).Trim() is { Length: >= MinLength } value)
                    {
                        _identifiers.TryAdd(value, $"{dropType}.{reader.GetName(i)}");
                        if (!birthDates.Contains(i)) continue;
                        _datesOfBirth.TryAdd(value, 0);
                        if (DropDates.TryParse(value, out var date))
                        {
                            var iso = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                            _identifiers.TryAdd(iso, $"{dropType}.{reader.GetName(i)}");
                            _datesOfBirth.TryAdd(iso, 0);
                        }
                    }
        }
        catch (Exception ex) when (ex is CsvFormatException or DecoderFallbackException or ArgumentException or InvalidOperationException)
        {
            // Hostile fixtures are not CSV at all; whatever the gate made of them is covered by their own tests.
        }
    }

    /// <summary>Every place past the gate that holds one of the remembered identifiers.</summary>
    public async Task<IReadOnlyList<string>> FindAsync(PipelineStorage storage, IEnumerable<string> logs)
    {
        var found = new List<string>();
        if (_identifiers.IsEmpty) return found;
        foreach (var container in StorageNames.Containers.Except([StorageNames.DropsContainer, StorageNames.QuarantineContainer]))
        {
            var client = storage.Container(container);
            if (!await client.ExistsAsync()) continue;
            await foreach (var blob in client.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, default))
            {
                var bytes = (await client.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray();
                var text = blob.Name.EndsWith(".parquet", StringComparison.Ordinal) ? await ParquetTextAsync(bytes)
                    : Encoding.UTF8.GetString(bytes);
                var path = $"{container}/{blob.Name}";
                // The KPI engine's current view of the children is those curated rows again (deleted with them by retention).
                var dobAllowed = path.StartsWith(DateOfBirthAllowedIn, StringComparison.Ordinal)
                    || (container == StorageNames.CurrentContainer
                        && blob.Name.EndsWith("/yot-children.parquet", StringComparison.Ordinal));
                found.AddRange(Matches(text, datesOfBirthAllowed: dobAllowed).Select(m => $"{path}: {m}"));
            }
        }
        foreach (var table in StorageNames.Tables)
            await foreach (var e in storage.Table(table).QueryAsync<TableEntity>())
                found.AddRange(Matches(string.Join("\n", e.Select(kv => $"{kv.Key}={kv.Value}")))
                    .Select(m => $"table {table}/{e.PartitionKey}/{e.RowKey}: {m}"));
        found.AddRange(Matches(string.Join("\n", logs)).Select(m => $"logs: {m}"));
        return found;
    }

    private IEnumerable<string> Matches(string text, bool datesOfBirthAllowed = false) =>
        _identifiers.Where(kv => !(datesOfBirthAllowed && _datesOfBirth.ContainsKey(kv.Key)) && ContainsToken(text, kv.Key))
            .Select(kv => $"{kv.Value} value '{kv.Key}' of the test data");

    /// <summary>The remembered dates of birth, in every form looked for.</summary>
    public IReadOnlyCollection<string> DatesOfBirth => [.. _datesOfBirth.Keys];

    /// <summary>
    /// The value as a whole token: not inside a longer word or number. A surname "Held" is not found in "rowsHeld", a
    /// date "2012-01-01" not in "2012-01-015"; a UPN, a name or a date of birth standing on its own is.
    /// </summary>
    private static bool ContainsToken(string text, string value)
    {
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
        {
            var before = at == 0 || !char.IsLetterOrDigit(text[at - 1]);
            var end = at + value.Length;
            var after = end == text.Length || !char.IsLetterOrDigit(text[end]);
            if (before && after) return true;
        }
        return false;
    }

    private static async Task<string> ParquetTextAsync(byte[] bytes)
    {
        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(bytes));
        var b = new StringBuilder();
        foreach (var kv in reader.CustomMetadata) b.Append(kv.Key).Append('=').AppendLine(kv.Value);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            // Identifiers are text, and dates of birth dates; numbers are not where a UPN, a name or a birthday could hide.
            foreach (var field in reader.Schema.DataFields)
            {
                var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
                if (type == typeof(string))
                {
                    var values = new string?[group.RowCount];
                    await group.ReadAsync(field, values.AsMemory()!, null, default);
                    foreach (var value in values) b.AppendLine(value);
                }
                else if (type == typeof(DateTime))
                {
                    var values = new DateTime?[group.RowCount];
                    await group.ReadAsync<DateTime>(field, values, null, default);
                    foreach (var value in values)
                        b.AppendLine(value?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                }
                else if (type == typeof(DateOnly))
                {
                    var values = new DateOnly?[group.RowCount];
                    await group.ReadAsync<DateOnly>(field, values, null, default);
                    foreach (var value in values)
                        b.AppendLine(value?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }
        return b.ToString();
    }
}
