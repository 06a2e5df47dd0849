using System.Text.Json;
using Azure;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Drops.Documentation;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Storage;
using static YouthJustice.Pipeline.Api.Pages.Html;

namespace YouthJustice.Pipeline.Api.Pages;

/// <summary>
/// A provider's start page: the drop types its agreements cover (with the columns each shares and its sender page), and
/// the upload form. The file goes from the browser straight to Blob storage (the valet-key pattern: nothing large
/// passes through this app) with a write-only link for exactly <c>drops/{provider}/{dropType}/{name}</c> from
/// <see cref="UploadLinks"/>; the drop watcher (Event Grid in Azure) ingests it, and the receipt page follows.
/// </summary>
public sealed class ProviderPages(AgreementStore agreements, UploadLinks uploads, PipelineStorage storage, TimeProvider clock)
{
    public IEnumerable<PageEndpoint> Endpoints =>
    [
        new("Provider", "GET", PageRoutes.Provider, PageAccess.SignedIn, HomeAsync),
        new("DropType", "GET", PageRoutes.DropType, PageAccess.SignedIn, DropTypeAsync),
        new("UploadLink", "POST", PageRoutes.UploadLink, PageAccess.SignedIn, UploadLinkAsync),
        new("Uploaded", "GET", PageRoutes.Uploaded, PageAccess.SignedIn, UploadedAsync),
    ];

    internal static PageResult? NotAProvider(PageRequest request) =>
        request.SignedIn.Is(ApiRoles.Provider) && request.SignedIn.Provider is not null
            ? null
            : PageResult.Forbidden(
                "These pages are for data providers: sign in as a school, college, YOT case system or board secretariat.");

    /// <summary>The provider's agreements in force today, and the drop types they cover (each once, with the columns shared).</summary>
    private async Task<(IReadOnlyList<Agreement> InForce, IReadOnlyList<(AgreedDropType Type, Agreement Agreement)> Types)> CoveredAsync(
        string provider, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var inForce = (await agreements.ForProviderAsync(provider, cancellationToken)).Where(a => a.InForceOn(today))
            .OrderBy(a => a.Id, StringComparer.Ordinal).ToList();
        var types = inForce.SelectMany(a => a.DropTypes.Select(t => (t, a))).GroupBy(x => x.t.DropType, StringComparer.Ordinal)
            .Select(g => g.First()).OrderBy(x => x.t.DropType, StringComparer.Ordinal).ToList();
        return (inForce, types);
    }

