using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Local;

namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary><c>pipeline agreements load DIR</c>: checks every agreement file in a folder, then stores them all.</summary>
public static class AgreementsCommand
{
    public static async Task<int> LoadAsync(DirectoryInfo directory, TextWriter output, CancellationToken cancellationToken)
    {
        if (!directory.Exists)
        {
            await Console.Error.WriteLineAsync($"No such folder: {directory.FullName}");
            return ExitCodes.Usage;
        }
        await using var pipeline = await LocalPipeline.StartAsync(inMemory: false, cancellationToken: cancellationToken);
        try
        {
            var loaded = await pipeline.Get<AgreementStore>().LoadDirectoryAsync(directory.FullName, cancellationToken);
            foreach (var a in loaded)
                await output.WriteLineAsync(
                    $"{a.Id}: {a.Provider.Id} → {a.Yot}, {string.Join(", ", a.DropTypes.Select(d => d.DropType))}, " +
                    $"{a.ValidFrom:yyyy-MM-dd} to {a.ValidTo:yyyy-MM-dd}");
            await output.WriteLineAsync($"{loaded.Count} agreement(s) loaded.");
            return ExitCodes.Success;
        }
        catch (InvalidAgreementException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return ExitCodes.Refused;
        }
    }
}
