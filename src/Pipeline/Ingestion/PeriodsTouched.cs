using Azure.Storage.Blobs;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Drops.Validation;
using YouthJustice.Pipeline.Kpis.Data;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Ingestion;

/// <summary>
/// The quarters whose KPIs a drop can change, each once: what its commit marks dirty. School, college and board drops:
/// the quarters of their rows (their curated files). A YOT case drop: the quarters its dated rows fall in, every quarter
/// between a record's start and end (an open record runs to the arrival quarter: a long placement counts in each
/// quarter it spans, an order ending in Q3 changes Q3's "orders ending"), and every quarter spanned by the current
/// interventions of the children it names — a care status, screening, victim or a child's own details change the KPIs
/// of the quarters that child's orders are counted in, whatever the record's own dates. Bounded to the last 8 quarters
/// up to the arrival (what a board's trend shows), plus the quarters of the drop's own curated files.
/// <para>
/// Reads the drop's own curated files and the YOT's current view of interventions (<see cref="CurrentView"/>: about one
/// blob whatever the history), never another drop's files: the cost of a drop does not grow with the extracts sent
/// before it. The view holds the interventions as the KPIs count them before this drop, so an intervention this drop
/// moves to other dates still marks the quarters it leaves.
/// </para>
/// </summary>
public sealed class PeriodsTouched(PipelineStorage storage, SchemaCatalogue catalogue)
{
    private const int WindowQuarters = 8;
    private const string InterventionsDropType = "yot-interventions";

    /// <param name="ownFiles">The drop's own curated files, as written.</param>
    public async Task<IReadOnlyList<Quarter>> OfAsync(DropContext context, DropOutcome outcome, IReadOnlyList<string> ownFiles,
        CancellationToken cancellationToken)
    {
        var periods = new SortedSet<Quarter>(outcome.Files.Select(f => f.Period));
        if (context.Schema.Linkage != Linkages.CaseRef) return periods.ToList();

        var arrival = Quarter.Of(context.ArrivedOn);
        var first = arrival;
        for (var i = 1; i < WindowQuarters; i++) first = first.Previous();
        void Span(DateOnly from, DateOnly to)
        {
            var q = Quarter.Of(from) < first ? first : Quarter.Of(from);
            var last = Quarter.Of(to) > arrival ? arrival : Quarter.Of(to);
            for (; q <= last; q = q.Number == 4 ? new Quarter(q.Year + 1, 1) : new Quarter(q.Year, q.Number + 1)) periods.Add(q);
        }

        var children = new HashSet<string>(StringComparer.Ordinal);
        var own = RowDates.Of(await CuratedTable.ReadAsync(storage.Container(StorageNames.CuratedContainer), ownFiles,
            [CuratedLayout.ChildId, .. RowDates.DateColumns(context.Schema)], cancellationToken), context.Schema);
        for (var r = 0; r < own.Rows.RowCount; r++)
        {
            if (own.Rows.Text(CuratedLayout.ChildId, r) is { Length: > 0 } child) children.Add(child);
            if (own.SpanOf(r, arrival) is { } span) Span(span.From, span.To);
        }

        if (children.Count > 0)
        {
            var committed = await CommittedCurated.LoadAsync(storage, context.Yot, cancellationToken);
            var current =
                RowDates.Of((await YotData.CurrentAsync(storage, context.Yot, committed, InterventionsDropType, cancellationToken)).Table,
                catalogue.Get(InterventionsDropType));
            for (var r = 0; r < current.Rows.RowCount; r++)
                if (current.Rows.Text(CuratedLayout.ChildId, r) is { } child && children.Contains(child)
                    && current.SpanOf(r, arrival) is { } span)
                    Span(span.From, span.To);
        }
        return periods.ToList();
    }

    /// <summary>A table's child and stored date columns (generalised ones, like a birth month, are not dates any more), with the schema's
    /// spans.</summary>
    private sealed record RowDates(CuratedTable Rows, IReadOnlyList<string> Dates, IReadOnlyList<(string Start, string End)> Spans)
    {
        public static IReadOnlyList<string> DateColumns(DropSchema schema) =>
            schema.Fields.Where(f => f.Type == "date" && f.Privacy is null).Select(f => f.Name).ToList();

        public static RowDates Of(CuratedTable rows, DropSchema schema)
        {
            var dates = DateColumns(schema);
            // A record is open while its end is empty: the start and end of the schema's order rules (start_date/end_date,
            // date_attended_start/date_attended_end); other order rules (screened before referred) are not spans.
            var spans = schema.Rules.Where(r => r.Kind == RuleKinds.Order && r.Start is not null && r.End is not null
                    && (r.End.EndsWith("end_date", StringComparison.Ordinal) || r.End.EndsWith("_end", StringComparison.Ordinal))
                    && dates.Contains(r.Start) && dates.Contains(r.End))
                .Select(r => (r.Start!, r.End!)).ToList();
            return new RowDates(rows, dates, spans);
        }

        /// <summary>From the row's earliest date to its latest, or to the arrival where a record is still open; null for an undated
        /// row.</summary>
        public (DateOnly From, DateOnly To)? SpanOf(int row, Quarter arrival)
        {
            DateOnly? from = null, to = null;
            foreach (var column in Dates)
                if (Rows.Date(column, row) is { } d)
                {
                    if (from is null || d < from) from = d;
                    if (to is null || d > to) to = d;
                }
            if (from is null) return null;
            if (Spans.Any(s => Rows.Date(s.Start, row) is not null && Rows.Date(s.End, row) is null)) to = arrival.End;
            return (from.Value, to!.Value);
        }
    }
}
