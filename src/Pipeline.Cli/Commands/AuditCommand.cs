using System.Text.Json;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Local;

namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline audit --since YYYY-MM-DD [--until YYYY-MM-DD] [--subject S] [--json]</c>: the Audit table's rows from
/// 00:00 UTC on <c>--since</c> up to the end of <c>--until</c> (inclusive), oldest first: who, what, when, under which
/// agreement, how many rows. Exit 2 for a malformed date or an until before since.
/// </summary>
public static class AuditCommand
{
    public static async Task<int> RunAsync(string since, string? until, string? subject, bool json, TextWriter output,
        CancellationToken cancellationToken)
    {
        if (!TryRange(since, until, out _, out _, out var message))
        {
            await Console.Error.WriteLineAsync(message);
            return ExitCodes.Usage;
        }
        await using var pipeline = await LocalPipeline.StartAsync(inMemory: false, cancellationToken: cancellationToken);
        return await ShowAsync(pipeline.Get<AuditLog>(), since, until, subject, json, output, Console.Error, cancellationToken);
    }

    /// <summary>The verb over a running pipeline. Tests call this with their own storage.</summary>
    public static async Task<int> ShowAsync(AuditLog audit, string since, string? until, string? subject, bool json, TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        if (!TryRange(since, until, out var from, out var to, out var message))
        {
            await error.WriteLineAsync(message);
            return ExitCodes.Usage;
        }
        var rows = await audit.QueryAsync(from, to, subject, cancellationToken);
        if (json) await output.WriteLineAsync(Json(rows));
        else Print(output, rows);
        return ExitCodes.Success;
    }

    private static bool TryRange(string since, string? until, out DateTimeOffset from, out DateTimeOffset? to, out string message)
    {
        from = default;
        to = null;
        message = "";
        if (!RetentionCommand.TryParseDay(since, out var f) || f is null)
        {
            message = $"'{since}' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-01.";
            return false;
        }
        from = f.Value;
        if (until is null) return true;
        if (!RetentionCommand.TryParseDay(until, out var u) || u is null)
        {
            message = $"'{until}' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-30.";
            return false;
        }
        to = u.Value.AddDays(1);
        if (to <= from)
        {
            message = $"--until {until} is before --since {since}.";
            return false;
        }
        return true;
    }

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string Json(IReadOnlyList<AuditEntry> rows) => JsonSerializer.Serialize(rows.Select(e => new
    {
        when = e.At,
        who = e.Actor,
        subject = e.Subject,
        step = e.Step,
        what = e.Action,
        agreement = e.Agreement,
        rows = e.Rows,
        detail = e.Detail,
    }), Options);

    public static void Print(TextWriter output, IReadOnlyList<AuditEntry> rows)
    {
        if (rows.Count == 0)
        {
            output.WriteLine("No audit rows in that range.");
            return;
        }
        output.WriteLine($"{"when (UTC)",-20} {"who",-22} {"agreement",-28} {"rows",8}  what");
        foreach (var e in rows)
            output.WriteLine(
                $"{e.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} {e.Actor,-22} {e.Agreement ?? "-",-28} {e.Rows,8}  {e.Subject} {e.Step}: " +
                $"{e.Action}");
        output.WriteLine($"{rows.Count} row(s).");
    }
}