    private async Task<PageResult> HomeAsync(PageRequest request, CancellationToken cancellationToken)
    {
        if (NotAProvider(request) is { } refused) return refused;
        var provider = request.SignedIn.Provider!;
        var (inForce, types) = await CoveredAsync(provider, cancellationToken);
        var name = inForce.Count > 0 ? inForce[0].Provider.Name : provider;
        if (types.Count == 0)
            return PageResult.View("Send data", H($"""
                <h1 class="govuk-heading-xl">Send data</h1>
                <p class="govuk-body">{name} has no information-sharing agreement in force today, so there is nothing you can send. Ask the YOT's information officer to register or renew the agreement.</p>
                """));

        var catalogue = SchemaCatalogue.Default;
        var typeRows = Join(types, x => H($"""
            <div class="govuk-summary-card"><div class="govuk-summary-card__title-wrapper"><h3 class="govuk-summary-card__title">{(catalogue.TryGet(x.Type.DropType, out var s) ? s.Title : x.Type.DropType)}</h3>
            <ul class="govuk-summary-card__actions"><li class="govuk-summary-card__action"><a class="govuk-link" href="{PageRoutes.DropTypeOf(x.Type.DropType)}">How to prepare this file<span class="govuk-visually-hidden"> ({x.Type.DropType})</span></a></li></ul></div>
            <div class="govuk-summary-card__content"><dl class="govuk-summary-list">
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Drop type</dt><dd class="govuk-summary-list__value"><code>{x.Type.DropType}</code></dd></div>
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Columns you share</dt><dd class="govuk-summary-list__value">{string.Join(", ", x.Type.Columns)}</dd></div>
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Agreement</dt><dd class="govuk-summary-list__value">{x.Agreement.Id}, with {x.Agreement.Yot}, until {x.Agreement.ValidTo:d MMMM yyyy}</dd></div>
            </dl></div></div>
            """));
        var options = Join(types, x => H($"""<div class="govuk-radios__item"><input class="govuk-radios__input" id="dropType-{x.Type.DropType}" name="dropType" type="radio" value="{x.Type.DropType}"{(types.Count == 1 ? new Markup(" checked") : Markup.Empty)}><label class="govuk-label govuk-radios__label" for="dropType-{x.Type.DropType}">{(catalogue.TryGet(x.Type.DropType, out var s) ? s.Title : x.Type.DropType)} <span class="govuk-hint govuk-!-display-inline">({x.Type.DropType})</span></label></div>"""));

        var body = H($"""
            <h1 class="govuk-heading-xl">Send data<span class="govuk-caption-l">{name}</span></h1>
            <div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
            <div class="govuk-error-summary" data-upload-errors hidden tabindex="-1"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list" data-upload-error-list></ul></div></div></div>
            <form id="upload-form" class="pages-upload" data-module="pages-upload" data-link-url="{PageRoutes.UploadLink}" novalidate>
            <div class="govuk-form-group" id="dropType-group"><fieldset class="govuk-fieldset" aria-describedby="dropType-hint"><legend class="govuk-fieldset__legend govuk-fieldset__legend--m"><h2 class="govuk-fieldset__heading">What are you sending?</h2></legend>
            <div id="dropType-hint" class="govuk-hint">Choose the kind of file. Each has its own columns: see "How to prepare this file" below.</div>
            <p id="dropType-error" class="govuk-error-message" hidden><span class="govuk-visually-hidden">Error:</span> Choose what you are sending</p>
            <div class="govuk-radios" data-module="govuk-radios">{options}</div></fieldset></div>
            <div class="govuk-form-group" id="file-group"><h2 class="govuk-label-wrapper"><label class="govuk-label govuk-label--m" for="file">Choose the CSV file</label></h2>
            <div id="file-hint" class="govuk-hint">A comma-separated CSV file saved as UTF-8, with one header row. Choose it, or drag it onto the button. Large files are sent in parts: keep this page open until the upload finishes.</div>
            <p id="file-error" class="govuk-error-message" hidden><span class="govuk-visually-hidden">Error:</span> Choose a CSV file</p>
            <input class="govuk-file-upload" id="file" name="file" type="file" accept=".csv,text/csv" aria-describedby="file-hint"></div>
            <button type="submit" class="govuk-button" data-module="govuk-button" data-upload-button>Upload and check the file</button>
            <div class="pages-progress" data-upload-progress hidden><label class="govuk-label" for="upload-progress">Uploading</label><progress id="upload-progress" max="100" value="0"></progress>
            <p class="govuk-body" data-upload-status role="status" aria-live="polite"></p></div>
            </form>
            <noscript><div class="govuk-inset-text">Uploading from this page needs JavaScript. Without it, ask the YOT's information officer for an upload link.</div></noscript>
            </div></div>
            <h2 class="govuk-heading-l">Files your agreement covers</h2>
            {typeRows}
            """);
        return PageResult.View("Send data", body, types.Count);
    }

