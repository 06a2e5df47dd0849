namespace YouthJustice.Pipeline.Privacy;

/// <summary>
/// The deployment's pseudonymisation key (base64, at least 32 bytes) and its version. In Azure it comes from
/// Key Vault through an app setting reference; locally the runner generates a development key. Never logged.
/// </summary>
public sealed class PseudonymisationOptions
{
    public const string SectionName = "Pseudonymisation";

    public string? Key { get; set; }
    public string KeyVersion { get; set; } = "v1";

    public override string ToString() => $"Pseudonymisation key {KeyVersion} (value withheld)";
}
