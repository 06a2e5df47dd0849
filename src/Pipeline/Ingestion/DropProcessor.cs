using System.Globalization;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Drops.Reading;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Drops.Validation;
using YouthJustice.Pipeline.Linkage;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Privacy;

namespace YouthJustice.Pipeline.Ingestion;

/// <summary>
/// The row path of the gate, streamed: parse, validate, minimise, pseudonymise, generalise, link, and stage
/// curated Parquet per quarter. Touches no storage; <see cref="DropIngestor"/> decides what is kept.
/// </summary>
/// <param name="stagingDirectory">Where the staged files are written (<see cref="IngestionOptions.StagingDirectory"/>).</param>
public sealed class DropProcessor(SchemaCatalogue catalogue, string stagingDirectory)
{
    public async Task<DropOutcome> ProcessAsync(Stream content, DropContext context, ICohort cohort, CancellationToken cancellationToken)
    {
        var outcome = new DropOutcome { Errors = new ErrorLog() };
        try
        {
            return await ProcessAsync(content, context, cohort, outcome, cancellationToken);
        }
        catch
        {
            // Storage failed or the drop was cancelled mid-file: the staged files go now, not when a finaliser runs.
            await outcome.DisposeAsync();
            throw;
        }
    }

    private async Task<DropOutcome> ProcessAsync(Stream content, DropContext context, ICohort cohort, DropOutcome outcome,
        CancellationToken cancellationToken)
    {
        try
        {
            using var reader = await CsvDropReader.OpenAsync(content, KnownColumns(context), cancellationToken);
            var plan = RowPlan.Build(reader.Headers, context, catalogue, outcome);
            if (outcome.Refused) return outcome;
            await ReadRowsAsync(reader, plan!, context, cohort, outcome, stagingDirectory, cancellationToken);
        }
        catch (DropFormatException ex)
        {
            outcome.Refusal = new RowError(ex.Line, null, ex.Rule.Code, RuleSeverity.Error, ex.Message);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or IOException or Azure.RequestFailedException))
        {
            // A check that crashes must not pass the drop: it is refused whole and nothing is stored. Only the
            // exception's type is said, never its message, which could quote a cell.
            outcome.Refusal = new RowError(null, null, RuleCatalogue.RuleFailed.Code, RuleSeverity.Error,
                $"A check could not run after line {outcome.Rows.Read + 1} ({ex.GetType().Name}); nothing of this file was stored.");
        }

