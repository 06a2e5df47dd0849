using System.Security.Cryptography;
using System.Text;
using Azure;
using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Quality;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Reporting;

/// <summary>What a board pack is built for.</summary>
public sealed record BoardPackOptions
{
    /// <summary>
    /// A pack for publication: disclosure control applied (small numbers withheld, shown as <c>c</c>) and said so on the
    /// page. Without it the pack is the board's internal one, unsuppressed, and marked not for publication.
    /// </summary>
    public bool Publish { get; init; }

    /// <summary>Quarters shown in each trend chart, ending with the pack's quarter.</summary>
    public int TrendQuarters { get; init; } = 8;

    /// <summary>A provider whose last accepted drop is older than this many days is marked late.</summary>
    public int LateAfterDays { get; init; } = 45;
}

/// <summary>
/// A provider's data for the pack's quarter. Data about a quarter arrives during it and after it, so a drop type counts
/// as <see cref="Missing"/> only when no drop of it was received from the quarter's start to today (at most four
/// quarters on), and as <see cref="RefusedOnly"/> when drops came but none was accepted.
/// </summary>
/// <param name="Latest">The provider's quality report of the last quarter looked at (its timeliness is over all time).</param>
public sealed record BoardPackProvider(QualityReport Latest, IReadOnlyList<string> Missing, IReadOnlyList<string> RefusedOnly,
    int DropsReceived, int DropsAccepted, Quarter From, Quarter To);

/// <summary>Everything one board pack shows, gathered before it is rendered.</summary>
public sealed record BoardPackModel
{
    public required string Yot { get; init; }
    public required Quarter Period { get; init; }
    public required KpiSet Current { get; init; }

    /// <summary>One entry per quarter of the window, oldest first; null where the quarter has no results.</summary>
    public required IReadOnlyList<(Quarter Quarter, KpiSet? Set)> Trend { get; init; }
    public required IReadOnlyList<BoardPackProvider> Quality { get; init; }
    public required BoardPackOptions Options { get; init; }
    public required DisclosureOptions Disclosure { get; init; }
}

/// <summary>
/// Builds a YOT's board pack for a quarter (issue 5 item 3): one self-contained HTML page — headline KPIs with their
/// direction over 8 quarters as inline SVG charts, the ETE board measures with disproportionality breakdowns, the data
/// quality of every provider sharing with the YOT, and c / x marks where suppression or missing data limits a figure.
/// Stored at <c>reports/{yot}/{period}/board-pack.html</c> (published packs at <c>board-pack.published.html</c>, so
/// the internal, unsuppressed pack and the published one never overwrite each other). Building it again from the
/// same inputs writes nothing new.
/// </summary>
public sealed class BoardPackBuilder(PipelineStorage storage, KpiStore store, KpiEngine engine, AgreementStore agreements,
    QualityReporter quality, AuditLog audit, IOptions<DisclosureOptions> disclosure, TimeProvider clock)
{
    public static string BlobName(string yot, Quarter period, bool publish) =>
        $"{yot}/{period}/{(publish ? "board-pack.published.html" : "board-pack.html")}";

    public async Task<string> BuildAsync(string yot, Quarter period, BoardPackOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new BoardPackOptions();
        if (NameRules.IdProblem("YOT", yot) is { } problem) throw new ArgumentException(problem, nameof(yot));
        var model = await GatherAsync(yot, period, options, cancellationToken);
        var html = BoardPackHtml.Render(model);
        await WriteAsync(model, html, cancellationToken);
        return html;
    }

    public async Task<BoardPackModel> GatherAsync(string yot, Quarter period, BoardPackOptions options, CancellationToken cancellationToken)
    {
        var rules = disclosure.Value;
        var current = await store.ReadAsync(yot, period.ToString(), cancellationToken)
            ?? await engine.ComputeAsync(yot, period, cancellationToken);
        var stored = (await store.TrendAsync(yot, period, options.TrendQuarters, cancellationToken))
            .ToDictionary(s => s.Period, StringComparer.Ordinal);
        stored[period.ToString()] = current;

        var quarters = new List<Quarter> { period };
        while (quarters.Count < options.TrendQuarters) quarters.Insert(0, quarters[0].Previous());
        KpiSet Release(KpiSet s) => options.Publish ? DisclosureControl.Apply(s, rules) : s;
        var trend = quarters.Select(q => (q, stored.TryGetValue(q.ToString(), out var s) ? Release(s) : null)).ToList();

        var providers = (await agreements.AllAsync(cancellationToken)).Where(a => a.Yot == yot)
            .Select(a => a.Provider.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var today = quality.CurrentPeriod();
        var looked = new List<Quarter> { period };
        while (looked.Count < 4 && looked[^1] < today) looked.Add(Next(looked[^1]));
        var reports = new List<BoardPackProvider>();
        foreach (var provider in providers)
        {
            var perQuarter = new List<QualityReport>();
            try
            {
                foreach (var q in looked) perQuarter.Add(await quality.BuildAsync(provider, q, cancellationToken));
            }
            catch (UnknownProviderException)
            {
                continue;
            }
            var covered = perQuarter.SelectMany(r => r.DropTypes).Where(t => t.Covered).Select(t => t.DropType)
                .ToHashSet(StringComparer.Ordinal);
            var received = perQuarter.SelectMany(r => r.DropTypes).Where(t => t.DropsReceived > 0).Select(t => t.DropType)
                .ToHashSet(StringComparer.Ordinal);
            var accepted = perQuarter.SelectMany(r => r.DropTypes).Where(t => t.DropsAccepted > 0).Select(t => t.DropType)
                .ToHashSet(StringComparer.Ordinal);
            reports.Add(new BoardPackProvider(perQuarter[^1],
                covered.Where(t => !received.Contains(t)).Order(StringComparer.Ordinal).ToList(),
                covered.Where(t => received.Contains(t) && !accepted.Contains(t)).Order(StringComparer.Ordinal).ToList(),
                perQuarter.Sum(r => r.Totals.DropsReceived), perQuarter.Sum(r => r.Totals.DropsAccepted), looked[0], looked[^1]));
        }

        return new BoardPackModel
        {
            Yot = yot, Period = period, Current = Release(current), Trend = trend, Quality = reports, Options = options, Disclosure = rules,
        };
    }

    private static Quarter Next(Quarter q) => q.Number == 4 ? new Quarter(q.Year + 1, 1) : new Quarter(q.Year, q.Number + 1);

    /// <summary>Uploads the page unless the stored one is byte-identical; an audit row for each pack written.</summary>
    private async Task WriteAsync(BoardPackModel model, string html, CancellationToken cancellationToken)
    {
        var name = BlobName(model.Yot, model.Period, model.Options.Publish);
        var blob = storage.Container(StorageNames.ReportsContainer).GetBlobClient(name);
        var bytes = Encoding.UTF8.GetBytes(html);
        try
        {
            var existing = (await blob.DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
            if (existing.AsSpan().SequenceEqual(bytes)) return;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
        await blob.UploadAsync(BinaryData.FromBytes(bytes), overwrite: true, cancellationToken);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await audit.AppendAsync(new AuditEntry($"board-pack|{model.Yot}|{model.Period}",
            $"{(model.Options.Publish ? "published" : "internal")}|{hash[..16]}",
            "pipeline", "board-pack-written", null, model.Current.Kpis.Count, clock.GetUtcNow(),
            $"{StorageNames.ReportsContainer}/{name} sha256={hash}"), cancellationToken);
    }
}
