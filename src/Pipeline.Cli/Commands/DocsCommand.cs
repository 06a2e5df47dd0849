using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Drops.Documentation;
using YouthJustice.Pipeline.Drops.Schemas;

namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline docs</c>: writes the sender pages (schemas/docs/) from the schemas and the rule catalogue;
/// <c>--check</c> only says whether the committed pages are current (exit 1 when not), for CI and reviews.
/// </summary>
public static class DocsCommand
{
    public static async Task<int> RunAsync(DirectoryInfo? outDir, bool check, TextWriter output, CancellationToken cancellationToken)
    {
        var dir = outDir?.FullName ?? Path.Combine(RepositoryPaths.Root, "schemas", "docs");
        var pages = SenderGuide.Pages(SchemaCatalogue.Default);
        var stale = new List<string>();
        foreach (var (name, content) in pages)
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path) && await File.ReadAllTextAsync(path, cancellationToken) == content) continue;
            stale.Add(name);
            if (check) continue;
            Directory.CreateDirectory(dir);
            await File.WriteAllTextAsync(path, content, cancellationToken);
        }

        if (check)
        {
            await output.WriteLineAsync(stale.Count == 0
                ? $"The {pages.Count} sender pages in {dir} are current."
                : $"Out of date in {dir}: {string.Join(", ", stale)}. Run './pipeline docs' and commit the result.");
            return stale.Count == 0 ? ExitCodes.Success : ExitCodes.Refused;
        }
        await output.WriteLineAsync($"Wrote {stale.Count} of {pages.Count} sender pages to {dir} (the rest were current).");
        return ExitCodes.Success;
    }
}
