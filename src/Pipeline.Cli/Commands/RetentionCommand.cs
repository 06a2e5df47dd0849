using System.Globalization;
using System.Text.Json;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Retention;

namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline retention [--dry-run] [--as-of YYYY-MM-DD] [--json]</c>: applies every agreement's retention as of now
/// (or as of 00:00 UTC on the given day), as the daily <c>ApplyRetention</c> timer does; <c>--dry-run</c> lists what
/// would go and deletes, audits and asks for nothing. Raw and quarantined files are shown by count, never by their
/// file name (the sender's choice, which could name a child). Exit 2 for a malformed date.
/// </summary>
public static class RetentionCommand
{
    public static async Task<int> RunAsync(bool dryRun, string? asOf, bool json, TextWriter output, CancellationToken cancellationToken)
    {
        if (!TryParseDay(asOf, out var now))
        {
            await Console.Error.WriteLineAsync($"'{asOf}' is not a date; write it as YYYY-MM-DD, e.g. 2027-01-31.");
            return ExitCodes.Usage;
        }
        await using var pipeline = await LocalPipeline.StartAsync(inMemory: false, cancellationToken: cancellationToken);
        return await ApplyAsync(pipeline.Get<RetentionJob>(), dryRun, now ?? pipeline.Get<TimeProvider>().GetUtcNow(), json, output,
            cancellationToken);
    }

    /// <summary>The verb over a running pipeline. Tests call this with their own storage and clock.</summary>
    public static async Task<int> ApplyAsync(RetentionJob job, bool dryRun, DateTimeOffset now, bool json, TextWriter output,
        CancellationToken cancellationToken)
    {
        var plan = await job.PlanAsync(now, cancellationToken);
        IReadOnlyList<(string Yot, string Period)> recomputes = [];
        IReadOnlyList<Receipt> retried = [];
        if (!dryRun)
        {
            var result = await job.ApplyAsync(plan, cancellationToken);
            (recomputes, retried) = (result.Recomputes, result.Retried ?? []);
        }
        if (json) await output.WriteLineAsync(Json(plan, dryRun, recomputes, retried));
        else Print(output, plan, dryRun, recomputes, retried);
        return ExitCodes.Success;
    }

    /// <summary>A day as 00:00 UTC; null input is "now".</summary>
    public static bool TryParseDay(string? text, out DateTimeOffset? day)
    {
        day = null;
        if (text is null) return true;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return false;
        day = new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return true;
    }

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string Json(RetentionPlan plan, bool dryRun, IReadOnlyList<(string Yot, string Period)> recomputes,
        IReadOnlyList<Receipt>? retried = null) => JsonSerializer.Serialize(new
    {
        asOf = plan.AsOf,
        dryRun,
        deletions = plan.Deletions.Select(d => new
        {
            kind = d.Kind,
            provider = d.Provider,
            dropId = d.DropId,
            dropType = d.DropType,
            agreement = d.Agreement,
            policy = d.PolicyBasis,
            retentionDays = d.RetentionDays,
            arrivedAt = d.ArrivedAt,
            dueAt = d.DueAt,
            rows = d.Rows,
            blobs = d.Blobs.Count,
            file = d.Kind == RetentionKinds.Curated ? $"{d.Container}/{d.Blobs[0]}" : null,
            yot = d.Yot,
            period = d.Period,
        }),
        kept = plan.Kept.Select(k => new { kind = k.Kind, provider = k.Provider, dropId = k.DropId, reason = k.Reason }),
        recomputes = recomputes.Select(r => new { yot = r.Yot, period = r.Period }),
        orphans = (plan.Sweep?.Orphans ?? [])
            .Select(o => new { kind = o.Kind, name = o.Name, provider = o.Provider, dropId = o.DropId, reason = o.Reason }),
        retried = (retried ?? []).Select(r => new { provider = r.Provider, dropId = r.DropId, dropType = r.DropType, status = r.Status }),
    }, Options);

    public static void Print(TextWriter output, RetentionPlan plan, bool dryRun, IReadOnlyList<(string Yot, string Period)> recomputes,
        IReadOnlyList<Receipt>? retried = null)
    {
        output.WriteLine($"Retention as of {plan.AsOf.UtcDateTime:yyyy-MM-dd HH:mm} UTC{(dryRun ? " (dry run: nothing deleted)" : "")}");
        if (plan.Deletions.Count == 0) output.WriteLine(dryRun ? "Nothing is due." : "Nothing was due; nothing deleted.");
        else
        {
            output.WriteLine(dryRun ? "Would delete:" : "Deleted:");
            output.WriteLine($"  {"kind",-11} {"provider",-28} {"drop",-14} {"agreement",-28} {"due",-10} {"rows",8}  what");
            foreach (var d in plan.Deletions)
            {
                var what = d.Kind == RetentionKinds.Curated ? $"{d.Container}/{d.Blobs[0]}" : $"{d.Blobs.Count} blob(s) in {d.Container}";
                output.WriteLine(
                    $"  {d.Kind,-11} {d.Provider,-28} {d.DropId[..Math.Min(12, d.DropId.Length)] + "…",-14} {d.Agreement ?? "-",-28} " +
                    $"{d.DueAt.UtcDateTime:yyyy-MM-dd} {d.Rows,8}  {what}");
            }
        }
        if (plan.Kept.Count > 0)
        {
            output.WriteLine("Kept for review:");
            foreach (var k in plan.Kept)
                output.WriteLine(
                    $"  {k.Kind,-11} {(k.Provider.Length == 0 ? "?" : k.Provider),-28} " +
                    $"{(k.DropId is null ? "-" : k.DropId[..Math.Min(12, k.DropId.Length)] + "…"),-14} {k.Reason}");
        }
        if (recomputes.Count > 0)
            output.WriteLine($"KPI recomputes asked: {string.Join(", ", recomputes.Select(r => $"{r.Yot} {r.Period}"))}");
        if (plan.Sweep is { } sweep)
        {
            if (sweep.Orphans.Count > 0)
            {
                output.WriteLine(dryRun ? "Left by crashed drops; would sweep:" : "Left by crashed drops; swept:");
                foreach (var o in sweep.Orphans)
                    output.WriteLine(
                        $"  {o.Kind,-14} {(o.DropId is null ? "-" : o.DropId[..Math.Min(12, o.DropId.Length)] + "…"),-14} " +
                        $"{(o.Kind == OrphanKinds.Curated ? o.Name : "(staging folder)")}  {o.Reason}");
            }
            if (sweep.Retry.Count > 0)
                output.WriteLine(dryRun
                    ? $"{sweep.Retry.Count} drop(s) whose worker died would be sent through the gate again."
                    : $"{(retried ?? []).Count} drop(s) whose worker died sent through the gate again: " +
                        $"{string.Join(", ", (retried ?? []).Select(r => r.Status))}.");
        }
    }
}
