namespace YouthJustice.Pipeline.Drops.Validation;

public enum RuleSeverity { Error, Query }

/// <summary>How far a rule's failure reaches: one row, or the whole drop.</summary>
public enum RuleScope { Row, Drop }

/// <summary>One entry of the rule catalogue: a stable code, what it checks, and what the sender should do.</summary>
public sealed record Rule(string Code, RuleScope Scope, RuleSeverity Severity, string Checks, string Fix);
