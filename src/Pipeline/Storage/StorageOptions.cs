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
}
