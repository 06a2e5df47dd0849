using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Api;

/// <summary>
/// Every route value and quarter parameter of a request, checked before a handler runs: ids against
/// <see cref="NameRules"/>, drop ids as the ledger writes them, quarters from <see cref="EarliestYear"/> to next year
/// (400); then the YOT must be one an agreement names (404), so no page is built or stored for a YOT that does not exist.
/// </summary>
public sealed class ApiRequestChecks(AgreementStore agreements, TimeProvider clock)
{
    /// <summary>The first year a quarter may name; the last is next year. Outside them there are no results, only errors.</summary>
    public const int EarliestYear = 2000;

    /// <returns>The answer refusing the request, or null when it may go to its handler.</returns>
    public async Task<ApiResult?> CheckAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in request.Route)
        {
            var problem = name switch
            {
                "yot" => NameRules.IdProblem("YOT", value),
                "provider" => NameRules.IdProblem("provider", value),
                "kpiId" => NameRules.IsId(value) ? null : NotKpiId(value),
                "dropId" => value is { Length: 64 } && value.All(char.IsAsciiHexDigitLower) ? null
                    : $"{NameRules.Show(value)} is not a drop id: a drop id is 64 lowercase hexadecimal characters, as the drop ledger " +
                        $"lists them.",
                "period" => PeriodProblem(value),
                _ => null,
            };
            if (problem is not null) return ApiResult.BadRequest(problem);
        }
        var queryProblem = (request.Get("last") is { } last ? PeriodProblem(last) : null)
            ?? (request.Get("kpi") is { } kpi && !NameRules.IsId(kpi) ? NotKpiId(kpi) : null)
            ?? (request.Get("provider") is { } provider ? NameRules.IdProblem("provider", provider) : null);
        if (queryProblem is not null) return ApiResult.BadRequest(queryProblem);

        if (request.Route.TryGetValue("yot", out var yot) && yot is not null
            && !(await agreements.AllAsync(cancellationToken)).Any(a => string.Equals(a.Yot, yot, StringComparison.Ordinal)))
            return ApiResult.NotFound($"No YOT '{yot}': no agreement names it.");
        return null;
    }

    private static string NotKpiId(string? value) =>
        $"{NameRules.Show(value)} is not a KPI id: KPI ids are lowercase letters, digits and hyphens, e.g. kpi2-ete.";

    private string? PeriodProblem(string? text)
    {
        if (!Quarter.TryParse(text, out var quarter)) return $"{NameRules.Show(text)} is not a quarter; write it as YYYY-Qn, e.g. 2026-Q2.";
        var latest = clock.GetUtcNow().Year + 1;
        return quarter.Year is >= EarliestYear && quarter.Year <= latest ? null
            : $"{quarter} is outside the quarters this API answers for ({EarliestYear}-Q1 to {latest}-Q4).";
    }
}
