using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace YouthJustice.Pipeline.Ingestion;

/// <summary>
/// The five row counts of a drop, or of drops summed: the one shape the row path counts in, and the receipt, the drop
/// ledger, the quality report, the pages and the runner's printers show.
/// </summary>
/// <param name="Read">Data rows read (blank lines are not rows).</param>
/// <param name="Accepted">Rows kept in curated.</param>
/// <param name="Rejected">Rows left out: bad rows of an accepted drop, and every row of a drop refused whole.</param>
/// <param name="OutOfCohort">Rows about children the YOT does not know: counted, then discarded.</param>
/// <param name="Held">The YOT's own rows kept but not yet linked: their child or referenced record has not been sent yet.</param>
/// <remarks>
/// Mutable so that the row path counts in place; the records that carry it (receipt, quality report) hold a copy.
/// In JSON it has no object of its own: see <see cref="RowCountsJson"/>.
/// </remarks>
[JsonConverter(typeof(RowCountsJson.NotFlattened))]
public record struct RowCounts(long Read, long Accepted, long Rejected, long OutOfCohort, long Held)
{
    public static RowCounts operator +(RowCounts a, RowCounts b) =>
        new(a.Read + b.Read, a.Accepted + b.Accepted, a.Rejected + b.Rejected, a.OutOfCohort + b.OutOfCohort, a.Held + b.Held);

    /// <summary>The counts of a drop refused whole: it keeps nothing, whatever its rows looked like.</summary>
    public readonly RowCounts RefusedWhole() => new(Read, 0, Read, 0, 0);
}

public static class RowCountsExtensions
{
    public static RowCounts Sum(this IEnumerable<RowCounts> counts) => counts.Aggregate(default(RowCounts), (a, b) => a + b);
}

/// <summary>
/// Names the JSON property of <see cref="RowCounts.Rejected"/> where a published format calls it something else
/// (the quality report says <c>rowsRefused</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class JsonRowCountsAttribute : Attribute
{
    public string Rejected { get; init; } = nameof(RowCounts.Rejected);
}

/// <summary>
/// Receipts and quality reports are published formats that have always written the counts as properties of their own
/// (<c>rowsRead</c>, <c>rowsAccepted</c>, <c>rowsRejected</c>, <c>rowsOutOfCohort</c>, <c>rowsHeld</c>), so a
/// <see cref="RowCounts"/> property is written as those five, in its place: options that write such a record add
/// <see cref="Flatten"/> through <see cref="Resolver"/>.
/// </summary>
public static class RowCountsJson
{
    /// <summary>The default contracts, with every <see cref="RowCounts"/> property flattened.</summary>
    public static IJsonTypeInfoResolver Resolver { get; } = new DefaultJsonTypeInfoResolver { Modifiers = { Flatten } };

    private static readonly (string Name, Func<RowCounts, long> Get, Func<RowCounts, long, RowCounts> With)[] Parts =
    [
        (nameof(RowCounts.Read), c => c.Read, (c, n) => c with { Read = n }),
        (nameof(RowCounts.Accepted), c => c.Accepted, (c, n) => c with { Accepted = n }),
        (nameof(RowCounts.Rejected), c => c.Rejected, (c, n) => c with { Rejected = n }),
        (nameof(RowCounts.OutOfCohort), c => c.OutOfCohort, (c, n) => c with { OutOfCohort = n }),
        (nameof(RowCounts.Held), c => c.Held, (c, n) => c with { Held = n }),
    ];

    public static void Flatten(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object) return;
        for (var i = 0; i < type.Properties.Count; i++)
        {
            if (type.Properties[i].PropertyType != typeof(RowCounts)
                || type.Properties[i].AttributeProvider is not PropertyInfo member) continue;
            type.Properties.RemoveAt(i);
            var rejected = member.GetCustomAttribute<JsonRowCountsAttribute>()?.Rejected ?? nameof(RowCounts.Rejected);
            foreach (var (part, get, with) in Parts)
            {
                var name = "Rows" + (part == nameof(RowCounts.Rejected) ? rejected : part);
                var count = type.CreateJsonPropertyInfo(typeof(long), type.Options.PropertyNamingPolicy?.ConvertName(name) ?? name);
                count.Get = owner => get((RowCounts)member.GetValue(owner)!);
                // The owner's setter is init-only; reflection may call it while the owner is being read.
                count.Set = (owner, n) => member.SetValue(owner, with((RowCounts)member.GetValue(owner)!, (long)n!));
                type.Properties.Insert(i++, count);
            }
            i--;
        }
    }

    /// <summary>Fails loudly where options without <see cref="Resolver"/> would change a published format.</summary>
    internal sealed class NotFlattened : JsonConverter<RowCounts>
    {
        public override RowCounts Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw Missing();

        public override void Write(Utf8JsonWriter writer, RowCounts value, JsonSerializerOptions options) => throw Missing();

        private static NotSupportedException Missing() =>
            new("Row counts are written as rowsRead, rowsAccepted, … of the record that holds them: "
                + "give the JsonSerializerOptions RowCountsJson.Resolver.");
    }
}
