using YouthJustice.Pipeline.Local;

namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline stop</c>: ends the state folder's shared Azurite with SIGTERM, so it writes its data before it exits.
/// The next command starts it again. A command still using it fails with exit 3.
/// </summary>
public static class StopCommand
{
    public static async Task<int> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var stopped = await SharedAzurite.StopAsync(RepositoryPaths.State, cancellationToken);
        await output.WriteLineAsync(stopped is null
            ? "Local storage was not running."
            : $"Local storage stopped (Azurite, pid {stopped.Pid}); its data is kept in " +
                $"{Path.Combine(RepositoryPaths.State, SharedAzurite.DataFolder)}.");
        return ExitCodes.Success;
    }
}
