using YouthJustice.Pipeline.Agreements;

namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary>
/// YOT and provider ids as people type them. An id matches a known one (named by an agreement) exactly or ignoring
/// case — <c>--yot YOT-NORTH</c> is <c>yot-north</c> —, and the known spelling is used from then on; an id that matches
/// none is a usage error naming the known ones, never a table of empty figures.
/// </summary>
public static class KnownIds
{
    public static async Task<IReadOnlyList<string>> YotsAsync(AgreementStore agreements, CancellationToken cancellationToken) =>
        [.. (await agreements.AllAsync(cancellationToken)).Select(a => a.Yot).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    public static async Task<IReadOnlyList<string>> ProvidersAsync(AgreementStore agreements, CancellationToken cancellationToken) =>
        [.. (await agreements.AllAsync(cancellationToken)).Select(a => a.Provider.Id).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    /// <summary>The known id <paramref name="given"/> means: the same one, else the only one equal to it ignoring case; null when none
    /// is.</summary>
    public static string? Resolve(string given, IReadOnlyList<string> known)
    {
        var id = given.Trim();
        if (known.Contains(id, StringComparer.Ordinal)) return id;
        var matches = known.Where(k => string.Equals(k, id, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>The message for an id that matches none: what was asked for, and what there is.</summary>
    public static string Unknown(string kind, string given, IReadOnlyList<string> known) => known.Count == 0
        ? $"No {kind} '{given}': no agreement is loaded yet, so no {kind} is known. Load them with 'pipeline agreements load DIR'."
        : $"No {kind} '{given}'. Known {kind}s (from the agreements): {string.Join(", ", known)}.";
}
