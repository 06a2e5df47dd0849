namespace YouthJustice.Pipeline.Drops.Validation;

/// <summary>
/// One finding about a drop. <see cref="Line"/> is the physical line as the sender sees it in an editor (header =
/// line 1), null for findings about the whole file. <see cref="Value"/> echoes the sender's own cell only where
/// the field is not personal data.
/// </summary>
public sealed record RowError(int? Line, string? Field, string Rule, RuleSeverity Severity, string Message, string? Value = null);
