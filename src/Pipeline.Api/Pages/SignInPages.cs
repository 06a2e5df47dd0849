using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Api.Auth;
using static YouthJustice.Pipeline.Api.Pages.Html;

namespace YouthJustice.Pipeline.Api.Pages;

/// <summary>
/// The start page, signing in and out. Development hosts list every provider with an agreement and every role of every
/// YOT, and sign in with a development token; nowhere else does that page exist. In Azure, built-in authentication
/// signs people in (<c>/.auth/login/aad</c>) and these routes only send them there.
/// </summary>
public sealed class SignInPages(PageAuth auth, AgreementStore agreements)
{
    public IEnumerable<PageEndpoint> Endpoints =>
    [
        new("Home", "GET", PageRoutes.Home, PageAccess.Anyone, HomeAsync),
        new("SignIn", "GET", PageRoutes.SignIn, PageAccess.Anyone, SignInPageAsync),
        new("SignInAs", "POST", PageRoutes.SignIn, PageAccess.Anyone, SignInAsync),
        new("SignOut", "POST", PageRoutes.SignOut, PageAccess.Anyone, SignOutAsync),
    ];

    private static Task<PageResult> HomeAsync(PageRequest request, CancellationToken cancellationToken)
    {
        var caller = request.Caller;
        if (caller is null) return Task.FromResult(PageResult.Redirect(PageRoutes.SignIn));
        if (caller.Is(ApiRoles.Provider) && caller.Provider is not null) return Task.FromResult(PageResult.Redirect(PageRoutes.Provider));
        if ((caller.Is(ApiRoles.Analyst) || caller.Is(ApiRoles.Board))
            && caller.Yot is { } yot) return Task.FromResult(PageResult.Redirect($"/yots/{Url(yot)}"));
        if (caller.Is(ApiRoles.Yjb)) return Task.FromResult(PageResult.Redirect(PageRoutes.Yots));
        return Task.FromResult(PageResult.Error(403, "Your account has no role here",
            "You are signed in, but your account has none of this service's roles (analyst, board, yjb or provider). Ask your YOT's information officer to give you one."));
    }

    private async Task<PageResult> SignInPageAsync(PageRequest request, CancellationToken cancellationToken)
    {
        var returnUrl = LocalUrl(request.Query("returnUrl"));
        if (auth.EasyAuth) return PageResult.Redirect($"/.auth/login/aad?post_login_redirect_uri={Url(returnUrl)}");
        if (auth.Development is null)
            return PageResult.Error(404, "Sign-in is not set up",
                "This service signs people in with Microsoft Entra ID through the platform's built-in authentication, which is not switched on here. Ask the service's administrators.");

        var all = (await agreements.AllAsync(cancellationToken)).OrderBy(a => a.Yot, StringComparer.Ordinal)
            .ThenBy(a => a.Provider.Name, StringComparer.Ordinal).ToList();
        var providers = all.GroupBy(a => a.Provider.Id, StringComparer.Ordinal).Select(g => g.First()).ToList();
        var yots = all.Select(a => a.Yot).Distinct(StringComparer.Ordinal).ToList();
        Markup Option(string label, string hint, string role, string? yot = null, string? provider = null) => H($"""
            <li class="pages-sign-in-option"><form method="post" action="{PageRoutes.SignIn}">{request.CsrfField}
            <input type="hidden" name="role" value="{role}"><input type="hidden" name="yot" value="{yot ?? ""}"><input type="hidden" name="provider" value="{provider ?? ""}"><input type="hidden" name="returnUrl" value="{returnUrl}">
            <button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-1" data-module="govuk-button">{label}</button>
            <p class="govuk-hint govuk-!-margin-top-0">{hint}</p></form></li>
            """);

        var body = H($"""
            <h1 class="govuk-heading-xl">Sign in</h1>
            <div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>
            Development sign-in. Anyone who can reach this computer's port can choose any role: it exists only when the service runs locally (<code>pipeline serve</code>).</strong></div>
            <h2 class="govuk-heading-l">Data providers</h2>
            <p class="govuk-body">Schools, colleges, the YOT's case system and the board secretariat: send files and read their receipts.</p>
            {(providers.Count == 0 ? H($"<p class=\"govuk-body\">No provider has an agreement yet. Run <code>./pipeline demo</code> first, or load agreements with <code>./pipeline agreements load</code>.</p>") : H($"<ul class=\"govuk-list\">{Join(providers, a => Option($"Sign in as {a.Provider.Name}", $"{a.Provider.Kind} · {a.Provider.Id} · shares with {a.Yot}", ApiRoles.Provider, provider: a.Provider.Id))}</ul>"))}
            <h2 class="govuk-heading-l">YOT staff</h2>
            <ul class="govuk-list">{Join(yots, y => Option($"Sign in as an analyst of {y}", "KPIs, breakdowns and the pseudonymised children behind them", ApiRoles.Analyst, yot: y) + Option($"Sign in as a board member of {y}", "KPIs and breakdowns, no child-level rows", ApiRoles.Board, yot: y))}</ul>
            <h2 class="govuk-heading-l">Youth Justice Board</h2>
            <ul class="govuk-list">{Option("Sign in as the YJB", "Every YOT's figures as they may be published: small numbers withheld", ApiRoles.Yjb)}</ul>
            """);
        return PageResult.View("Sign in", body, providers.Count + yots.Count * 2 + 1);
    }

    private async Task<PageResult> SignInAsync(PageRequest request, CancellationToken cancellationToken)
    {
        if (auth.Development is null) return PageResult.NotFound("Development sign-in exists only when the service runs locally.");
        var form = await request.Http.Request.ReadFormAsync(cancellationToken);
        string? Field(string name) => form[name].ToString() is { Length: > 0 } v ? v : null;
        var (role, yot, provider) = (Field("role"), Field("yot"), Field("provider"));
        if (role is null
            || !ApiRoles.All.Contains(role, StringComparer.Ordinal)) return PageResult.BadRequest(
            "Choose one of the roles on the sign-in page.");
        var known = await agreements.AllAsync(cancellationToken);
        if (role is ApiRoles.Analyst or ApiRoles.Board && (yot is null || !known.Any(a => a.Yot == yot)))
            return PageResult.BadRequest("That YOT has no agreement here: choose one listed on the sign-in page.");
        if (role is ApiRoles.Provider && (provider is null || !known.Any(a => a.Provider.Id == provider)))
            return PageResult.BadRequest("That provider has no agreement here: choose one listed on the sign-in page.");
        auth.SignIn(request.Http, new ApiTokenRequest(role,
            role is ApiRoles.Analyst or ApiRoles.Board ? yot : null, role is ApiRoles.Provider ? provider : null));
        return PageResult.Redirect(LocalUrl(Field("returnUrl")));
    }

    private Task<PageResult> SignOutAsync(PageRequest request, CancellationToken cancellationToken)
    {
        PageAuth.SignOut(request.Http);
        return Task.FromResult(PageResult.Redirect(auth.EasyAuth ? "/.auth/logout?post_logout_redirect_uri=/" : PageRoutes.SignIn));
    }

    /// <summary>Only a path on this site: never another host (an open redirect), never a scheme-relative <c>//host</c>.</summary>
    public static string LocalUrl(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
            && !url.Contains("://", StringComparison.Ordinal) ? url : "/";
}
