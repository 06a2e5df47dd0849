using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Reporting;

namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline report --yot ID --period YYYY-Qn --out FILE.html [--publish]</c> (the runner's contract in the README): builds the YOT's
/// board
/// pack for the quarter, stores it under reports/{yot}/{period}/ and writes it to FILE. Without <c>--publish</c> the
/// pack is the board's internal, unsuppressed one; with it, disclosure control is applied. Exit 2 for a malformed
/// quarter or YOT id.
/// </summary>
public static class ReportCommand
{
    public static async Task<int> RunAsync(string yot, string period, FileInfo output, bool publish, TextWriter console,
        CancellationToken cancellationToken)
    {
        var quarter = Quarter.Parse(period); // the option's validator has refused anything else
        await using var pipeline = await LocalPipeline.StartAsync(inMemory: false, cancellationToken: cancellationToken);
        var known = await KnownIds.YotsAsync(pipeline.Get<Agreements.AgreementStore>(), cancellationToken);
        if (KnownIds.Resolve(yot, known) is not { } id)
        {
            await Console.Error.WriteLineAsync(KnownIds.Unknown("YOT", yot, known));
            return ExitCodes.Usage;
        }
        return await WriteAsync(pipeline.Get<BoardPackBuilder>(), id, quarter, output, publish, console, Console.Error, cancellationToken);
    }

    /// <summary>The verb over a running pipeline. Tests and <c>pipeline demo</c> call this with their own storage.</summary>
    public static async Task<int> WriteAsync(BoardPackBuilder builder, string yot, Quarter quarter, FileInfo output, bool publish,
        TextWriter console, TextWriter error, CancellationToken cancellationToken)
    {
        string html;
        try
        {
            html = await builder.BuildAsync(yot, quarter, new BoardPackOptions { Publish = publish }, cancellationToken);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return ExitCodes.Usage;
        }
        if (output.Directory is { Exists: false } dir) dir.Create();
        await File.WriteAllTextAsync(output.FullName, html, new System.Text.UTF8Encoding(false), cancellationToken);
        await console.WriteLineAsync(
            $"Board pack for {yot}, {quarter} " +
            $"({(publish ? "published: small numbers withheld" : "internal: unsuppressed, not for publication")}): {output.FullName}");
        return ExitCodes.Success;
    }
}
