using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Hosting;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Submissions;

/// <summary>The manifest written beside each version: what the files are and their SHA-256 checksums.</summary>
public sealed record ReturnManifest
{
    public required string Yot { get; init; }
    public required string Period { get; init; }
    public required int Version { get; init; }
    public required DateTimeOffset BuiltAt { get; init; }
    public required string ContentHash { get; init; }
    public required string Schema { get; init; }
    public required IReadOnlyList<ManifestFile> Files { get; init; }
}

public sealed record ManifestFile(string Name, string Blob, string Sha256, long Bytes);

/// <summary>
/// The quarterly YJB returns (issue 5 item 1; ARCHITECTURE.md §1 SubmitKpiReturns). On its schedule — by default 06:00 UTC on
/// the first day of each quarter — it builds, for every YOT named by an agreement, the return for the quarter just ended:
/// the stored KPI results (computed on the spot if none are stored), disclosure control applied, laid out as the YJB
/// template, checked against the published schema, written as JSON, CSV and a manifest of SHA-256 checksums under
/// submissions/yjb/{period}/{yot}/. Versions are keyed by meaning: a run whose figures and suppression
/// pattern hash the same as the current version writes nothing new and records "unchanged"; a changed figure writes
/// v{n+1}, marks v{n} superseded and records which cells changed and which new drops changed them.
/// </summary>
public sealed class QuarterlyReturns(
    PipelineStorage storage,
    KpiStore store,
    KpiEngine engine,
    AgreementStore agreements,
    SubmissionLedger ledger,
    AuditLog audit,
    IOptions<DisclosureOptions> disclosure,
    TimeProvider clock,
    ILogger<QuarterlyReturns> logger) : IScheduledJob
{
    public const string DefaultCron = "0 0 6 1 1,4,7,10 *";
    public const string SchemaFile = "kpi-return.schema.json";

    public string Name => Triggers.SubmitKpiReturnsFunction;
    public string ScheduleSetting => Triggers.QuarterlyReturnsSchedule;
    public string DefaultSchedule => DefaultCron;

    public static string Folder(string yot, string period) => $"{Triggers.YjbReturnsFolder}/{period}/{yot}";
    public static string ReturnBlob(string yot, string period, int version) => $"{Folder(yot, period)}/return-v{version}.json";
    public static string CsvBlob(string yot, string period, int version) => $"{Folder(yot, period)}/return-v{version}.csv";
    public static string ManifestBlob(string yot, string period, int version) => $"{Folder(yot, period)}/manifest-v{version}.json";

    /// <summary>The quarter a run at <paramref name="now"/> reports: the one just ended.</summary>
    public static Quarter QuarterEndedBefore(DateTimeOffset now) => Quarter.Of(DateOnly.FromDateTime(now.UtcDateTime)).Previous();

    /// <summary>The timer: every YOT's return for the quarter just ended before <paramref name="now"/>.</summary>
    public async Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        await BuildAllAsync(QuarterEndedBefore(now), now, Name, cancellationToken);

    /// <summary>The YOTs named by the agreements in the Agreements table.</summary>
    public async Task<IReadOnlyList<string>> YotsAsync(CancellationToken cancellationToken) =>
        (await agreements.AllAsync(cancellationToken)).Select(a => a.Yot).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .ToList();

    public async Task<IReadOnlyList<SubmissionOutcome>> BuildAllAsync(Quarter quarter, DateTimeOffset now, string actor,
        CancellationToken cancellationToken)
    {
        var outcomes = new List<SubmissionOutcome>();
        foreach (var yot in await YotsAsync(cancellationToken))
            outcomes.Add(await BuildAsync(yot, quarter, now, actor, cancellationToken));
        return outcomes;
    }

    public Task<SubmissionOutcome> BuildAsync(string yot, Quarter quarter, CancellationToken cancellationToken) =>
        BuildAsync(yot, quarter, clock.GetUtcNow(), "pipeline submit", cancellationToken);

    public async Task<SubmissionOutcome> BuildAsync(string yot, Quarter quarter, DateTimeOffset now, string actor,
        CancellationToken cancellationToken)
    {
        var period = quarter.ToString();
        var options = disclosure.Value;
        var computed = await store.ReadAsync(yot, period, cancellationToken) ?? await engine.ComputeAsync(yot, quarter, cancellationToken);
        var released = DisclosureControl.Apply(computed, options);
        var rows = ReturnLayout.Rows(released);
        var hash = KpiReturnDocument.ContentHash(yot, period, rows);
        var sourceDrops = released.Kpis.Where(k => ReturnLayout.KpiOf(k.Id) is not null).SelectMany(k => k.SourceDrops)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        var versions = await ledger.ListAsync(yot, period, cancellationToken);
        var current = versions.Count > 0 ? versions[^1] : null;
        if (current is not null && current.ContentHash == hash)
        {
            await ledger.MarkUnchangedAsync(yot, period, current.Version, now, cancellationToken);
            await AuditAsync(yot, period, current.Version, SubmissionStates.Unchanged, actor, rows.Count, now,
                "content hash unchanged; nothing written", cancellationToken);
            logger.LogInformation("Return {Period} of {Yot}: v{Version} unchanged", period, yot, current.Version);
            return new SubmissionOutcome
            {
                Yot = yot, Period = period, Version = current.Version, State = SubmissionStates.Unchanged, ContentHash = hash,
                Supersedes = current.Supersedes, Blobs = current.Blobs,
            };
        }

        var version = (current?.Version ?? 0) + 1;
        var ret = new KpiReturn
        {
            SchemaVersion = KpiReturn.CurrentSchemaVersion,
            Yot = yot,
            Period = period,
            PeriodLabel = quarter.FinancialYearLabel,
            Version = version,
            ContentHash = hash,
            BuiltAt = now,
            EngineVersion = string.IsNullOrEmpty(released.EngineVersion) ? KpiEngine.Version : released.EngineVersion,
            Disclosure = new ReturnDisclosure { Threshold = options.Threshold, RoundTo = options.RoundTo },
            Columns = ReturnLayout.Columns,
            Rows = rows,
            SourceDrops = sourceDrops,
        };
        // The payload is checked against its published schema before it leaves.
        var problems = KpiReturnDocument.Check(ret);
        if (problems.Count > 0) throw new InvalidReturnException(yot, period, problems);

        KpiReturn? previous = null;
        if (current is not null)
        {
            var old = await storage.Container(StorageNames.SubmissionsContainer).GetBlobClient(current.ReturnBlob)
                .DownloadContentAsync(cancellationToken);
            previous = KpiReturnDocument.Parse(old.Value.Content.ToArray());
        }
        IReadOnlyList<string> changed = previous is null ? [] : KpiReturnDocument.Changes(previous, ret);
        var newDrops = previous is null ? [] : sourceDrops.Except(previous.SourceDrops, StringComparer.Ordinal).ToList();

        var json = KpiReturnDocument.Json(ret);
        var csv = KpiReturnDocument.Csv(ret);
        var manifest = new ReturnManifest
        {
            Yot = yot, Period = period, Version = version, BuiltAt = now, ContentHash = hash, Schema = SchemaFile,
            Files =
            [
                new ManifestFile(Path.GetFileName(ReturnBlob(yot, period, version)), ReturnBlob(yot, period, version),
                    KpiReturnDocument.Sha256(json), json.Length),
                new ManifestFile(Path.GetFileName(CsvBlob(yot, period, version)), CsvBlob(yot, period, version),
                    KpiReturnDocument.Sha256(csv), csv.Length),
            ],
        };
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, KpiReturnDocument.JsonOptions);

        // Files first, then the ledger row that makes the version real: a crash in between leaves files a retry rewrites.
        var container = storage.Container(StorageNames.SubmissionsContainer);
        await container.GetBlobClient(ReturnBlob(yot, period, version))
            .UploadAsync(BinaryData.FromBytes(json), overwrite: true, cancellationToken);
        await container.GetBlobClient(CsvBlob(yot, period, version))
            .UploadAsync(BinaryData.FromBytes(csv), overwrite: true, cancellationToken);
        await container.GetBlobClient(ManifestBlob(yot, period, version))
            .UploadAsync(BinaryData.FromBytes(manifestBytes), overwrite: true, cancellationToken);

        var entry = new SubmissionEntry
        {
            Yot = yot, Period = period, Version = version, State = SubmissionStates.Built, LastRun = SubmissionStates.Built,
                ContentHash = hash,
            BuiltAt = now, CheckedAt = now, Supersedes = current?.Version, Changed = changed, NewDrops = newDrops,
            ReturnBlob = ReturnBlob(yot, period, version), CsvBlob = CsvBlob(yot, period, version),
                ManifestBlob = ManifestBlob(yot, period, version),
        };
        if (!await ledger.AddAsync(entry, cancellationToken))
        {
            // Another run built this version at the same time: its row stands; this run's files were the same figures.
            logger.LogWarning("Return {Period} of {Yot}: v{Version} was built by another run", period, yot, version);
            return new SubmissionOutcome
            {
                Yot = yot, Period = period, Version = version, State = SubmissionStates.Unchanged, ContentHash = hash,
                    Supersedes = current?.Version,
                Blobs = entry.Blobs,
            };
        }
        if (current is not null)
        {
            await ledger.MarkSupersededAsync(yot, period, current.Version, version, cancellationToken);
            await AuditAsync(yot, period, current.Version, SubmissionStates.Superseded, actor, 0, now, $"superseded by v{version}",
                cancellationToken);
        }
        await AuditAsync(yot, period, version, SubmissionStates.Built, actor, rows.Count, now,
            current is null ? "first version" : $"{changed.Count} cells changed; {newDrops.Count} new source drops", cancellationToken);
        logger.LogInformation("Return {Period} of {Yot}: v{Version} built ({Changed} cells changed)", period, yot, version, changed.Count);
        return new SubmissionOutcome
        {
            Yot = yot, Period = period, Version = version, State = SubmissionStates.Built, ContentHash = hash,
                Supersedes = current?.Version,
            Changed = changed, NewDrops = newDrops, Blobs = entry.Blobs,
        };
    }

    private Task AuditAsync(string yot, string period, int version, string action, string actor, long rows, DateTimeOffset at,
        string detail,
        CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEntry($"submission|{yot}|{period}", $"{SubmissionLedger.RowKey(version)}|{action}", actor, action, null,
            rows, at, detail),
            cancellationToken);
}
