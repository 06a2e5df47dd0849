using System.Collections.Frozen;
using Azure;
using Azure.Data.Tables;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Drops.Validation;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Storage;
using static YouthJustice.Pipeline.Api.Pages.Html;

namespace YouthJustice.Pipeline.Api.Pages;

/// <summary>
/// A provider's drops: the history (from the drop ledger), each drop's receipt (status, counts, every rule broken with
/// its fix in plain words, the findings line by line) and its errors CSV. A provider sees its own drops only: every
/// read is under its own provider id, so another provider's drop id finds nothing.
/// </summary>
public sealed class DropPages(DropLedger ledger, PipelineStorage storage)
{
    public const int HistoryPageSize = 50;
    public const int ErrorsPageSize = 100;

    private static readonly FrozenDictionary<string, Rule> Rules =
        RuleIndex.All(SchemaCatalogue.Default).ToFrozenDictionary(e => e.Rule.Code, e => e.Rule, StringComparer.Ordinal);

    public IEnumerable<PageEndpoint> Endpoints =>
    [
        new("Drops", "GET", PageRoutes.Drops, PageAccess.SignedIn, HistoryAsync),
        new("Receipt", "GET", PageRoutes.Receipt, PageAccess.SignedIn, ReceiptAsync),
        new("ReceiptStatus", "GET", PageRoutes.ReceiptStatus, PageAccess.SignedIn, StatusAsync),
        new("ReceiptErrors", "GET", PageRoutes.ReceiptErrors, PageAccess.SignedIn, ErrorsCsvAsync),
    ];

    public static string Fix(string rule) => Rules.TryGetValue(rule, out var r) ? r.Fix : "Check the row in your system.";

    private async Task<PageResult> HistoryAsync(PageRequest request, CancellationToken cancellationToken)
    {
        if (ProviderPages.NotAProvider(request) is { } refused) return refused;
        var rows = (await ledger.ForProviderAsync(request.SignedIn.Provider!, cancellationToken))
            .OrderByDescending(e => e.GetDateTimeOffset("ReceivedAt")).ThenBy(e => e.RowKey, StringComparer.Ordinal).ToList();
        var page = PageNumber(request, rows.Count, HistoryPageSize);
        var shown = rows.Skip((page - 1) * HistoryPageSize).Take(HistoryPageSize).ToList();
        var table = rows.Count == 0 ? H($"<p class=\"govuk-body\">You have not sent any files yet. <a class=\"govuk-link\" href=\"{PageRoutes.Provider}\">Send one</a>.</p>") : H($"""
            <table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--m">Files received, newest first</caption>
            <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Received</th><th scope="col" class="govuk-table__header">File</th><th scope="col" class="govuk-table__header">Drop type</th><th scope="col" class="govuk-table__header">Result</th>
            <th scope="col" class="govuk-table__header govuk-table__header--numeric">Rows read</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Accepted</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Refused</th></tr></thead>
            <tbody class="govuk-table__body">{Join(shown, DropRow)}</tbody></table>
            {Pagination(PageRoutes.Drops, page, rows.Count, HistoryPageSize)}
            """);
        return PageResult.View("Your drops", H($"<h1 class=\"govuk-heading-xl\">Your drops</h1>{table}"), shown.Count);
    }

