using YouthJustice.Pipeline.Drops.Validation;

namespace YouthJustice.Pipeline.Drops.Reading;

/// <summary>
/// The file as a whole cannot be read as a drop; the rule says why. <see cref="Line"/> is the physical line the
/// problem was found on (header = 1) when there is one; the message names it too, for senders reading the receipt.
/// </summary>
public sealed class DropFormatException(Rule rule, string message, int? line = null) : Exception(message)
{
    public Rule Rule { get; } = rule;

    public int? Line { get; } = line;
}
