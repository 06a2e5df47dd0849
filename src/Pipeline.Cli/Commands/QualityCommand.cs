using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Cli.Output;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Quality;

namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline quality --provider ID [--period YYYY-Qn] [--json]</c>: builds the provider's data-quality report for
/// the quarter (default: the quarter containing today), stores it at reports/quality/{provider}/{period}.json and
/// prints it. Exit 2 for a malformed quarter or a provider the pipeline does not know (no agreement, no drops).
/// </summary>
public static class QualityCommand
{
    public static async Task<int> RunAsync(string provider, string? period, bool json, TextWriter output,
        CancellationToken cancellationToken)
    {
        // The option's validator has refused anything that is not a quarter.
        Quarter? quarter = period is null ? null : Quarter.Parse(period);
        if (!IsProviderId(provider))
        {
            await Console.Error.WriteLineAsync(
                $"'{provider}' is not a provider id (the id in the provider's agreement, e.g. school-northbridge-academy).");
            return ExitCodes.Usage;
        }
        await using var pipeline = await LocalPipeline.StartAsync(inMemory: false, cancellationToken: cancellationToken);
        // A provider with drops but no agreement is still reported (the reporter finds it in the ledger), so an id that
        // matches no agreement goes on as typed; the reporter's refusal then names the known ones.
        var known = await KnownIds.ProvidersAsync(pipeline.Get<Agreements.AgreementStore>(), cancellationToken);
        var code = await ReportAsync(pipeline.Get<QualityReporter>(), KnownIds.Resolve(provider, known) ?? provider, quarter, json, output,
            Console.Error, cancellationToken);
        if (code == ExitCodes.Usage && KnownIds.Resolve(provider, known) is null)
            await Console.Error.WriteLineAsync(KnownIds.Unknown("provider", provider, known));
        return code;
    }

    /// <summary>The verb over a running pipeline: build, store, print. Tests call this with their own storage.</summary>
    public static async Task<int> ReportAsync(QualityReporter reporter, string provider, Quarter? period, bool json,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!IsProviderId(provider))
        {
            await error.WriteLineAsync(
                $"'{provider}' is not a provider id (the id in the provider's agreement, e.g. school-northbridge-academy).");
            return ExitCodes.Usage;
        }
        QualityReport report;
        try
        {
            report = await reporter.RefreshAsync(provider, period ?? reporter.CurrentPeriod(), cancellationToken);
        }
        catch (UnknownProviderException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return ExitCodes.Usage;
        }
        if (json) await output.WriteLineAsync(QualityReportJson.Serialize(report));
        else QualityPrinter.Print(output, report);
        return ExitCodes.Success;
    }

    private static bool IsProviderId(string provider) =>
        !string.IsNullOrWhiteSpace(provider) && !provider.Contains('/') && !provider.Contains('\\');
}
