namespace YouthJustice.Pipeline.Api.Pages;

/// <summary>
/// The pages' settings (configuration section <c>Pages</c>, app settings <c>Pages__…</c>). Who is signed in comes from
/// the API's mode: <c>Api:Mode = Development</c> offers the development sign-in page; otherwise the pages read the
/// principal that App Service / Functions built-in authentication (Easy Auth) passes in, and only when
/// <see cref="EasyAuth"/> says it is switched on in front of the app.
/// </summary>
public sealed class PagesOptions
{
    public const string SectionName = "Pages";

    /// <summary>
    /// True only where built-in authentication is on for the app: then the platform removes any
    /// <c>X-MS-CLIENT-PRINCIPAL</c> header a client sends and sets its own. Without it that header could be forged, so it
    /// is never read.
    /// </summary>
    public bool EasyAuth { get; set; }

    /// <summary>How long an upload link (write-only SAS for one blob) lasts.</summary>
    public TimeSpan UploadLinkLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a development sign-in lasts.</summary>
    public TimeSpan DevelopmentSessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>The largest file the upload page sends (the service's block blob limit is far above this).</summary>
    public long MaxUploadBytes { get; set; } = 2L * 1024 * 1024 * 1024;
}
