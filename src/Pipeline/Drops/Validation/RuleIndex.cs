using YouthJustice.Pipeline.Drops.Schemas;

namespace YouthJustice.Pipeline.Drops.Validation;

/// <summary>One rule of the complete catalogue, with the drop types it applies to (empty: every drop type).</summary>
public sealed record RuleEntry(Rule Rule, IReadOnlyList<string> DropTypes);

/// <summary>
/// The complete rule catalogue: the rules built into the gate (<see cref="RuleCatalogue"/>) and the rules the published
/// drop schemas declare (code lists with their own rule names, ranges, <c>x-rules</c>). This is what senders are shown
/// and what receipts' rule codes refer to; its version is <see cref="RuleCatalogue.Version"/>.
/// </summary>
public static class RuleIndex
{
    public static IReadOnlyList<RuleEntry> All(SchemaCatalogue catalogue)
    {
        var declared = new Dictionary<string, (Rule Rule, SortedSet<string> DropTypes)>(StringComparer.Ordinal);
        void Add(Rule rule, string dropType)
        {
            if (!declared.TryGetValue(rule.Code, out var entry))
                declared[rule.Code] = entry = (rule, new SortedSet<string>(StringComparer.Ordinal));
            entry.DropTypes.Add(dropType);
        }

        foreach (var dropType in catalogue.DropTypes)
        {
            var schema = catalogue.Get(dropType);
            foreach (var field in schema.Fields)
            {
                if (field.CodeRule is { } code)
                    Add(new Rule(code, RuleScope.Row, field.CodeRuleSeverity, $"{field.Name} holds one of the published codes.",
                        field.CodeRuleSeverity == RuleSeverity.Query
                            ? $"Check {field.Name} against the codes listed on the drop type's page; the row is kept either way."
                            : $"Use one of the codes listed for {field.Name} on the drop type's page."), dropType);
                if (field.RangeRule is { } range)
                {
                    // One rule may cover several fields (hours offered and attended): name them all.
                    var fields = schema.Fields.Where(f => f.RangeRule == range).Select(f => f.Name).ToList();
                    var names = string.Join(" and ", fields);
                    Add(new Rule(range, RuleScope.Row, RuleSeverity.Error,
                        FormattableString.Invariant($"{names} {(fields.Count > 1
                            ? "are each" : "is")} between {field.Constraints.Minimum} and {field.Constraints.Maximum}."),
                        $"Check {names} in your system."), dropType);
                }
            }
            foreach (var rule in schema.Rules.Where(r => r.Rule != RuleCatalogue.EndBeforeStart.Code))
                Add(new Rule(rule.Rule, RuleScope.Row, string.Equals(rule.Severity, "query", StringComparison.OrdinalIgnoreCase)
                    ? RuleSeverity.Query : RuleSeverity.Error,
                    rule.Checks ?? rule.Rule, rule.Fix ?? "Check the row in your system."), dropType);
        }

        var builtIn = RuleCatalogue.All.Select(r => new RuleEntry(r, []));
        var fromSchemas = declared.Values.Where(d => !RuleCatalogue.All.Any(r => r.Code == d.Rule.Code))
            .Select(d => new RuleEntry(d.Rule, [.. d.DropTypes]));
        return [.. builtIn.Concat(fromSchemas).OrderBy(e => e.Rule.Scope == RuleScope.Drop ? 0 : 1)
            .ThenBy(e => e.Rule.Code, StringComparer.Ordinal)];
    }

    public static Rule? Find(SchemaCatalogue catalogue, string code) => All(catalogue).FirstOrDefault(e => e.Rule.Code == code)?.Rule;
}
