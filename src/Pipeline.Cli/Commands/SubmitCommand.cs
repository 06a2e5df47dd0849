using System.Text.Json;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Submissions;

namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline submit --period YYYY-Qn [--yot ID] [--json]</c>: builds the YJB returns for that quarter on demand, as the
/// quarterly timer does (every YOT with an agreement, or the one named), and prints per YOT the version, its state
/// (built or unchanged), what changed and why, and the blob paths.
/// </summary>
public static class SubmitCommand
{
    public const int ChangesShown = 10;

    public static async Task<int> RunAsync(string period, string? yot, bool json, TextWriter output, CancellationToken cancellationToken)
    {
        var quarter = Quarter.Parse(period); // the option's validator has refused anything else
        await using var pipeline = await LocalPipeline.StartAsync(inMemory: false, cancellationToken: cancellationToken);
        if (yot is not null)
        {
            var known = await KnownIds.YotsAsync(pipeline.Get<Agreements.AgreementStore>(), cancellationToken);
            if (KnownIds.Resolve(yot, known) is not { } id)
            {
                await Console.Error.WriteLineAsync(KnownIds.Unknown("YOT", yot, known));
                return ExitCodes.Usage;
            }
            yot = id;
        }
        return await SubmitAsync(pipeline.Get<QuarterlyReturns>(), quarter, yot, json, TimeProvider.System.GetUtcNow(), output,
            cancellationToken);
    }

    /// <summary>The verb over a running pipeline. Tests call this with their own storage and clock.</summary>
    public static async Task<int> SubmitAsync(QuarterlyReturns returns, Quarter quarter, string? yot, bool json, DateTimeOffset now,
        TextWriter output, CancellationToken cancellationToken)
    {
        const string actor = "pipeline submit";
        var outcomes = yot is null
            ? await returns.BuildAllAsync(quarter, now, actor, cancellationToken)
            : [await returns.BuildAsync(yot, quarter, now, actor, cancellationToken)];
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new { period = quarter.ToString(), returns = outcomes },
                KpiReturnDocument.JsonOptions));
            return ExitCodes.Success;
        }
        if (outcomes.Count == 0)
        {
            await output.WriteLineAsync(
                "No YOT has an agreement: no returns to build. Load agreements with 'pipeline agreements load DIR'.");
            return ExitCodes.Success;
        }
        await output.WriteLineAsync($"YJB returns for {quarter} ({quarter.FinancialYearLabel})");
        foreach (var o in outcomes)
        {
            var supersedes = o.Supersedes is { } s && o.IsNew ? $", supersedes v{s}" : "";
            await output.WriteLineAsync($"{o.Yot}: v{o.Version} {o.State}{supersedes}");
            if (o.IsNew && o.Supersedes is not null)
            {
                var shown = string.Join(", ", o.Changed.Take(ChangesShown));
                var more = o.Changed.Count > ChangesShown ? $" and {o.Changed.Count - ChangesShown} more" : "";
                await output.WriteLineAsync($"  changed: {o.Changed.Count} cells: {shown}{more}");
                await output.WriteLineAsync(
                    $"  why: {o.NewDrops.Count} new source " +
                    $"drops{(o.NewDrops.Count > 0 ? ": " + string.Join(", ", o.NewDrops.Select(d => d[..12])) : "")}");
            }
            foreach (var blob in o.Blobs) await output.WriteLineAsync($"  {StorageNames.SubmissionsContainer}/{blob}");
        }
        return ExitCodes.Success;
    }
}
