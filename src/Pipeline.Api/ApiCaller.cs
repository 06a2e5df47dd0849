using System.Security.Claims;

namespace YouthJustice.Pipeline.Api;

/// <summary>Who is asking, from a validated token: subject (an opaque id, audited), roles, and the YOT or provider they belong
/// to.</summary>
public sealed record ApiCaller(string Subject, IReadOnlySet<string> Roles, string? Yot, string? Provider)
{
    public static ApiCaller From(ClaimsIdentity identity) => new(
        identity.FindFirst(ApiClaims.Subject)?.Value ?? identity.FindFirst("oid")?.Value ?? "unknown",
        identity.FindAll(ApiClaims.Roles).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
        identity.FindFirst(ApiClaims.Yot)?.Value,
        identity.FindFirst(ApiClaims.Provider)?.Value);

    public bool Is(string role) => Roles.Contains(role);

    /// <summary>An analyst or board member of <paramref name="yot"/>: sees its figures unsuppressed.</summary>
    public bool OwnsYot(string yot) => (Is(ApiRoles.Analyst) || Is(ApiRoles.Board)) && string.Equals(Yot, yot, StringComparison.Ordinal);

    /// <summary>How this caller may see a YOT's aggregates: unsuppressed, suppressed (disclosure control applied) or not at all.</summary>
    public AggregateView ViewOf(string yot) =>
        OwnsYot(yot) ? AggregateView.Unsuppressed : Is(ApiRoles.Yjb) ? AggregateView.Suppressed : AggregateView.None;

    /// <summary>Child-level rows: the YOT's own analysts only.</summary>
    public bool MaySeeChildren(string yot) => Is(ApiRoles.Analyst) && string.Equals(Yot, yot, StringComparison.Ordinal);
}

public enum AggregateView { None, Suppressed, Unsuppressed }
