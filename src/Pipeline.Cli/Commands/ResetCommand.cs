using YouthJustice.Pipeline.Local;

namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline reset</c>: forgets all local storage (Azurite's data and the demo files), stopping the shared Azurite
/// first: one left running would write its in-memory state back over the emptied folder. The development key stays,
/// so pseudonyms stay stable.
/// </summary>
public static class ResetCommand
{
    public static async Task<int> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        await SharedAzurite.StopAsync(RepositoryPaths.State, cancellationToken);
        foreach (var dir in new[] { SharedAzurite.DataFolder, "demo" })
        {
            var path = Path.Combine(RepositoryPaths.State, dir);
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        await output.WriteLineAsync($"Local storage under {RepositoryPaths.State} cleared.");
        return ExitCodes.Success;
    }
}
