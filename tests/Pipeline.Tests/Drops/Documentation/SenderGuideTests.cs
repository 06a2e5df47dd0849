using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Drops.Documentation;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Drops.Validation;

namespace YouthJustice.Pipeline.Tests.Drops.Documentation;

/// <summary>The sender pages in schemas/docs/ say exactly what the gate checks: generated, and never stale.</summary>
public sealed class SenderGuideTests
{
    private static readonly IReadOnlyDictionary<string, string> Pages = SenderGuide.Pages(SchemaCatalogue.Default);

    [Fact]
    public void The_committed_pages_are_what_the_schemas_and_rules_say()
    {
        var dir = Path.Combine(RepositoryPaths.Root, "schemas", "docs");
        var stale = Pages.Where(p => !File.Exists(Path.Combine(dir, p.Key)) || File.ReadAllText(Path.Combine(dir, p.Key)) != p.Value)
            .Select(p => p.Key).ToList();
        Assert.True(stale.Count == 0, $"Run './pipeline docs' and commit: out of date in schemas/docs: {string.Join(", ", stale)}");
        var extra = Directory.GetFiles(dir).Select(Path.GetFileName).Except(Pages.Keys).ToList();
        Assert.True(extra.Count == 0, $"schemas/docs holds pages no schema makes: {string.Join(", ", extra)}");
    }

    [Fact]
    public void Every_drop_type_page_has_its_columns_an_accepted_example_and_five_common_refusals_with_fixes()
    {
        foreach (var dropType in SchemaCatalogue.Default.DropTypes)
        {
            var page = Pages[$"{dropType}.md"];
            foreach (var field in SchemaCatalogue.Default.Get(dropType).Fields) Assert.Contains($"| `{field.Name}` |", page);
            Assert.Contains("## An example that is accepted", page);
            var refusals = page.Split('\n').SkipWhile(l => !l.StartsWith("## The most common refusals", StringComparison.Ordinal))
                .Where(l => l.Length > 2 && char.IsAsciiDigit(l[0]) && l[1] == '.').ToList();
            Assert.Equal(5, refusals.Count);
            Assert.All(refusals, r => Assert.Matches(@"\*Fix:\* \S", r));
        }
    }

    [Fact]
    public void The_rule_page_lists_every_rule_once_with_the_catalogue_version()
    {
        var page = Pages["rules.md"];
        Assert.Contains(RuleCatalogue.Version, page);
        foreach (var entry in RuleIndex.All(SchemaCatalogue.Default))
            Assert.Single(page.Split('\n'), l => l.StartsWith($"| `{entry.Rule.Code}` |", StringComparison.Ordinal));
    }
}
