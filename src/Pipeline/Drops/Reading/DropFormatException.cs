using YouthJustice.Pipeline.Drops.Validation;

namespace YouthJustice.Pipeline.Drops.Reading;

/// <summary>The file as a whole cannot be read as a drop; the rule says why.</summary>
public sealed class DropFormatException(Rule rule, string message) : Exception(message)
{
    public Rule Rule { get; } = rule;
}