    private async Task<Receipt?> ReadReceiptAsync(string provider, string dropId, CancellationToken cancellationToken)
    {
        try
        {
            var content = await storage.Container(StorageNames.ReceiptsContainer)
                .GetBlobClient(DropLedger.ReceiptBlobName(provider, dropId)).DownloadContentAsync(cancellationToken);
            return ReceiptJson.Deserialize(content.Value.Content.ToString());
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private async Task<PageResult> StatusAsync(PageRequest request, CancellationToken cancellationToken)
    {
        if (ProviderPages.NotAProvider(request) is not null) return PageResult.JsonOf(new { error = "Only data providers have receipts." },
            403);
        var receipt = await ReadReceiptAsync(request.SignedIn.Provider!, request.Route("dropId"), cancellationToken);
        return PageResult.JsonOf(new { ready = receipt is not null, status = receipt?.Status });
    }

    private async Task<PageResult> ReceiptAsync(PageRequest request, CancellationToken cancellationToken)
    {
        if (ProviderPages.NotAProvider(request) is { } refused) return refused;
        var (provider, dropId) = (request.SignedIn.Provider!, request.Route("dropId"));
        var crumbs = new[] { new Crumb("Your drops", PageRoutes.Drops) };
        var receipt = await ReadReceiptAsync(provider, dropId, cancellationToken);
        if (receipt is null)
        {
            // Not processed yet (or not this provider's): the page waits for it; a drop id that never appears stays "checking".
            var inLedger = await ledger.FindAsync(provider, dropId, cancellationToken) is not null;
            return PageResult.View("Checking your file", H($"""
                <div data-module="pages-receipt-poll" data-status-url="{PageRoutes.ReceiptOf(dropId)}/status">
                <h1 class="govuk-heading-xl">Checking your file</h1>
                <p class="govuk-body" role="status" aria-live="polite" data-poll-message>{(inLedger ? "We are checking your file now." : "Your file has arrived. Checking usually starts within a few seconds.")} This page shows the receipt as soon as it is ready.</p>
                <p class="govuk-body"><a class="govuk-link" href="{PageRoutes.ReceiptOf(dropId)}">Check again</a></p>
                </div>
                """), 0, crumbs);
        }

        var errors = receipt.Errors;
        var wholeFile = errors.Where(e => e.Line is null).ToList();
        var lineErrors = errors.Where(e => e.Line is not null).ToList();
        var page = PageNumber(request, lineErrors.Count, ErrorsPageSize);
        var shown = lineErrors.Skip((page - 1) * ErrorsPageSize).Take(ErrorsPageSize).ToList();
        var (headline, text) = receipt.Status switch
        {
            ReceiptStatus.Accepted => ("File accepted", "Every row passed the checks."),
            ReceiptStatus.AcceptedWithErrors => ("File accepted with errors", "The rows listed below were left out or need checking; the rest were accepted. Fix the errors and send the whole file again."),
            ReceiptStatus.Rejected => ("File refused", "Nothing from this file was kept. Fix the problem below and send the file again."),
            ReceiptStatus.Duplicate => ("Already received", "This file was received before; this is its receipt."),
            _ => (receipt.Status, ""),
        };
        var summary = new List<(string, Markup)>
        {
            ("Drop type", H($"<code>{receipt.DropType}</code>")),
            ("Received", H($"{At(receipt.ReceivedAt)}")),
            ("Checked", H($"{At(receipt.ProcessedAt)}")),
            ("Rows read", H($"{receipt.Rows.Read:N0}")),
            ("Rows accepted", H($"{receipt.Rows.Accepted:N0}")),
            ("Rows refused", H($"{receipt.Rows.Rejected:N0}")),
        };
        if (receipt.Rows.OutOfCohort > 0) summary.Add(("Rows about other children",
            H($"{receipt.Rows.OutOfCohort:N0} (not known to the YOT: counted, then discarded)")));
        if (receipt.Rows.Held > 0) summary.Add(("Rows held",
            H($"{receipt.Rows.Held:N0} (kept until the child or record they refer to arrives)")));
        if (receipt.LinkedBy.Count > 0) summary.Add(("Linked to the YOT's children by",
            H($"{string.Join(", ", receipt.LinkedBy.Select(l => $"{l.Key}: {l.Value:N0}"))}")));
        if (receipt.FieldsNotShared.Count > 0) summary.Add(("Columns removed",
            H($"{string.Join(", ", receipt.FieldsNotShared)} (your agreement does not share them)")));
        if (receipt.Agreement is { } agreement) summary.Add(("Agreement", H($"{agreement}")));
        summary.Add(("Drop id", H($"<code class=\"pages-break\">{receipt.DropId}</code>")));

        var ruleCounts = receipt.ErrorCounts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        var body = H($"""
            <div class="govuk-panel {(receipt.Status == ReceiptStatus.Accepted ? "govuk-panel--confirmation" : "")} pages-panel--{receipt.Status}"><h1 class="govuk-panel__title">{headline}</h1><div class="govuk-panel__body">{FileOfReceipt(receipt)}</div></div>
            <p class="govuk-body-l">{text}</p>
            {When(wholeFile.Count > 0, H($"""
                <div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">{(receipt.Status == ReceiptStatus.Rejected ? "Why the file was refused" : "About the whole file")}</h2>
                <div class="govuk-error-summary__body">{Join(wholeFile, e => H($"<p class=\"govuk-body\"><strong>{e.Message}</strong></p><p class=\"govuk-body\">How to fix it: {Fix(e.Rule)} <span class=\"govuk-hint govuk-!-display-inline\">(rule <code>{e.Rule}</code>)</span></p>"))}</div></div></div>
                """))}
            <dl class="govuk-summary-list">{Join(summary, s => H($"<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">{s.Item1}</dt><dd class=\"govuk-summary-list__value\">{s.Item2}</dd></div>"))}</dl>
            {When(ruleCounts.Count > 0, H($"""
                <h2 class="govuk-heading-l">What to fix</h2>
                <table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--m">Each check your file did not pass, with how to fix it</caption>
                <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Check</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Rows</th><th scope="col" class="govuk-table__header">What it checks</th><th scope="col" class="govuk-table__header">How to fix it</th></tr></thead>
                <tbody class="govuk-table__body">{Join(ruleCounts, c => H($"<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\"><code>{c.Key}</code> {Severity(c.Key)}</td><td class=\"govuk-table__cell govuk-table__cell--numeric\">{c.Value:N0}</td><td class=\"govuk-table__cell\">{(Rules.TryGetValue(c.Key, out var r) ? r.Checks : "")}</td><td class=\"govuk-table__cell\">{Fix(c.Key)}</td></tr>"))}</tbody></table>
                """))}
            {When(lineErrors.Count > 0, H($"""
                <h2 class="govuk-heading-l" id="errors">Errors by line</h2>
                <p class="govuk-body">Line numbers are the lines your editor shows: the header is line 1. An <strong>error</strong> left the row out; a <strong>query</strong> kept it and asks you to check.{(receipt.ErrorsTruncated ? " Only the first findings are listed here; the CSV has them all." : "")}</p>
                <p class="govuk-body"><a class="govuk-link" href="{PageRoutes.ReceiptOf(receipt.DropId)}/errors.csv" download>Download every error as a spreadsheet (CSV)</a></p>
                <table class="govuk-table pages-errors"><caption class="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Errors by line</caption>
                <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header govuk-table__header--numeric">Line</th><th scope="col" class="govuk-table__header">Column</th><th scope="col" class="govuk-table__header">Problem</th><th scope="col" class="govuk-table__header">How to fix it</th></tr></thead>
                <tbody class="govuk-table__body">{Join(shown, e => H($"<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell govuk-table__cell--numeric\">{e.Line}</td><td class=\"govuk-table__cell\">{e.Field ?? ""}</td><td class=\"govuk-table__cell\">{e.Message} {SeverityTag(e.Severity)}<br><span class=\"govuk-hint govuk-!-font-size-16\">{e.Rule}</span></td><td class=\"govuk-table__cell\">{Fix(e.Rule)}</td></tr>"))}</tbody></table>
                {Pagination(PageRoutes.ReceiptOf(receipt.DropId), page, lineErrors.Count, ErrorsPageSize, "#errors")}
                """))}
            {When(receipt.RulesSkipped.Count > 0, H($"""
                <h2 class="govuk-heading-m">Checks that could not run</h2>
                <ul class="govuk-list govuk-list--bullet">{Join(receipt.RulesSkipped, s => H($"<li><code>{s.Rule}</code>: {s.Reason}</li>"))}</ul>
                """))}
            <p class="govuk-body"><a class="govuk-link" href="{PageRoutes.Provider}">Send another file</a></p>
            """);
        return PageResult.View(headline, body, 1 + shown.Count, crumbs);
    }

    private async Task<PageResult> ErrorsCsvAsync(PageRequest request, CancellationToken cancellationToken)
    {
        if (ProviderPages.NotAProvider(request) is { } refused) return refused;
        var dropId = request.Route("dropId");
        var blob = storage.Container(StorageNames.ReceiptsContainer)
            .GetBlobClient(DropLedger.ErrorsCsvBlobName(request.SignedIn.Provider!, dropId));
        try
        {
            // Streamed from storage to the browser: the file can hold every finding of a large drop.
            var download = await blob.DownloadStreamingAsync(cancellationToken: cancellationToken);
            return new PageResult
            {
                ContentType = "text/csv; charset=utf-8", FileName = $"errors-{dropId[..Math.Min(12, dropId.Length)]}.csv", Rows = 1,
                Write = async (stream, ct) =>
                {
                    await using var content = download.Value.Content;
                    await content.CopyToAsync(stream, ct);
                },
            };
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return PageResult.NotFound("There is no error list for that drop.");
        }
    }

    internal static int PageNumber(PageRequest request, int total, int size)
    {
        var last = Math.Max(1, (total + size - 1) / size);
        return int.TryParse(request.Query("page"), out var p) && p >= 1 ? Math.Min(p, last) : 1;
    }

    internal static Markup Pagination(string path, int page, int total, int size, string fragment = "")
    {
        var last = (total + size - 1) / size;
        if (last <= 1) return Markup.Empty;
        var join = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        string Link(int p) => $"{path}{join}page={p}{fragment}";
        return H($"""
            <nav class="govuk-pagination" aria-label="Pages">
            {When(page > 1, H($"<div class=\"govuk-pagination__prev\"><a class=\"govuk-link govuk-pagination__link\" href=\"{Link(page - 1)}\" rel=\"prev\"><span class=\"govuk-pagination__link-title\">Previous<span class=\"govuk-visually-hidden\"> page</span></span></a></div>"))}
            <ul class="govuk-pagination__list">{Join(Enumerable.Range(1, last).Where(p => p == 1 || p == last || Math.Abs(p - page) <= 2), p => p == page
                ? H($"<li class=\"govuk-pagination__item govuk-pagination__item--current\"><a class=\"govuk-link govuk-pagination__link\" href=\"{Link(p)}\" aria-label=\"Page {p}\" aria-current=\"page\">{p}</a></li>")
                : H($"<li class=\"govuk-pagination__item\"><a class=\"govuk-link govuk-pagination__link\" href=\"{Link(p)}\" aria-label=\"Page {p}\">{p}</a></li>"))}</ul>
            {When(page < last, H($"<div class=\"govuk-pagination__next\"><a class=\"govuk-link govuk-pagination__link\" href=\"{Link(page + 1)}\" rel=\"next\"><span class=\"govuk-pagination__link-title\">Next<span class=\"govuk-visually-hidden\"> page</span></span></a></div>"))}
            </nav>
            """);
    }

    private static Markup Severity(string rule) =>
        Rules.TryGetValue(rule, out var r) ? SeverityTag(r.Severity) : Markup.Empty;

    private static Markup SeverityTag(RuleSeverity severity) => severity == RuleSeverity.Query
        ? H($"<strong class=\"govuk-tag govuk-tag--yellow\">query</strong>")
        : H($"<strong class=\"govuk-tag govuk-tag--red\">error</strong>");

    internal static Markup StatusTag(string? status) => status switch
    {
        ReceiptStatus.Accepted => H($"<strong class=\"govuk-tag govuk-tag--green\">Accepted</strong>"),
        ReceiptStatus.AcceptedWithErrors => H($"<strong class=\"govuk-tag govuk-tag--yellow\">Accepted with errors</strong>"),
        ReceiptStatus.Rejected => H($"<strong class=\"govuk-tag govuk-tag--red\">Refused</strong>"),
        DropLedger.Processing => H($"<strong class=\"govuk-tag govuk-tag--blue\">Checking</strong>"),
        _ => H($"<strong class=\"govuk-tag govuk-tag--grey\">{status ?? "unknown"}</strong>"),
    };

    internal static string At(DateTimeOffset? at) => at is { } t ? $"{t.UtcDateTime:d MMMM yyyy, HH:mm} UTC" : "";

    /// <summary>One row of the drops table: a ledger row, its counts read once.</summary>
    private static Markup DropRow(TableEntity e)
    {
        var counts = DropLedger.CountsOf(e);
        return H($"""
            <tr class="govuk-table__row"><td class="govuk-table__cell">{At(e.GetDateTimeOffset("ReceivedAt"))}</td>
            <td class="govuk-table__cell"><a class="govuk-link pages-break" href="{PageRoutes.ReceiptOf(e.RowKey)}">{FileOf(
                e.GetString("BlobName"))}<span class="govuk-visually-hidden"> receipt</span></a></td>
            <td class="govuk-table__cell">{e.GetString("DropType")}</td><td class="govuk-table__cell">{StatusTag(
                e.GetString("Status"))}</td>
            <td class="govuk-table__cell govuk-table__cell--numeric">{Count(counts?.Read)}</td><td class="govuk-table__cell govuk-table__cell--numeric">{Count(
                counts?.Accepted)}</td><td class="govuk-table__cell govuk-table__cell--numeric">{Count(counts?.Rejected)}</td></tr>
            """);
    }

    private static string FileOf(string? blobName) => blobName is null ? "(file name not recorded)"
        : blobName[(blobName.LastIndexOf('/') + 1)..];

    private static string FileOfReceipt(Receipt receipt) => $"{receipt.DropType}, received {At(receipt.ReceivedAt)}";

    private static string Count(long? n) => n?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "";
}
