using System.Globalization;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Drops.Schemas;

namespace YouthJustice.Pipeline.Drops.Validation;

/// <summary>
/// A drop schema's <c>x-rules</c>, compiled for one drop against the fields it actually shares: rules within a row
/// (order of dates, conditional requirements, codes allowed only with others) and rules across rows (one row per
/// key, no overlapping periods). A rule whose fields the agreement does not share cannot run; it is listed as
/// skipped with the reason, so a clean receipt never silently means "not checked".
/// </summary>
public sealed class RowRules
{
    private readonly CompiledRule[] _rules;

    private RowRules(CompiledRule[] rules, IReadOnlyList<string> run, IReadOnlyList<(string Rule, string Reason)> skipped)
    {
        _rules = rules;
        Run = run;
        Skipped = skipped;
    }

    /// <summary>Codes of the schema rules that run on this drop.</summary>
    public IReadOnlyList<string> Run { get; }

    public IReadOnlyList<(string Rule, string Reason)> Skipped { get; }

    /// <param name="fields">The drop's shared fields, in the order their values are passed to <see cref="Check"/>.</param>
    public static RowRules Compile(DropSchema schema, IReadOnlyList<FieldCheck> fields)
    {
        var rules = new List<CompiledRule>();
        var run = new List<string>();
        var skipped = new List<(string, string)>();
        foreach (var rule in schema.Rules)
        {
            var missing = rule.ReadsFields().Where(name => IndexOf(fields, name) < 0).ToList();
            if (missing.Count > 0)
            {
                skipped.Add((rule.Rule, $"The file does not share {string.Join(", ", missing)}, which the rule needs."));
                continue;
            }
            rules.Add(CompiledRule.Create(rule, fields));
            run.Add(rule.Rule);
        }
        return new RowRules([.. rules], run, skipped);
    }

    /// <summary>
    /// Checks one row whose field checks are done. Rules across rows see only rows that are otherwise good, so a bad
    /// row never makes a later good one look like a duplicate. Returns true when an error (not a query) was found.
    /// </summary>
    /// <param name="invalid">Fields whose cell failed its own check: filled in, but with nothing usable.</param>
    public bool Check(ReadOnlySpan<CellValue> values, bool rowAlreadyBad, int line, ErrorLog errors, ReadOnlySpan<bool> invalid = default)
    {
        var bad = rowAlreadyBad;
        foreach (var rule in _rules)
        {
            if (rule.AcrossRows) continue;
            // A cell that failed its own check was filled in: "required when" must not call it missing as well.
            if (rule.SkipsWhenInvalid(invalid)) continue;
            if (rule.Fails(values, line) is { } message) bad |= Report(rule, line, message, errors);
        }
        if (bad) return true;

        foreach (var rule in _rules)
        {
            if (!rule.AcrossRows) continue;
            if (rule.Fails(values, line) is { } message) bad |= Report(rule, line, message, errors);
        }
        // Remember the row only once it is known to be kept.
        if (!bad)
            foreach (var rule in _rules)
                if (rule.AcrossRows) rule.Remember(values, line);
        return bad;
    }

    private static bool Report(CompiledRule rule, int line, string message, ErrorLog errors)
    {
        errors.Add(new RowError(line, rule.ReportedField, rule.Code, rule.Severity, message));
        return rule.Severity == RuleSeverity.Error;
    }

    internal static int IndexOf(IReadOnlyList<FieldCheck> fields, string name)
    {
        for (var i = 0; i < fields.Count; i++)
            if (string.Equals(fields[i].Field.Name, name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    /// <summary>The value as a sender would write it, for comparing with a rule's codes: Y/N for flags, ISO dates.</summary>
    internal static string? Canonical(in CellValue value, ColumnKind kind)
    {
        if (!value.Present) return null;
        return kind switch
        {
            ColumnKind.Flag => value.Flag ? "Y" : "N",
            ColumnKind.Integer => value.Integer.ToString(CultureInfo.InvariantCulture),
            ColumnKind.Number => value.Number.ToString(CultureInfo.InvariantCulture),
            ColumnKind.Date => value.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => value.Text,
        };
    }
}
