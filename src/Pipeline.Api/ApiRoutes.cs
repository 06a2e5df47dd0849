namespace YouthJustice.Pipeline.Api;

/// <summary>
/// The analysts' API routes (ARCHITECTURE.md §1 QueryApi). <c>pipeline serve</c> maps each one with minimal APIs; the Functions
/// app's one HTTP function (<see cref="Storage.Triggers.QueryApiFunction"/>) catches <see cref="FunctionRoute"/> and
/// dispatches through the same handlers, so the two hosts answer the same paths.
/// </summary>
public static class ApiRoutes
{
    public const string Kpis = "/api/yots/{yot}/kpis/{period}";
    public const string Kpi = "/api/yots/{yot}/kpis/{period}/{kpiId}";
    public const string KpiChildren = "/api/yots/{yot}/kpis/{period}/{kpiId}/children";
    public const string Trends = "/api/yots/{yot}/trends";
    public const string Drops = "/api/drops";
    public const string Receipt = "/api/drops/{provider}/{dropId}";
    public const string Submissions = "/api/submissions/{period}/{yot}";
    public const string BoardPack = "/api/yots/{yot}/board-pack/{period}";
    public const string OpenApi = "/api/openapi.json";

    /// <summary>The Functions route (under the host's "api" prefix) that catches every path above.</summary>
    public const string FunctionRoute = "{*path}";
}

/// <summary>The roles a caller's token may carry (Entra ID app roles in Azure; the development issuer locally).</summary>
public static class ApiRoles
{
    /// <summary>A YOT analyst: everything of their own YOT, unsuppressed, child-level rows included.</summary>
    public const string Analyst = "analyst";

    /// <summary>A management board member: their own YOT's aggregates, unsuppressed; no child-level rows.</summary>
    public const string Board = "board";

    /// <summary>The Youth Justice Board: every YOT's aggregates with disclosure control applied; no child-level rows.</summary>
    public const string Yjb = "yjb";

    /// <summary>A data provider: its own drops and receipts only.</summary>
    public const string Provider = "provider";

    public static IReadOnlyList<string> All { get; } = [Analyst, Board, Yjb, Provider];

    /// <summary>Who may read a YOT's aggregates (KPIs, trends, returns, the board pack), each in its own view.</summary>
    public static IReadOnlyList<string> Aggregates { get; } = [Analyst, Board, Yjb];
}

/// <summary>Claim types the API reads.</summary>
public static class ApiClaims
{
    public const string Subject = "sub";
    public const string Roles = "roles";
    public const string Yot = "yot";
    public const string Provider = "provider";
}
