using System.Net.Sockets;
using Azure;
using YouthJustice.Pipeline.Cli;
using YouthJustice.Pipeline.Privacy;

namespace YouthJustice.Pipeline.Tests.Cli;

/// <summary>
/// Which failures the runner reports as infrastructure errors (exit 3, one line), as the Azure SDK actually throws them:
/// a request that got no answer is retried, and the retries end in an AggregateException of RequestFailedExceptions
/// wrapping the socket error. Before, that AggregateException reached the command-line library's handler: exit 1 and
/// a stack trace.
/// </summary>
public sealed class InfrastructureFailureTests
{
    private static Exception Refused() =>
        new RequestFailedException(0, "Connection refused (127.0.0.1:10000)",
            new HttpRequestException("Connection refused (127.0.0.1:10000)", new SocketException((int)SocketError.ConnectionRefused)));

    public static TheoryData<Exception> Infrastructure() => new()
    {
        new AggregateException("Retry failed after 3 tries.", Refused(), Refused(), Refused()),
        Refused(),
        new HttpRequestException("Connection refused (127.0.0.1:10000)", new SocketException((int)SocketError.ConnectionRefused)),
        new RequestFailedException(503, "Server busy\nStatus: 503\nHeaders: …", "ServerBusy", null),
        new AggregateException(
            new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout of 0:00:30.")),
        new PseudonymisationKeyMismatchException("v1"),
        new InvalidOperationException("Azurite did not start within 60 s; see .pipeline/azurite.log."),
    };

    [Theory]
    [MemberData(nameof(Infrastructure))]
    public void Storage_and_key_failures_are_one_line(Exception exception)
    {
        var message = InfrastructureFailure.Describe(exception);
        Assert.NotNull(message);
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain("Exception", message);
    }

    [Fact]
    public void A_refused_connection_names_the_endpoint_it_tried() =>
        Assert.Contains("127.0.0.1:10000", InfrastructureFailure.Describe(new AggregateException(Refused(), Refused()))!);

    [Fact]
    public void A_bug_is_not_dressed_up_as_an_infrastructure_error()
    {
        Assert.Null(InfrastructureFailure.Describe(new FormatException("not a number")));
        Assert.Null(InfrastructureFailure.Describe(new AggregateException(Refused(), new ArgumentOutOfRangeException("row"))));
    }
}