        if (!outcome.Refused && outcome.Rows.Read == 0)
            outcome.Refusal = new RowError(null, null, RuleCatalogue.FileNoRows.Code, RuleSeverity.Error,
                "The file has a header but no data rows.");
        else if (!outcome.Refused && outcome.Rows.Rejected > context.Agreement.RowErrorThreshold * outcome.Rows.Read)
            outcome.Refusal = new RowError(null, null, RuleCatalogue.RowErrorThresholdExceeded.Code, RuleSeverity.Error,
                $"{outcome.Rows.Rejected} of {outcome.Rows.Read} rows have errors, more than the agreement's threshold of " +
                $"{context.Agreement.RowErrorThreshold.ToString("P0", CultureInfo.InvariantCulture)}.");
        return outcome;
    }

    /// <summary>The names line 1 may hold: the drop type's columns and the agreement's own names for them.</summary>
    private static HashSet<string> KnownColumns(DropContext context)
    {
        var known = new HashSet<string>(context.Schema.Fields.Select(f => f.Name), StringComparer.OrdinalIgnoreCase);
        if (context.Terms.HeaderAliases is { } aliases) known.UnionWith(aliases.Keys.Select(k => k.Trim()));
        return known;
    }

    private static async Task ReadRowsAsync(CsvDropReader reader, RowPlan plan, DropContext context, ICohort cohort, DropOutcome outcome,
        string stagingDirectory, CancellationToken cancellationToken)
    {
        var rows = new RowPath(reader, plan, context, cohort, outcome, stagingDirectory);
        while (await reader.ReadAsync(cancellationToken))
            if (rows.Next() is { } staged) await staged.CommitRowAsync(cancellationToken);
        rows.Finish();
    }

    /// <summary>
    /// The work on one row, from its cells to its place in a staged file. Apart from the loop that awaits the reader: the
    /// per-row state lives in this object's fields and the row's in locals the compiler can keep in registers, rather than
    /// all of it in an async method's state machine.
    /// </summary>
    private sealed class RowPath
    {
        private readonly CsvDropReader _reader;
        private readonly RowPlan _plan;
        private readonly ICohort _cohort;
        private readonly DropOutcome _outcome;
        private readonly string _stagingDirectory;
        private readonly string _provider;
        private readonly DateOnly _arrivedOn;
        private readonly Quarter _receivedQuarter;
        private readonly int _headerCount;
        private readonly Dictionary<string, string> _metadata;
        private readonly Dictionary<Quarter, StagedParquetFile> _files = [];
        private readonly RowGroupBuffers _buffers;
        private readonly CellValue[] _values;
        private readonly long[] _filled;
        private readonly bool[] _invalid;
        private readonly Func<string?> _personKey;
        private StagedParquetFile? _file;

        public RowPath(CsvDropReader reader, RowPlan plan, DropContext context, ICohort cohort, DropOutcome outcome,
            string stagingDirectory)
        {
            _reader = reader;
            _plan = plan;
            _cohort = cohort;
            _outcome = outcome;
            _stagingDirectory = stagingDirectory;
            _provider = context.Provider;
            _arrivedOn = context.ArrivedOn;
            _receivedQuarter = Quarter.Of(context.ArrivedOn);
            _headerCount = reader.Headers.Count;
            _metadata = new Dictionary<string, string>
            {
                [CuratedLayout.ReceivedAt] = context.ReceivedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                [CuratedLayout.Yot] = context.Yot,
                [CuratedLayout.KeyVersion] = context.Pseudonymiser.KeyVersion,
            };
            _buffers = new RowGroupBuffers(plan.Layout);
            _values = new CellValue[plan.Fields.Length];
            _filled = new long[plan.Fields.Length];
            _invalid = new bool[plan.Fields.Length];
            // Made only when asked: the name + date-of-birth key needs the plain name cells of the current row.
            _personKey = () => _plan.PersonKey.Compute(_reader, _values);
        }

        /// <summary>Checks the reader's current row; the staged file it was appended to (to commit), or null.</summary>
        public StagedParquetFile? Next()
        {
            var reader = _reader;
            var outcome = _outcome;
            var plan = _plan;
            var values = _values;
            if (reader.IsBlank()) return null;
            outcome.Rows.Read++;
            var line = reader.Line;
            if (reader.FieldCount != _headerCount)
            {
                outcome.Rows.Rejected++;
                outcome.Errors.Add(new RowError(line, null, RuleCatalogue.RaggedRow.Code, RuleSeverity.Error,
                    $"The row has {reader.FieldCount} cells but the header has {_headerCount}."));
                return null;
            }

            var bad = false;
            Array.Clear(_invalid);
            var fields = plan.Fields;
            for (var i = 0; i < fields.Length; i++)
            {
                var f = fields[i];
                var raw = reader.Span(f.Ordinal);
                if (f.Check.Check(raw, _arrivedOn, out values[i]) is not { } failure) continue;
                _invalid[i] = !values[i].Present && !raw.Trim().IsEmpty;
                bad |= failure.Rule.Severity == RuleSeverity.Error;
                outcome.Errors.Add(new RowError(line, f.Check.Field.Name, failure.Rule.Code, failure.Rule.Severity, failure.Message,
                    f.Check.Personal ? null : Echo(raw)));
            }
            if (plan.Rules.Check(values, bad, line, outcome.Errors, _invalid))
            {
                outcome.Rows.Rejected++;
                return null;
            }

            plan.Minimiser.Pseudonymise(values);

            var (childId, link) = plan.Linker.Link(values, _personKey, _cohort);
            switch (link)
            {
                case LinkResult.OutOfCohort:
                    outcome.Rows.OutOfCohort++;
                    return null;
                case LinkResult.Held: outcome.Rows.Held++; break;
                case LinkResult.Uln or LinkResult.Upn or LinkResult.NameAndDateOfBirth: outcome.CountLink(link); break;
            }

            var period = plan.PeriodField >= 0 && values[plan.PeriodField].Present ? Quarter.Of(values[plan.PeriodField].Date)
                : _receivedQuarter;
            // Rows of a quarter follow each other: the last file, with no lookup.
            var file = _file is not null && _file.Period == period ? _file : _files.GetValueOrDefault(period);
            if (file is null)
            {
                file = StagedParquetFile.Create(period, plan.Layout, _metadata, _provider, _stagingDirectory, _buffers);
                _files[period] = file;
                outcome.Files.Add(file);
            }
            _file = file;
            var row = file.CurrentRow;
            file.Column(plan.LineColumn).Set(row, CellValue.OfInteger(line));
            file.Column(plan.ChildIdColumn).Set(row, CellValue.OfText(childId));
            if (plan.PersonKeyColumn >= 0) file.Column(plan.PersonKeyColumn).Set(row, CellValue.OfText(_personKey()));
            plan.Minimiser.Write(file, row, values);
            for (var i = 0; i < values.Length; i++)
                if (values[i].Present) _filled[i]++;
            outcome.Rows.Accepted++;
            return file;
        }

        /// <summary>How often each optional field was filled in, over the rows kept.</summary>
        public void Finish()
        {
            var accepted = _outcome.Rows.Accepted;
            for (var i = 0; i < _plan.Fields.Length; i++)
                if (!_plan.Fields[i].Check.Field.Required)
                    _outcome.Completeness[_plan.Fields[i].Check.Field.Name] = accepted == 0 ? 0
                        : Math.Round((double)_filled[i] / accepted, 4);
        }
    }

    private static string? Echo(ReadOnlySpan<char> raw)
    {
        var t = raw.Trim();
        if (t.IsEmpty) return null;
        return t.Length > 60 ? string.Concat(t[..60], "…") : t.ToString();
    }

    /// <summary>How one drop's header maps to schema fields and curated columns.</summary>
    private sealed class RowPlan
    {
        public required FieldPlan[] Fields { get; init; }
        public required IReadOnlyList<(string Name, ColumnKind Kind)> Layout { get; init; }
        public required RowRules Rules { get; init; }
        public required RowLinker Linker { get; init; }
        public required PersonKeyPlan PersonKey { get; init; }
        public required Minimiser Minimiser { get; init; }
        public int PeriodField { get; init; } = -1;
        public int LineColumn { get; init; }
        public int ChildIdColumn { get; init; }
        public int PersonKeyColumn { get; init; } = -1;

        public static RowPlan? Build(IReadOnlyList<string> headers, DropContext context, SchemaCatalogue catalogue, DropOutcome outcome)
        {
            var schema = context.Schema;
            var aliases = new Dictionary<string, string>(context.Terms.HeaderAliases ?? new Dictionary<string, string>(),
                StringComparer.OrdinalIgnoreCase);
            var ordinals = new Dictionary<DropField, int>();
            var notShared = new List<string>();
            for (var i = 0; i < headers.Count; i++)
            {
                var header = headers[i].Trim();
                var name = aliases.TryGetValue(header, out var target) ? target : header;
                var field = schema.Field(name);
                // A name that is neither a column nor an alias is the sender's own text, perhaps a child's cell from a
                // file with no header: it is listed by position, never echoed.
                if (field is null) { notShared.Add($"column {i + 1}"); continue; }
                if (!Minimiser.Keeps(context.Terms, field)) { notShared.Add(field.Name); continue; }
                if (!ordinals.TryAdd(field, i))
                {
                    outcome.Refusal = new RowError(1, field.Name, RuleCatalogue.HeaderDuplicateColumn.Code, RuleSeverity.Error,
                        $"The column {field.Name} appears twice in the header (perhaps once under your system's name for it).");
                    return null;
                }
            }
            outcome.FieldsNotShared = notShared;

            var missing = schema.Fields.Where(f => f.Required && !ordinals.ContainsKey(f)).Select(f => f.Name).ToList();
            if (missing.Count > 0)
            {
                outcome.Refusal = new RowError(1, string.Join(",", missing), RuleCatalogue.RequiredColumnMissing.Code, RuleSeverity.Error,
                    $"Required column(s) missing from the header: {string.Join(", ", missing)}.");
                return null;
            }

            var layout = CuratedLayout.Columns(schema);
            int Column(string name) => layout.Select(c => c.Name).ToList().IndexOf(name);
            var fields = ordinals.OrderBy(kv => schema.Fields.ToList().IndexOf(kv.Key))
                .Select(kv => new FieldPlan(new FieldCheck(kv.Key, catalogue), kv.Value))
                .ToArray();
            int FieldIndex(Func<DropField, bool> p) => Array.FindIndex(fields, f => p(f.Check.Field));

            var checks = fields.Select(f => f.Check).ToArray();
            var rules = RowRules.Compile(schema, checks);
            outcome.RulesRun = [.. checks.SelectMany(c => c.RuleCodes).Concat(rules.Run).Append(RuleCatalogue.RaggedRow.Code)
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
            outcome.RulesSkipped = rules.Skipped;
            var personKey = PersonKeyPlan.Build(fields.Select(f => (f.Check.Field, f.Ordinal)).ToList(), context.Pseudonymiser);
            var linker = RowLinker.Build(schema, context.DropType, checks, personKey.Available);
            if (linker.SkippedReason is { } reason) outcome.RulesSkipped = [.. outcome.RulesSkipped, (linker.SkippedRule!, reason)];

            return new RowPlan
            {
                Fields = fields,
                Layout = layout,
                Rules = rules,
                Linker = linker,
                PersonKey = personKey,
                Minimiser = new Minimiser(checks.Select(c => c.Field).ToList(), layout, context.Pseudonymiser, context.ArrivedOn),
                PeriodField = schema.Period == "received" ? -1 : FieldIndex(f => f.Name == schema.Period),
                LineColumn = Column(CuratedLayout.Line),
                ChildIdColumn = Column(CuratedLayout.ChildId),
                PersonKeyColumn = schema.PersonKey ? Column(CohortIndex.PersonKeyColumn) : -1,
            };
        }
    }

    /// <summary>One shared field of the drop: its checks and where it is in the file.</summary>
    private sealed record FieldPlan(FieldCheck Check, int Ordinal);
}
