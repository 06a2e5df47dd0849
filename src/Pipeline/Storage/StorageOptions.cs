namespace YouthJustice.Pipeline.Storage;

/// <summary>
/// Where the pipeline's data lives. Locally a connection string (<c>UseDevelopmentStorage=true</c> or Azurite's);
/// in Azure the service URIs, reached with <c>DefaultAzureCredential</c> (no shared keys).
/// </summary>
public sealed class StorageOptions
{
    public const string SectionName = "DataStorage";

    public string? ConnectionString { get; set; }
    public Uri? BlobServiceUri { get; set; }
    public Uri? QueueServiceUri { get; set; }
    public Uri? TableServiceUri { get; set; }

    /// <summary>
    /// Retries of a failed request; unset keeps the Azure SDK's default (3, backing off up to a minute), which suits a
    /// cloud account's passing faults. The local runner sets fewer and shorter ones: a stopped emulator on loopback is
    /// not coming back, and the user should hear so in seconds rather than after a minute of back-off.
    /// </summary>
    public int? MaxRetries { get; set; }

    /// <summary>The wait before the first retry (the SDK's default is 0.8 s, doubling).</summary>
    public TimeSpan? RetryDelay { get; set; }

    /// <summary>How long one network operation may take before it is abandoned (the SDK's default is 100 s).</summary>
    public TimeSpan? NetworkTimeout { get; set; }
}
