using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Api.Auth;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Reporting;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Submissions;

namespace YouthJustice.Pipeline.Api;

/// <summary>
/// The analysts' API: one set of handlers for both hosts. <c>pipeline serve</c> maps them with
/// <see cref="PipelineApiExtensions.MapPipelineApi"/>; the Functions app's HTTP function calls <see cref="DispatchAsync"/>.
/// Every request is, in this order: authenticated (bearer token; without a valid one, 401, counted by
/// <see cref="AnonymousRequestTally"/> rather than audited one by one); checked (every route value and the quarter
/// parameters against <see cref="NameRules"/> and a range of quarters, 400, and the YOT against those the agreements
/// name, 404) before any work is done or anything is stored; authorised by role and YOT/provider inside the handler; and
/// audited whatever the outcome — who (the token's subject), what (the route), when, how many rows, the status — a
/// handler that throws included (500). An answer whose audit row cannot be written is not given (503). Never a raw
/// identifier: paths carry YOT, quarter, KPI and drop ids; child-level rows are pseudonyms.
/// </summary>
public sealed class PipelineApi
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;
    public const int TrendQuarters = 8;

    /// <summary>The first year a quarter may name; the last is next year. Outside them there are no results, only errors.</summary>
    public const int EarliestYear = 2000;

    /// <summary>The audit table's partition for API requests of one day: <c>api|yyyy-MM-dd</c>.</summary>
    public static string AuditSubject(DateTimeOffset at) => $"api|{at.UtcDateTime:yyyy-MM-dd}";

    private readonly PipelineStorage _storage;
    private readonly KpiStore _kpis;
    private readonly AuditLog _audit;
    private readonly IApiTokenValidator _tokens;
    private readonly DisclosureOptions _disclosure;
    private readonly BoardPackBuilder _boardPacks;
    private readonly KpiOptions _kpiOptions;
    private readonly TimeProvider _clock;
    private readonly ILogger<PipelineApi> _logger;
    private readonly IReadOnlyList<(ApiEndpoint Endpoint, TemplateMatcher Matcher)> _matchers;
    private readonly AgreementStore _agreements;
    private readonly AnonymousRequestTally _tally;

    public PipelineApi(PipelineStorage storage, KpiStore kpis, AuditLog audit, IApiTokenValidator tokens, IOptions<DisclosureOptions> disclosure,
        IOptions<KpiOptions> kpiOptions, TimeProvider clock, ILogger<PipelineApi> logger, BoardPackBuilder boardPacks)
    {
        _boardPacks = boardPacks;
        (_storage, _kpis, _audit, _tokens, _disclosure, _kpiOptions, _clock, _logger) = (storage, kpis, audit, tokens, disclosure.Value, kpiOptions.Value, clock, logger);
        _agreements = new AgreementStore(storage);
        _tally = new AnonymousRequestTally(audit, logger);
        string[] aggregates = [ApiRoles.Analyst, ApiRoles.Board, ApiRoles.Yjb];
        var paging = new[]
        {
            new ApiQueryParameter("continuationToken", "The token of the previous page's answer; absent for the first page."),
            new ApiQueryParameter("pageSize", $"Rows per page, 1–{MaxPageSize} (default {DefaultPageSize}).", Type: "integer"),
        };
        Endpoints =
        [
            new("GetKpis", ApiRoutes.Kpis, "Every KPI result of a YOT and quarter (the KPI results contract in the README).", aggregates, [], KpisAsync),
            new("GetKpi", ApiRoutes.Kpi, "One KPI of a YOT and quarter, with its breakdowns.", aggregates, [], KpiAsync),
            new("GetKpiChildren", ApiRoutes.KpiChildren, "The pseudonymised children behind a child-level KPI, with their profile groups (the YOT's own analysts only).",
                [ApiRoles.Analyst], paging, ChildrenAsync),
            new("GetTrends", ApiRoutes.Trends, $"A YOT's KPI results over the {TrendQuarters} quarters ending with 'last', oldest first.", aggregates,
                [new("last", "The last quarter, YYYY-Qn.", Required: true), new("kpi", "Only this KPI id."), new("quarters", $"How many quarters (1–40, default {TrendQuarters}).", Type: "integer")],
                TrendsAsync),
            new("GetDrops", ApiRoutes.Drops, "The drop ledger: a provider's own drops, or an analyst's YOT's drops.", [ApiRoles.Analyst, ApiRoles.Provider],
                [new("provider", "Only this provider's drops (a provider may ask only for its own)."), .. paging], DropsAsync),
            new("GetReceipt", ApiRoutes.Receipt, "One drop's receipt (the receipt contract in the README).", [ApiRoles.Analyst, ApiRoles.Provider], [], ReceiptAsync),
            new("GetSubmissions", ApiRoutes.Submissions, "The YJB returns of a YOT and quarter: every version, its state (built, superseded), what changed and why.",
                aggregates, [], SubmissionsAsync),
            new("GetBoardPack", ApiRoutes.BoardPack, "The board pack of a YOT and quarter: one self-contained HTML page. The YJB, and anyone asking with publish=true, gets the published pack (small numbers withheld).",
                aggregates, [new("publish", "true for the pack as it may be published (disclosure control applied).", Type: "boolean")], BoardPackAsync),
            new("GetOpenApi", ApiRoutes.OpenApi, "This API's OpenAPI 3 document.", [], [], (_, _) => Task.FromResult(ApiResult.Ok(OpenApiDocument.Build(Endpoints ?? []), 0)), Anonymous: true),
        ];
        _matchers = Endpoints.Select(e => (e, new TemplateMatcher(TemplateParser.Parse(e.Route.TrimStart('/')), new RouteValueDictionary()))).ToList();
    }

    public IReadOnlyList<ApiEndpoint> Endpoints { get; }

    /// <summary>The Functions host: finds the endpoint whose route matches the path and handles it; 404 when none does.</summary>
    public async Task DispatchAsync(HttpContext http, CancellationToken cancellationToken)
    {
        foreach (var (endpoint, matcher) in _matchers)
        {
            var values = new RouteValueDictionary();
            if (!HttpMethods.IsGet(http.Request.Method) || !matcher.TryMatch(http.Request.Path, values)) continue;
            await HandleAsync(http, endpoint, values, cancellationToken);
            return;
        }
        await WriteAsync(http, ApiResult.NotFound("No such route; see " + ApiRoutes.OpenApi + "."), cancellationToken);
    }

    public async Task HandleAsync(HttpContext http, ApiEndpoint endpoint, RouteValueDictionary routeValues, CancellationToken cancellationToken)
    {
        ApiCaller? caller = null;
        var anonymous = "no-token";
        ApiResult result;
        try
        {
            (caller, anonymous) = await AuthenticateAsync(http.Request, cancellationToken);
            if (caller is null && !endpoint.Anonymous)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                result = ApiResult.Error(401, "A valid bearer token is required (pipeline token --role … locally; Entra ID in Azure).");
            }
            else
            {
                var request = new ApiRequest(caller,
                    routeValues.ToDictionary(v => v.Key, v => v.Value?.ToString(), StringComparer.OrdinalIgnoreCase),
                    http.Request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.OrdinalIgnoreCase));
                result = await CheckAsync(request, cancellationToken) ?? await endpoint.Handle(request, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The type only: a message could quote a route value or stored content.
            _logger.LogError("API {Route} failed: {Error}", endpoint.Route, ex.GetType().Name);
            result = ApiResult.Error(500, "The request could not be answered. It has been recorded; try again later, or tell the pipeline's operators.");
        }

        var now = _clock.GetUtcNow();
        if (caller is null)
            await _tally.CountAsync(now, result.Status, anonymous);
        else
        {
            try
            {
                // One row per request: the step (RowKey) is the time, the endpoint and a random suffix, so no request
                // overwrites another's. A refused value is not repeated: the route template says what was asked.
                await _audit.AppendAsync(new AuditEntry(AuditSubject(now), $"{now.UtcDateTime:yyyyMMdd'T'HHmmss.fffffff'Z'}-{endpoint.Name}-{Guid.NewGuid():N}",
                    caller.Subject, $"GET {endpoint.Route}", null, result.Rows, now,
                    $"{result.Status} {(result.Status == 400 ? endpoint.Route : http.Request.Path.ToString())}"), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogError("API {Route} answer withheld: its audit row could not be written ({Error})", endpoint.Route, ex.GetType().Name);
                result = ApiResult.Error(503, "The request could not be recorded, so it is not answered. Try again later.");
            }
        }
        _logger.LogInformation("API {Route} answered {Status} with {Rows} rows", endpoint.Route, result.Status, result.Rows);
        await WriteAsync(http, result, cancellationToken);
    }

    /// <returns>The caller, or null and why: <c>no-token</c>, <c>invalid-token</c> (expired, wrongly signed, not a token).</returns>
    private async Task<(ApiCaller? Caller, string Reason)> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return (null, "no-token");
        var identity = await _tokens.ValidateAsync(header["Bearer ".Length..].Trim(), cancellationToken);
        return identity is null ? (null, "invalid-token") : (ApiCaller.From(identity), "");
    }

    /// <summary>
    /// Every route value and quarter parameter checked before a handler runs: ids against <see cref="NameRules"/>, drop
    /// ids as the ledger writes them, quarters from <see cref="EarliestYear"/> to next year (400); then the YOT must be
    /// one an agreement names (404), so no page is built or stored for a YOT that does not exist.
    /// </summary>
    private async Task<ApiResult?> CheckAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in request.Route)
        {
            var problem = name switch
            {
                "yot" => NameRules.IdProblem("YOT", value),
                "provider" => NameRules.IdProblem("provider", value),
                "kpiId" => NameRules.IsId(value) ? null : $"{NameRules.Show(value)} is not a KPI id: KPI ids are lowercase letters, digits and hyphens, e.g. kpi2-ete.",
                "dropId" => value is { Length: 64 } && value.All(char.IsAsciiHexDigitLower) ? null
                    : $"{NameRules.Show(value)} is not a drop id: a drop id is 64 lowercase hexadecimal characters, as the drop ledger lists them.",
                "period" => PeriodProblem(value),
                _ => null,
            };
            if (problem is not null) return ApiResult.BadRequest(problem);
        }
        var queryProblem = (request.Get("last") is { } last ? PeriodProblem(last) : null)
            ?? (request.Get("kpi") is { } kpi && !NameRules.IsId(kpi) ? $"{NameRules.Show(kpi)} is not a KPI id: KPI ids are lowercase letters, digits and hyphens, e.g. kpi2-ete." : null)
            ?? (request.Get("provider") is { } provider ? NameRules.IdProblem("provider", provider) : null);
        if (queryProblem is not null) return ApiResult.BadRequest(queryProblem);

        if (request.Route.TryGetValue("yot", out var yot) && yot is not null
            && !(await _agreements.AllAsync(cancellationToken)).Any(a => string.Equals(a.Yot, yot, StringComparison.Ordinal)))
            return ApiResult.NotFound($"No YOT '{yot}': no agreement names it.");
        return null;
    }

    private string? PeriodProblem(string? text)
    {
        if (!Quarter.TryParse(text, out var quarter)) return $"{NameRules.Show(text)} is not a quarter; write it as YYYY-Qn, e.g. 2026-Q2.";
        var latest = _clock.GetUtcNow().Year + 1;
        return quarter.Year is >= EarliestYear && quarter.Year <= latest ? null
            : $"{quarter} is outside the quarters this API answers for ({EarliestYear}-Q1 to {latest}-Q4).";
    }

    private static async Task WriteAsync(HttpContext http, ApiResult result, CancellationToken cancellationToken)
    {
        http.Response.StatusCode = result.Status;
        if (result.Html is { } html)
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            // The page needs nothing from anywhere: say so to the browser as well as in its own meta tag.
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
            await http.Response.WriteAsync(html, cancellationToken);
            return;
        }
        if (result.Body is null) return;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(JsonSerializer.Serialize(result.Body, result.Body.GetType(), ApiJson.Options), cancellationToken);
    }

    // ---- KPIs -------------------------------------------------------------------------------------------------

    private async Task<ApiResult> KpisAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var (set, error, suppressed) = await ReadSetAsync(request, cancellationToken);
        return error ?? ApiResult.Ok(ApiJson.Set(set!, suppressed), set!.Kpis.Count);
    }

    private async Task<ApiResult> KpiAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var (set, error, suppressed) = await ReadSetAsync(request, cancellationToken);
        if (error is not null) return error;
        var kpiId = request.Path("kpiId");
        return set!.Kpis.FirstOrDefault(k => k.Id == kpiId) is { } kpi
            ? ApiResult.Ok(new { yot = set.Yot, period = set.Period, disclosureControl = suppressed, kpi = ApiJson.Kpi(kpi) }, 1 + kpi.Breakdowns.Sum(b => b.Value.Count))
            : ApiResult.NotFound($"No KPI '{kpiId}' in {set.Yot}'s results for {set.Period}.");
    }

    private async Task<(KpiSet? Set, ApiResult? Error, bool Suppressed)> ReadSetAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var yot = request.Path("yot");
        if (!Quarter.TryParse(request.Path("period"), out var quarter)) return (null, BadPeriod(request.Path("period")), false);
        var view = request.Caller!.ViewOf(yot);
        if (view == AggregateView.None) return (null, ApiResult.Forbidden($"Your token does not cover YOT '{yot}'."), false);
        var set = await _kpis.ReadAsync(yot, quarter.ToString(), cancellationToken);
        if (set is null) return (null, ApiResult.NotFound($"No KPI results for {yot} in {quarter}."), false);
        return view == AggregateView.Suppressed ? (DisclosureControl.Apply(set, _disclosure), null, true) : (set, null, false);
    }

    private async Task<ApiResult> BoardPackAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var yot = request.Path("yot");
        if (!Quarter.TryParse(request.Path("period"), out var quarter)) return BadPeriod(request.Path("period"));
        var view = request.Caller!.ViewOf(yot);
        if (view == AggregateView.None) return ApiResult.Forbidden($"Your token does not cover YOT '{yot}'.");
        var publish = view == AggregateView.Suppressed || string.Equals(request.Get("publish"), "true", StringComparison.OrdinalIgnoreCase);
        return ApiResult.Page(await _boardPacks.BuildAsync(yot, quarter, new BoardPackOptions { Publish = publish }, cancellationToken));
    }

    private async Task<ApiResult> TrendsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var yot = request.Path("yot");
        if (!Quarter.TryParse(request.Get("last"), out var last)) return BadPeriod(request.Get("last") ?? "(missing 'last')");
        var quarters = TrendQuarters;
        if (request.Get("quarters") is { } q && (!int.TryParse(q, out quarters) || quarters is < 1 or > 40))
            return ApiResult.BadRequest("'quarters' must be a whole number from 1 to 40.");
        var view = request.Caller!.ViewOf(yot);
        if (view == AggregateView.None) return ApiResult.Forbidden($"Your token does not cover YOT '{yot}'.");
        var kpi = request.Get("kpi");
        var sets = (await _kpis.TrendAsync(yot, last, quarters, cancellationToken))
            .Select(s => view == AggregateView.Suppressed ? DisclosureControl.Apply(s, _disclosure) : s)
            .Select(s => kpi is null ? s : s with { Kpis = s.Kpis.Where(k => k.Id == kpi).ToList() })
            .ToList();
        return ApiResult.Ok(new { yot, last = last.ToString(), kpi, disclosureControl = view == AggregateView.Suppressed, periods = sets.Select(s => s.Period),
            trend = sets.Select(s => ApiJson.Set(s, view == AggregateView.Suppressed)) }, sets.Sum(s => s.Kpis.Count));
    }

    private async Task<ApiResult> ChildrenAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var (yot, kpiId) = (request.Path("yot"), request.Path("kpiId"));
        if (!Quarter.TryParse(request.Path("period"), out var quarter)) return BadPeriod(request.Path("period"));
        if (!request.Caller!.MaySeeChildren(yot)) return ApiResult.Forbidden($"Child-level rows are for YOT '{yot}''s own analysts only.");
        if (!KpiCatalogue.Definitions.ContainsKey(kpiId)) return ApiResult.NotFound($"No KPI '{kpiId}'.");
        if (PageSize(request) is not { } pageSize) return BadPageSize();
        var rows = await KpiChildPopulations.ReadAsync(_storage, _kpiOptions, yot, quarter, kpiId, cancellationToken);
        if (rows is null) return ApiResult.NotFound($"'{kpiId}' is not counted over children (it counts sectors, offences or programmes): no child-level rows.");
        var after = request.Get("continuationToken") is { } token ? FromToken(token) : null;
        var page = rows.Children.Where(c => after is null || string.CompareOrdinal(c.ChildId, after) > 0).Take(pageSize + 1).ToList();
        var more = page.Count > pageSize;
        if (more) page.RemoveAt(page.Count - 1);
        var units = KpiCatalogue.Units(kpiId);
        return ApiResult.Ok(new
        {
            yot, period = quarter.ToString(), kpiId, population = rows.Population,
            note = "The children behind the KPI, with the groups they count in and what each adds to the numerator and denominator: the rows add up to the figures.",
            unit = KpiJson.Unit(units, KpiCatalogue.Definitions[kpiId].Scale),
            children = page.Select(c => new { childId = c.ChildId, groups = c.Groups, numerator = units.Shown(c.Numerator), denominator = units.Shown(c.Denominator) }),
            continuationToken = more ? ToToken(page[^1].ChildId) : null,
        }, page.Count);
    }

    // ---- Returns ----------------------------------------------------------------------------------------------

    private async Task<ApiResult> SubmissionsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var yot = request.Path("yot");
        if (!Quarter.TryParse(request.Path("period"), out var quarter)) return BadPeriod(request.Path("period"));
        if (request.Caller!.ViewOf(yot) == AggregateView.None) return ApiResult.Forbidden($"Your token does not cover YOT '{yot}'.");
        var versions = await new SubmissionLedger(_storage).ListAsync(yot, quarter.ToString(), cancellationToken);
        if (versions.Count == 0) return ApiResult.NotFound($"No return built for {yot} in {quarter}.");
        return ApiResult.Ok(new { yot, period = quarter.ToString(), versions }, versions.Count);
    }

    // ---- Drops and receipts -----------------------------------------------------------------------------------

    private async Task<ApiResult> DropsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var caller = request.Caller!;
        var provider = request.Get("provider");
        string filter;
        if (caller.Is(ApiRoles.Provider) && caller.Provider is { } own)
        {
            if (provider is not null && provider != own) return ApiResult.Forbidden("A provider sees its own drops only.");
            filter = TableClient.CreateQueryFilter($"PartitionKey eq {own}");
        }
        else if (caller.Is(ApiRoles.Analyst) && caller.Yot is { } yot)
        {
            filter = provider is null
                ? TableClient.CreateQueryFilter($"Yot eq {yot}")
                : TableClient.CreateQueryFilter($"PartitionKey eq {provider} and Yot eq {yot}");
        }
        else return ApiResult.Forbidden("The drop ledger is for providers (their own drops) and YOT analysts (their YOT's drops).");
        if (PageSize(request) is not { } pageSize) return BadPageSize();

        var table = _storage.Table(StorageNames.DropsTable);
        try
        {
            await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, cancellationToken: cancellationToken)
                               .AsPages(request.Get("continuationToken"), pageSize))
            {
                var drops = page.Values.Select(Drop).ToList();
                return ApiResult.Ok(new { drops, continuationToken = page.ContinuationToken }, drops.Count);
            }
        }
        catch (RequestFailedException ex) when (ex.Status is 400 or 404)
        {
            if (ex.Status == 400) return ApiResult.BadRequest("The continuation token is not one this API gave out.");
        }
        return ApiResult.Ok(new { drops = Array.Empty<object>(), continuationToken = (string?)null }, 0);
    }

    private static object Drop(TableEntity e) => new
    {
        dropId = e.RowKey,
        provider = e.PartitionKey,
        dropType = e.GetString("DropType"),
        status = e.GetString("Status"),
        yot = e.GetString("Yot"),
        agreement = e.GetString("Agreement"),
        rowsRead = e.GetInt64("RowsRead") ?? e.GetInt32("RowsRead"),
        rowsAccepted = e.GetInt64("RowsAccepted") ?? e.GetInt32("RowsAccepted"),
        rowsRejected = e.GetInt64("RowsRejected") ?? e.GetInt32("RowsRejected"),
        rowsOutOfCohort = e.GetInt64("RowsOutOfCohort") ?? e.GetInt32("RowsOutOfCohort"),
        receivedAt = e.GetDateTimeOffset("ReceivedAt"),
        processedAt = e.GetDateTimeOffset("ProcessedAt"),
        receipt = $"/api/drops/{Uri.EscapeDataString(e.PartitionKey)}/{Uri.EscapeDataString(e.RowKey)}",
    };

    private async Task<ApiResult> ReceiptAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var (caller, provider, dropId) = (request.Caller!, request.Path("provider"), request.Path("dropId"));
        var isOwnProvider = caller.Is(ApiRoles.Provider) && caller.Provider == provider;
        if (!isOwnProvider && !caller.Is(ApiRoles.Analyst)) return ApiResult.Forbidden("A provider sees its own receipts only.");
        if (!isOwnProvider)
        {
            var ledger = await _storage.Table(StorageNames.DropsTable).GetEntityIfExistsAsync<TableEntity>(provider, dropId, cancellationToken: cancellationToken);
            if (!ledger.HasValue) return ApiResult.NotFound("No such drop.");
            if (caller.Yot is null || ledger.Value!.GetString("Yot") != caller.Yot) return ApiResult.Forbidden("The drop is not your YOT's.");
        }
        var blob = _storage.Container(StorageNames.ReceiptsContainer).GetBlobClient(DropLedger.ReceiptBlobName(provider, dropId));
        try
        {
            var content = await blob.DownloadContentAsync(cancellationToken);
            return ApiResult.Ok(JsonDocument.Parse(content.Value.Content.ToMemory()).RootElement.Clone(), 1);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return ApiResult.NotFound("No receipt for that drop.");
        }
    }

    // ---- Helpers ----------------------------------------------------------------------------------------------

    private static ApiResult BadPeriod(string text) => ApiResult.BadRequest($"'{text}' is not a quarter; write it as YYYY-Qn, e.g. 2026-Q2.");

    private static ApiResult BadPageSize() => ApiResult.BadRequest($"'pageSize' must be a whole number from 1 to {MaxPageSize}.");

    private static int? PageSize(ApiRequest request) =>
        request.Get("pageSize") is not { } text ? DefaultPageSize : int.TryParse(text, out var n) && n is >= 1 and <= MaxPageSize ? n : null;

    private static string ToToken(string value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? FromToken(string token)
    {
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            return Encoding.UTF8.GetString(Convert.FromBase64String(b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=')));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
