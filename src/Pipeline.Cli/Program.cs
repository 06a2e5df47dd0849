using System.CommandLine;
using System.Runtime.InteropServices;
using YouthJustice.Pipeline.Cli.Commands;

namespace YouthJustice.Pipeline.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = BuildCommands(Console.Out);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await Console.Error.WriteLineAsync(error.Message);
            await Console.Error.WriteLineAsync("Run 'pipeline --help' for usage.");
            return ExitCodes.Usage;
        }
        // Ctrl+C cancels the command's token; a cancellation that follows it is the user's, not a failure.
        var interrupted = false;
        using var sigint = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => interrupted = true);
        try
        {
            // The library's own handler would print a stack trace and exit 1; failures are mapped here instead.
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (OperationCanceledException) when (interrupted)
        {
            return ExitCodes.Interrupted;
        }
        catch (Exception ex) when (InfrastructureFailure.Describe(ex) is { } message)
        {
            await Console.Error.WriteLineAsync($"Infrastructure error: {message}");
            return ExitCodes.Infrastructure;
        }
    }

    public static RootCommand BuildCommands(TextWriter output)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };

        var demo =
            new Command("demo",
            "Run the main job: seed agreements, send the demo YOT's drops through the pipeline, print receipts and KPIs.") { json };
        demo.SetAction((r, ct) => DemoCommand.RunAsync(r.GetValue(json), output, ct));

        var file = new Argument<FileInfo>("FILE") { Description = "The CSV file to send." }.AsDropFile();
        var provider = new Option<string>("--provider") { Description = "The sending provider's id (as in its agreement).",
            Required = true }.AsId("provider");
        var type = new Option<string>("--type") { Description = "The drop type, e.g. school-attendance.",
            Required = true }.AsId("drop type");
        var ingest = new Command("ingest", "Upload one drop, process it and print its receipt.") { file, provider, type, json };
        ingest.SetAction((r, ct) => IngestCommand.RunAsync(r.GetValue(file)!, r.GetValue(provider)!, r.GetValue(type)!, r.GetValue(json),
            output, ct));

        var yot = new Option<string>("--yot") { Description = "The YOT's id.", Required = true }.AsId("YOT");
        var period = new Option<string>("--period") { Description = "The quarter, YYYY-Qn.", Required = true }.AsQuarter();
        var kpisAll = new Option<bool>("--all") { Description = "Every KPI with its sub-measures (default: the headlines)." };
        var kpisSuppressed = new Option<bool>("--suppressed",
            "--publish") { Description = "Apply disclosure control: the figures as they may leave the YOT (c = withheld)." };
        var kpisTrend =
            new Option<bool>("--trend") { Description =
            $"The last {KpisCommand.TrendQuarters} quarters up to --period, one column per quarter." };
        var kpis = new Command("kpis", "Print the KPI results of one YOT and quarter.") { yot, period, json, kpisAll, kpisSuppressed,
            kpisTrend };
        kpis.SetAction((r, ct) =>
            KpisCommand.RunAsync(new KpisRequest(r.GetValue(yot)!, r.GetValue(period)!, r.GetValue(json), r.GetValue(kpisAll),
            r.GetValue(kpisSuppressed), r.GetValue(kpisTrend)), output, ct));

        var qualityProvider = new Option<string>("--provider") { Description = "The provider's id (as in its agreement).",
            Required = true }.AsId("provider");
        var qualityPeriod =
            new Option<string?>("--period") { Description = "The quarter, YYYY-Qn (default: the quarter containing today)." }.AsQuarter();
        var quality = new Command("quality", "Build, store and print a provider's data-quality report for a quarter.") { qualityProvider,
            qualityPeriod, json };
        quality.SetAction((r, ct) => QualityCommand.RunAsync(r.GetValue(qualityProvider)!, r.GetValue(qualityPeriod), r.GetValue(json),
            output, ct));

        var submitPeriod = new Option<string>("--period") { Description = "The quarter, YYYY-Qn.", Required = true }.AsQuarter();
        var submitYot =
            new Option<string?>("--yot") { Description = "One YOT's return only (default: every YOT with an agreement)." }.AsId("YOT");
        var submit =
            new Command("submit", "Build the YJB returns for a quarter: a new version only where a figure changed.") { submitPeriod,
            submitYot, json };
        submit.SetAction((r, ct) => SubmitCommand.RunAsync(r.GetValue(submitPeriod)!, r.GetValue(submitYot), r.GetValue(json), output, ct));

        var reportYot = new Option<string>("--yot") { Description = "The YOT's id.", Required = true }.AsId("YOT");
        var reportPeriod = new Option<string>("--period") { Description = "The quarter, YYYY-Qn.", Required = true }.AsQuarter();
        var reportOut = new Option<FileInfo>("--out") { Description = "Where to write the HTML page.", Required = true };
        var reportPublish =
            new Option<bool>("--publish") { Description = "Apply disclosure control (small numbers withheld, c): a pack fit to publish." };
        var report = new Command("report", "Write the board pack of one YOT and quarter: one self-contained HTML page.") { reportYot,
            reportPeriod, reportOut, reportPublish };
        report.SetAction((r, ct) => ReportCommand.RunAsync(r.GetValue(reportYot)!, r.GetValue(reportPeriod)!, r.GetValue(reportOut)!,
            r.GetValue(reportPublish), output, ct));

        var retentionDryRun =
            new Option<bool>("--dry-run") { Description = "List what would be deleted; delete, audit and ask for nothing." };
        var retentionAsOf =
            new Option<string?>("--as-of") { Description = "Apply retention as of 00:00 UTC on this day, YYYY-MM-DD (default: now)." };
        var retention =
            new Command("retention",
            "Apply every agreement's retention: delete raw drops, quarantined drops and curated files past their time, " +
            "audited.") { retentionDryRun, retentionAsOf, json };
        retention.SetAction((r, ct) => RetentionCommand.RunAsync(r.GetValue(retentionDryRun), r.GetValue(retentionAsOf), r.GetValue(json),
            output, ct));

        var auditSince = new Option<string>("--since") { Description = "From 00:00 UTC on this day, YYYY-MM-DD.", Required = true };
        var auditUntil = new Option<string?>("--until") { Description = "Up to the end of this day, YYYY-MM-DD (default: now)." };
        var auditSubject =
            new Option<string?>("--subject") { Description = "One subject only, e.g. drop-{dropId} or kpis-{yot}-{period}." };
        var audit =
            new Command("audit", "Print the audit trail: who did what, when, under which agreement, to how many rows.") { auditSince,
            auditUntil, auditSubject, json };
        audit.SetAction((r, ct) => AuditCommand.RunAsync(r.GetValue(auditSince)!, r.GetValue(auditUntil), r.GetValue(auditSubject),
            r.GetValue(json), output, ct));

        var servePort = new Option<int>("--port") { Description = $"The API's port on 127.0.0.1 (default {ServeCommand.DefaultPort}).",
            DefaultValueFactory = _ => ServeCommand.DefaultPort };
        var serve =
            new Command("serve",
            "Run the drop watcher, queue worker, timers and analysts' API together, as func start would. Ctrl+C stops.") { servePort };
        serve.SetAction((r, ct) => ServeCommand.RunAsync(r.GetValue(servePort), output, ct));

        var tokenRole = new Option<string>("--role") { Description = "analyst, board, yjb or provider.", Required = true };
        var tokenYot = new Option<string?>("--yot") { Description = "The YOT the holder belongs to (analyst, board)." }.AsId("YOT");
        var tokenProvider =
            new Option<string?>("--provider") { Description = "The provider the holder speaks for (provider)." }.AsId("provider");
        var tokenHours = new Option<double>("--hours") { Description = "How long the token lasts (default 8).", DefaultValueFactory = _ =>
            8 };
        var token =
            new Command("token", "Print a bearer token for the local API from the development issuer (Entra ID in Azure).") { tokenRole,
            tokenYot, tokenProvider, tokenHours };
        token.SetAction((r, _) => TokenCommand.RunAsync(r.GetValue(tokenRole)!, r.GetValue(tokenYot), r.GetValue(tokenProvider),
            r.GetValue(tokenHours), output, Console.Error));

        var dir = new Argument<DirectoryInfo>("DIR") { Description = "A folder of agreement JSON files." };
        var load = new Command("load", "Check and load every agreement file in a folder.") { dir };
        load.SetAction((r, ct) => AgreementsCommand.LoadAsync(r.GetValue(dir)!, output, ct));
        var agreements = new Command("agreements", "Manage information-sharing agreements.") { load };

        var docsOut = new Option<DirectoryInfo>("--out") { Description = "Where to write the pages (default: schemas/docs)." };
        var docsCheck = new Option<bool>("--check") { Description = "Only check that the pages are current; exit 1 if not." };
        var docs = new Command("docs", "Write the sender pages (columns, codes, rules, examples) from the published schemas.") { docsOut,
            docsCheck };
        docs.SetAction((r, ct) => DocsCommand.RunAsync(r.GetValue(docsOut), r.GetValue(docsCheck), output, ct));

        var recomputeYot = new Option<string>("--yot") { Description = "The YOT's id.", Required = true };
        var recomputePeriod = new Option<string?>("--period") { Description = "One quarter, YYYY-Qn." }.AsQuarter();
        var recomputeAll = new Option<bool>("--all") { Description = "Every quarter the YOT has stored results for." };
        var recompute =
            new Command("recompute", "Recompute a YOT's KPI results (after a fix, a key change or new population figures).") { recomputeYot,
            recomputePeriod, recomputeAll };
        recompute.SetAction((r, ct) => RecomputeCommand.RunAsync(r.GetValue(recomputeYot)!, r.GetValue(recomputePeriod),
            r.GetValue(recomputeAll), output, ct));

        var populationFile = new Argument<FileInfo>("FILE") { Description = "CSV: yot,year,population,source (one row per YOT and year)." };
        var populationLoad =
            new Command("load",
            "Load the YOT areas' 10-17 population estimates and recompute the quarters they change.") { populationFile };
        populationLoad.SetAction((r, ct) => PopulationCommand.LoadAsync(r.GetValue(populationFile)!, output, ct));
        var populationYot = new Option<string?>("--yot") { Description = "One YOT only." };
        var populationList =
            new Command("list", "Print the loaded population estimates, as a file 'population load' reads.") { populationYot };
        populationList.SetAction((r, ct) => PopulationCommand.ListAsync(r.GetValue(populationYot), output, ct));
        var population =
            new Command("population",
            "The YOT areas' 10-17 populations, the denominators of KPI 9 and the national indicators.") { populationLoad, populationList };

        var shotsOut = new Option<DirectoryInfo>("--out") { Description = "Where to write the PNGs.", DefaultValueFactory = _ =>
            new DirectoryInfo("docs/screenshots") };
        var screenshots =
            new Command("screenshots",
            "Serve the pages over the demo's data and write a screenshot of each main page (needs chromium).") { shotsOut };
        screenshots.SetAction((r, ct) => ScreenshotsCommand.RunAsync(r.GetValue(shotsOut)!, output, ct));

        var reset = new Command("reset", "Stop local storage and forget it (Azurite data and demo files); the development keys stay.");
        reset.SetAction((_, ct) => ResetCommand.RunAsync(output, ct));

        var stop =
            new Command("stop",
            "Stop the local storage (Azurite) that commands share; it saves its data first. The next command starts it again.");
        stop.SetAction((_, ct) => StopCommand.RunAsync(output, ct));

        return new RootCommand("The youth justice data-sharing and KPI pipeline, run locally over Azurite.") { demo, ingest, kpis,
            recompute, quality, submit, report, retention, audit, serve, token, agreements, population, docs, screenshots, stop, reset };
    }
}
