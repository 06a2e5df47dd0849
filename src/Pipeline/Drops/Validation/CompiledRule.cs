using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Drops.Schemas;

namespace YouthJustice.Pipeline.Drops.Validation;

/// <summary>One <c>x-rules</c> entry bound to the positions of its fields in a drop.</summary>
internal abstract class CompiledRule
{
    protected CompiledRule(CrossFieldRule rule, string reportedField)
    {
        Code = rule.Rule;
        Severity = string.Equals(rule.Severity, "query", StringComparison.OrdinalIgnoreCase) ? RuleSeverity.Query : RuleSeverity.Error;
        ReportedField = reportedField;
    }

    public string Code { get; }
    public RuleSeverity Severity { get; }
    public string ReportedField { get; }

    /// <summary>Rules across rows keep state and see only rows that are otherwise good.</summary>
    public virtual bool AcrossRows => false;

    /// <summary>The message for the sender when the row breaks the rule, otherwise null.</summary>
    public abstract string? Fails(ReadOnlySpan<CellValue> values, int line);

    public virtual void Remember(ReadOnlySpan<CellValue> values, int line) { }

    /// <summary>True when the rule reads a field whose cell failed its own check (already reported).</summary>
    public virtual bool SkipsWhenInvalid(ReadOnlySpan<bool> invalid) => false;

    public static CompiledRule Create(CrossFieldRule rule, IReadOnlyList<FieldCheck> fields)
    {
        int At(string name) => RowRules.IndexOf(fields, name);
        return rule.Kind switch
        {
            RuleKinds.Order => new OrderRule(rule, At(rule.Start!), At(rule.End!)),
            RuleKinds.Unique => new UniqueRule(rule, fields, [.. rule.Fields.Select(At)]),
            RuleKinds.NoOverlap => new NoOverlapRule(rule, fields, [.. rule.Fields.Select(At)], At(rule.Start!), At(rule.End!)),
            RuleKinds.RequiredWhen or RuleKinds.AllowedWhen or RuleKinds.NotWhen => new ConditionalRule(rule, fields, At(rule.Field!)),
            _ => throw new InvalidDataException($"Rule {rule.Rule} has an unknown kind '{rule.Kind}'."),
        };
    }
}

/// <summary>An end date is not before its start date.</summary>
internal sealed class OrderRule(CrossFieldRule rule, int start, int end) : CompiledRule(rule, rule.End!)
{
    private readonly string _message = $"{rule.End} is before {rule.Start}.";

    public override string? Fails(ReadOnlySpan<CellValue> values, int line) =>
        values[start].Present && values[end].Present && values[end].Date < values[start].Date ? _message : null;
}

/// <summary>A field must be filled, may hold only some codes, or must not hold some codes, when conditions hold.</summary>
internal sealed class ConditionalRule : CompiledRule
{
    private readonly string _kind;
    private readonly int _field;
    private readonly ColumnKind _fieldKind;
    private readonly HashSet<string> _in;
    private readonly (int Field, ColumnKind Kind, HashSet<string>? In, bool? Present)[] _when;
    private readonly string _condition;

    public ConditionalRule(CrossFieldRule rule, IReadOnlyList<FieldCheck> fields, int field) : base(rule, rule.Field!)
    {
        _kind = rule.Kind;
        _field = field;
        _fieldKind = fields[field].Kind;
        _in = new HashSet<string>(rule.In, StringComparer.OrdinalIgnoreCase);
        _when = [.. rule.When.Select(w =>
        {
            var i = RowRules.IndexOf(fields, w.Field);
            return (i, fields[i].Kind, w.In is null ? null : new HashSet<string>(w.In, StringComparer.OrdinalIgnoreCase), w.Present);
        })];
        _condition = string.Join(" and ", rule.When.Select(w =>
            w.In is { } codes ? $"{w.Field} is {string.Join(" or ", codes)}"
                : w.Present == false ? $"{w.Field} is empty"
                : $"{w.Field} is filled in"));
    }

    public override bool SkipsWhenInvalid(ReadOnlySpan<bool> invalid) => !invalid.IsEmpty && invalid[_field];

    public override string? Fails(ReadOnlySpan<CellValue> values, int line)
    {
        foreach (var (field, kind, codes, present) in _when)
        {
            var value = RowRules.Canonical(values[field], kind);
            if (present is { } p && (value is not null) != p) return null;
            if (codes is not null && (value is null || !codes.Contains(value))) return null;
        }
        var own = RowRules.Canonical(values[_field], _fieldKind);
        return _kind switch
        {
            RuleKinds.RequiredWhen when own is null => $"{ReportedField} is required when {_condition}.",
            RuleKinds.AllowedWhen when own is not null && !_in.Contains(own) =>
                $"{ReportedField} '{own}' cannot be used when {_condition}; use one of {string.Join(", ", _in)}.",
            RuleKinds.NotWhen when own is not null && _in.Contains(own) => $"{ReportedField} '{own}' contradicts {_condition}.",
            _ => null,
        };
    }
}
