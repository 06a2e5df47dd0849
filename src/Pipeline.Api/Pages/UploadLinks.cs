using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Api.Pages;

/// <param name="Url">The blob's URL with a SAS allowing only create and write, until <paramref name="ExpiresOn"/>.</param>
/// <param name="Next">The page the browser opens once the upload is committed: it finds the drop's receipt.</param>
public sealed record UploadLink(Uri Url, string BlobName, DateTimeOffset ExpiresOn, string Next);

/// <summary>
/// Upload links (the valet key): a shared access signature for exactly one new blob
/// <c>drops/{provider}/{dropType}/{name}</c>, create and write only (no read, list or delete), short-lived. Signed with
/// the account key where the client has one (Azurite, or a connection string); otherwise with a user-delegation key
/// (Entra ID), because the Azure data account has shared keys switched off and the app's identity holds Storage Blob
/// Data Contributor, which includes getting such a key. The blob's name starts with the time of the request, so a link
/// can never overwrite a file already sent, nor one the ingestor is reading.
/// </summary>
public sealed partial class UploadLinks(PipelineStorage storage, IOptions<PagesOptions> options, TimeProvider clock)
{
    /// <summary>The upload page sends files larger than this in blocks of this size, with a progress bar.</summary>
    public const int BlockSize = 4 * 1024 * 1024;

    public long MaxBytes => options.Value.MaxUploadBytes;

    public async Task<UploadLink> IssueAsync(string provider, string dropType, string fileName, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var name = $"{now.UtcDateTime:yyyyMMdd'-'HHmmss}-{SafeName(fileName)}";
        var blobName = $"{provider}/{dropType}/{name}";
        var blob = storage.Container(StorageNames.DropsContainer).GetBlobClient(blobName);
        var expires = now + options.Value.UploadLinkLifetime;
        var sas = new BlobSasBuilder(BlobSasPermissions.Create | BlobSasPermissions.Write, expires)
        {
            BlobContainerName = StorageNames.DropsContainer,
            BlobName = blobName,
            Resource = "b",
            // A little back, for clocks that run behind the service's.
            StartsOn = now.AddMinutes(-5),
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        Uri url;
        if (storage.Blobs.CanGenerateAccountSasUri)
            url = blob.GenerateSasUri(sas);
        else
        {
            var key = await storage.Blobs.GetUserDelegationKeyAsync(sas.StartsOn, expires, cancellationToken);
            url = new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key.Value, storage.Blobs.AccountName) }.ToUri();
        }
        return new UploadLink(url, blobName, expires, $"/provider/uploads/{Html.Url(dropType)}/{Html.Url(name)}");
    }

    /// <summary>
    /// A file name as a blob name can carry it and every page can show it: letters, digits, '.', '_' and '-' only (others
    /// become '-'), starting with a letter or digit, at most 100 characters, ending .csv.
    /// </summary>
    public static string SafeName(string fileName)
    {
        var name = Path.GetFileName(fileName.Replace('\\', '/'));
        var stem = Path.GetFileNameWithoutExtension(name);
        stem = Unsafe().Replace(stem, "-").Trim('-', '.', '_');
        stem = Repeats().Replace(stem, "-");
        if (stem.Length == 0) stem = "upload";
        return (stem.Length > 96 ? stem[..96].TrimEnd('-', '.', '_') : stem) + ".csv";
    }

    /// <summary>The drop id the ingestor gives the stored file (one definition: the ledger's), streamed.</summary>
    public static Task<string> DropIdAsync(string provider, string dropType, Stream content, CancellationToken cancellationToken) =>
        Ingestion.DropLedger.DropIdAsync(provider, dropType, content, cancellationToken);

    [GeneratedRegex("[^A-Za-z0-9._-]+")] private static partial Regex Unsafe();
    [GeneratedRegex("[-._]{2,}")] private static partial Regex Repeats();
}
