using System.ComponentModel;
using System.Net.Sockets;
using Azure;
using YouthJustice.Pipeline.Privacy;

namespace YouthJustice.Pipeline.Cli;

/// <summary>
/// Which exceptions mean "the infrastructure failed" (exit 3), and the one line a user is told. Only messages are
/// used, never an exception's data: row content never reaches a log.
/// </summary>
public static class InfrastructureFailure
{
    /// <summary>The line to print, or null when the exception is not an infrastructure failure (a bug: let it crash).</summary>
    public static string? Describe(Exception exception)
    {
        var cause = RootCause(exception);
        return cause switch
        {
            PseudonymisationKeyMismatchException key => key.Message,
            RequestFailedException { Status: 0 } rf when rf.InnerException is { } inner => Describe(inner),
            RequestFailedException rf => $"storage refused a request: {rf.Status} {rf.ErrorCode ?? FirstLine(rf.Message)}",
            SocketException or HttpRequestException => $"storage did not answer ({FirstLine(cause.Message)}). {Hint}",
            OperationCanceledException or TimeoutException => $"storage did not answer in time ({FirstLine(cause.Message)}). {Hint}",
            Win32Exception => $"could not run a program the pipeline needs: {FirstLine(cause.Message)}",
            IOException or UnauthorizedAccessException or InvalidOperationException => FirstLine(cause.Message),
            _ => null,
        };
    }

    private const string Hint =
        "If it is the local storage, run the command again (it starts storage again) or see 'pipeline stop' in the README";

    /// <summary>
    /// The exception that says what went wrong: through AggregateExceptions (the SDK's "retry failed after n tries";
    /// every part must be an infrastructure failure) and the SDK's wrapper of a request that got no answer.
    /// </summary>
    private static Exception RootCause(Exception exception)
    {
        while (true)
        {
            switch (exception)
            {
                case AggregateException aggregate:
                    var parts = aggregate.Flatten().InnerExceptions;
                    if (parts.Count == 0) return aggregate;
                    var first = parts.FirstOrDefault(p => Describe(p) is not null);
                    if (first is null || parts.Any(p => Describe(p) is null)) return aggregate;
                    exception = first;
                    continue;
                case RequestFailedException { Status: 0, InnerException: { } inner }:
                    exception = inner;
                    continue;
                default:
                    return exception;
            }
        }
    }

    private static string FirstLine(string message) =>
        message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
}