    private async Task<PageResult> DropTypeAsync(PageRequest request, CancellationToken cancellationToken)
    {
        if (NotAProvider(request) is { } refused) return refused;
        var dropType = request.Route("dropType");
        var pages = SenderGuide.Pages(SchemaCatalogue.Default);
        var file = dropType switch { "rules" => "rules.md", "all" => "README.md", _ => $"{dropType}.md" };
        if (!pages.TryGetValue(file, out var markdown)) return PageResult.NotFound($"There is no drop type called '{dropType}'.");
        var (_, types) = await CoveredAsync(request.SignedIn.Provider!, cancellationToken);
        var covered = types.FirstOrDefault(t => t.Type.DropType == dropType).Type;
        var note = covered is null
            ? (file == $"{dropType}.md"
                ? H($"<div class=\"govuk-inset-text\">Your agreement does not cover this drop type: a file of it would be refused.</div>")
                : Markup.Empty)
            : H($"<div class=\"govuk-inset-text\">Your agreement shares these columns: {string.Join(", ", covered.Columns)}. Any other column you send is removed at the gate and listed on the receipt.</div>");
        var html = SenderPageMarkdown.Render(markdown, url => url switch
        {
            "README.md" => PageRoutes.DropTypeOf("all"),
            "rules.md" => PageRoutes.DropTypeOf("rules"),
            _ when url.EndsWith(".md", StringComparison.Ordinal) && !url.Contains('/', StringComparison.Ordinal) =>
                PageRoutes.DropTypeOf(url[..^3]),
            _ when url.StartsWith("../examples/", StringComparison.Ordinal) => null,
            _ => url,
        });
        return PageResult.View(dropType == "rules" ? "Every rule" : dropType == "all" ? "Sending data" : $"How to prepare {dropType}",
            H($"<div class=\"pages-prose\">{note}{html}</div>"), 1, new Crumb("Send data", PageRoutes.Provider));
    }

    private sealed record UploadRequest(string? DropType, string? FileName, long? Size);

    private async Task<PageResult> UploadLinkAsync(PageRequest request, CancellationToken cancellationToken)
    {
        if (NotAProvider(request) is not null) return PageResult.JsonOf(new { error = "Only data providers can upload files." }, 403);
        UploadRequest? upload;
        try
        {
            upload = await JsonSerializer.DeserializeAsync<UploadRequest>(request.Http.Request.Body, ApiJson.Options, cancellationToken);
        }
        catch (JsonException)
        {
            upload = null;
        }
        if (upload?.DropType is not { Length: > 0 } dropType) return PageResult.JsonOf(
            new { error = "Choose what you are sending.", field = "dropType" }, 400);
        if (upload.FileName is not { Length: > 0 } fileName) return PageResult.JsonOf(new { error = "Choose a CSV file.", field = "file" },
            400);
        var (_, types) = await CoveredAsync(request.SignedIn.Provider!, cancellationToken);
        if (types.All(t => t.Type.DropType != dropType))
            return PageResult.JsonOf(
                new { error = $"Your agreement does not cover '{dropType}' today. Choose one of the files listed on this page.",
                field = "dropType" }, 400);
        if (upload.Size is <= 0) return PageResult.JsonOf(new { error = "The file is empty: export it again from your system.",
            field = "file" }, 400);
        if (upload.Size > uploads.MaxBytes)
            return PageResult.JsonOf(
                new { error = $"The file is larger than {uploads.MaxBytes / (1024 * 1024):N0} MB. Split it by date and send each part.",
                field = "file" }, 400);
        var link = await uploads.IssueAsync(request.SignedIn.Provider!, dropType, fileName, cancellationToken);
        return PageResult.JsonOf(new { uploadUrl = link.Url.AbsoluteUri, blobName = link.BlobName, expiresOn = link.ExpiresOn,
            next = link.Next, blockSize = UploadLinks.BlockSize }) with { Rows = 1 };
    }

    /// <summary>
    /// Where the upload page goes once the file is in storage: works out the drop's id from the stored file (a streamed
    /// read, the same hash the ingestor takes) and sends the browser to its receipt page, which waits for the receipt.
    /// </summary>
    private async Task<PageResult> UploadedAsync(PageRequest request, CancellationToken cancellationToken)
    {
        if (NotAProvider(request) is { } refused) return refused;
        var (provider, dropType, fileName) = (request.SignedIn.Provider!, request.Route("dropType"), request.Route("fileName"));
        var blob = storage.Container(StorageNames.DropsContainer).GetBlobClient($"{provider}/{dropType}/{fileName}");
        try
        {
            await using var content = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value.Content;
            return PageResult.Redirect(PageRoutes.ReceiptOf(await UploadLinks.DropIdAsync(provider, dropType, content, cancellationToken)));
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return PageResult.NotFound("We have not received that file. Upload it again from the Send data page.");
        }
    }
}
