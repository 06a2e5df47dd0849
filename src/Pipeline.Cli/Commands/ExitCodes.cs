namespace YouthJustice.Pipeline.Cli.Commands;

/// <summary>The runner's exit codes (a contract scripts rely on; see the README).</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Refused = 1;
    public const int Usage = 2;
    public const int Infrastructure = 3;

    /// <summary>Stopped by Ctrl+C (the shell's 128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
