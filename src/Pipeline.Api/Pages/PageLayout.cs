using static YouthJustice.Pipeline.Api.Pages.Html;

namespace YouthJustice.Pipeline.Api.Pages;

/// <summary>
/// The GOV.UK page template around every page: skip link, header with the service name (no crown: this is not a
/// GOV.UK service), service navigation by role, breadcrumbs, main, footer. Styles and scripts come from the app's own
/// origin (<c>/assets/</c>): GOV.UK Frontend from its pinned npm package and the pages' one module script.
/// </summary>
public static class PageLayout
{
    public const string ServiceName = "Youth justice data sharing";

    public static string Render(PageResult page, ApiCaller? caller, string csrfToken, string currentPath, bool developmentSignIn)
    {
        var body = H($"""
            <!DOCTYPE html>
            <html lang="en-GB" class="govuk-template">
            <head>
            <meta charset="utf-8">
            <title>{(page.Status >= 400 ? "Error: " : "")}{page.Title} – {ServiceName}</title>
            <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
            <meta name="theme-color" content="#0b0c0c">
            <meta name="referrer" content="no-referrer">
            <meta name="csrf-token" content="{csrfToken}">
            <link rel="icon" sizes="48x48" href="/assets/images/favicon.ico">
            <link rel="icon" sizes="any" href="/assets/images/favicon.svg" type="image/svg+xml">
            <link rel="stylesheet" href="/assets/govuk-frontend.min.css">
            <link rel="stylesheet" href="/assets/pages.css">
            <script type="module" src="/assets/pages.js"></script>
            </head>
            <body class="govuk-template__body">
            <a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>
            <header class="govuk-generic-header" role="banner"><div class="govuk-generic-header__container govuk-width-container"><div class="govuk-generic-header__logo"><a href="/" class="govuk-generic-header__homepage-link">{ServiceName}</a></div></div></header>
            {Navigation(caller, csrfToken, currentPath, developmentSignIn)}
            <div class="govuk-width-container">
            {PhaseBanner(developmentSignIn)}
            {Breadcrumbs(page.Crumbs)}
            <main class="govuk-main-wrapper" id="main-content">
            {page.Body}
            </main>
            </div>
            <footer class="govuk-footer"><div class="govuk-width-container"><div class="govuk-footer__meta"><div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
            <h2 class="govuk-visually-hidden">About this service</h2>
            <p class="govuk-body-s">Pseudonymised data shared under information-sharing agreements. Every page you open is recorded in the audit trail.</p>
            </div></div></div></footer>
            </body>
            </html>
            """);
        return body.Value;
    }

    private static Markup PhaseBanner(bool development) => When(development, H($"""
        <div class="govuk-phase-banner"><p class="govuk-phase-banner__content"><strong class="govuk-tag govuk-phase-banner__content__tag">Local</strong>
        <span class="govuk-phase-banner__text">Development sign-in: synthetic demo data on this computer only.</span></p></div>
        """));

    private static Markup Breadcrumbs(IReadOnlyList<Crumb> crumbs) => crumbs.Count == 0 ? Markup.Empty : H($"""
        <nav class="govuk-breadcrumbs" aria-label="Breadcrumb"><ol class="govuk-breadcrumbs__list">{Join(crumbs, c => H($"<li class=\"govuk-breadcrumbs__list-item\"><a class=\"govuk-breadcrumbs__link\" href=\"{c.Href}\">{c.Text}</a></li>"))}</ol></nav>
        """);

    private static Markup Navigation(ApiCaller? caller, string csrfToken, string currentPath, bool development)
    {
        var items = new List<(string Text, string Href)>();
        if (caller is not null)
        {
            if (caller.Is(ApiRoles.Provider) && caller.Provider is not null)
                items.AddRange([("Send data", PageRoutes.Provider), ("Your drops", PageRoutes.Drops),
                    ("Data quality", PageRoutes.Quality)]);
            if ((caller.Is(ApiRoles.Analyst) || caller.Is(ApiRoles.Board)) && caller.Yot is { } yot)
                items.Add(("KPIs", $"/yots/{Url(yot)}"));
            if (caller.Is(ApiRoles.Yjb)) items.Add(("YOTs", PageRoutes.Yots));
        }
        var list = Join(items, i =>
        {
            var current = i.Href == "/" ? currentPath == "/"
                : currentPath == i.Href || currentPath.StartsWith(i.Href + "/", StringComparison.Ordinal);
            return current
                ? H($"<li class=\"govuk-service-navigation__item govuk-service-navigation__item--active\"><a class=\"govuk-service-navigation__link\" href=\"{i.Href}\" aria-current=\"page\"><strong class=\"govuk-service-navigation__active-fallback\">{i.Text}</strong></a></li>")
                : H($"<li class=\"govuk-service-navigation__item\"><a class=\"govuk-service-navigation__link\" href=\"{i.Href}\">{i.Text}</a></li>");
        });
        var account = caller is not null
            ? H($"""<li class="govuk-service-navigation__item pages-account"><span class="govuk-service-navigation__text">Signed in as {Describe(caller)}</span> <form method="post" action="{PageRoutes.SignOut}" class="pages-inline-form"><input type="hidden" name="{PageAuth.CsrfField}" value="{csrfToken}"><button type="submit" class="pages-link-button govuk-service-navigation__link">Sign out</button></form></li>""")
            : When(development, H($"""<li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="{PageRoutes.SignIn}">Sign in</a></li>"""));
        return H($"""
            <section aria-label="Service information" class="govuk-service-navigation" data-module="govuk-service-navigation"><div class="govuk-width-container"><div class="govuk-service-navigation__container">
            <nav aria-label="Menu" class="govuk-service-navigation__wrapper"><ul class="govuk-service-navigation__list" id="navigation">{list}{account}</ul></nav>
            </div></div></section>
            """);
    }

    /// <summary>The signed-in person as the header shows them: their role and the YOT or provider they belong to.</summary>
    public static string Describe(ApiCaller caller)
    {
        var role = caller.Roles.Order(StringComparer.Ordinal).FirstOrDefault() ?? "no role";
        var of = caller.Provider ?? caller.Yot;
        return of is null ? role : $"{role}, {of}";
    }
}
