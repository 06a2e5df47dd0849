using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace YouthJustice.Pipeline.Audit;

/// <summary>
/// Entry point of the poison functions: a message the Functions runtime gave up on (a <c>kpi-recompute</c> request
/// after maxDequeueCount tries, a drop after poisonBlobThreshold tries) becomes an <c>Audit</c> row and a warning,
/// so a failure that retries could not clear is visible and answerable instead of sitting unread in a queue.
/// </summary>
public sealed class PoisonMessageRecorder(AuditLog audit, TimeProvider clock, ILogger<PoisonMessageRecorder> logger)
{
    /// <summary>Table string properties hold 32K characters; these messages are a few hundred (ids and a blob path).</summary>
    public const int MaxDetailLength = 4000;

    public const string Step = "poison";

    /// <summary>The audit subject of a poison message: one per queue and message content.</summary>
    public static string Subject(string queue, string message) => $"poison-{queue}-{MessageId(message)}";

    /// <summary>
    /// Records the message once: the subject is derived from the content, so the runtime redelivering the same
    /// poison message rewrites its row rather than adding another. The content (ids and a blob path, never row
    /// data) goes to the access-controlled Audit table only; the log carries the queue and the content hash.
    /// </summary>
    public async Task<AuditEntry> RecordAsync(string queue, string message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        message ??= "";
        var entry = new AuditEntry(Subject(queue, message), Step, "functions-runtime",
            $"gave up on a message of {queue} after repeated failures; needs an operator", null, 0, clock.GetUtcNow(),
            message.Length <= MaxDetailLength ? message : message[..MaxDetailLength] + "…");
        await audit.AppendAsync(entry, cancellationToken);
        logger.LogWarning("Message {MessageId} on {Queue} failed repeatedly and was parked; recorded as audit subject {Subject}",
            MessageId(message), queue, entry.Subject);
        return entry;
    }

    private static string MessageId(string message) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(message)))[..16];
}
