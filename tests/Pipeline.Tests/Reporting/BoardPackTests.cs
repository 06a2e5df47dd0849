using System.Diagnostics;
using System.Text.RegularExpressions;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Cli.Browser;
using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Quality;
using YouthJustice.Pipeline.Reporting;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Reporting;

/// <summary>
/// A small hand-made board pack (issue 5 item 3). The YOT <c>yot-bp</c> has stored results for the current quarter Q
/// and five of the seven before it (Q-3 and Q-5 have none):
/// <code>
///                       Q-7  Q-6  Q-5  Q-4  Q-3  Q-2  Q-1  Q
/// kpi1-accommodation    5/20 6/20  —   7/20  —   3/20 8/20 6/20     (3/20 is withheld once published: c)
/// ete-school-attendance in Q: 900/1000 sessions
/// ete-suspended         in Q: 6/25; by ethnicity White 2/20, Black or Black British 4/5, &lt;Other&gt; &amp; "more" 0/0 (a hostile group
///     name; table keys forbid a slash)
/// </code>
/// Black or Black British: rate 80% ÷ White 10% = RRI 8.00; z = 0.7 ÷ √(0.24·0.76·(1/5 + 1/20)) = 3.28: significant.
/// Published, its 4 of 5 and White's 2 of 20 are withheld (c): no RRI can be shown.
/// The YOT's case provider sent its children this quarter; a school with an agreement for school-attendance sent
/// nothing, so the attendance measures are marked as limited by missing data.
/// </summary>
public sealed class BoardPackTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    private const string Yot = "yot-bp";
    private const string CaseProvider = "yot-bp-case";
    private const string School = "school-bp";
    private Quarter _q;
    private readonly List<Quarter> _window = [];

    private static string Children => Csv(ChildrenHeader,
        $"BP-0001,{Upn(301)},,Quillfeather,Maya,2011-03-10,2,WBRI,,Y",
        $"BP-0002,{Upn(302)},,Ravensworth,Jude,2010-07-05,1,BCRB,,Y");

    // Prevention only: nobody is on the caseload, so a quarter the engine computes has no one in its denominators.
    private static string Interventions => Csv(InterventionsHeader, "BP-0001,BPI-1,PREVENTION,2026-01-05,2026-01-06,,N,");

    private static KpiSet Set(Quarter q, long n, long d, params KpiResult[] more) => new()
    {
        Yot = Yot, Period = q.ToString(), PeriodLabel = q.FinancialYearLabel, EngineVersion = "test",
        Kpis = [new KpiResult { Id = "kpi1-accommodation", Numerator = n, Denominator = d }, .. more],
    };

    private static KpiResult Suspended => new()
    {
        Id = "ete-suspended", Numerator = 6, Denominator = 25,
        Breakdowns = new SortedDictionary<string, IReadOnlyList<KpiGroup>>(StringComparer.Ordinal)
        {
            ["ethnicity"] =
            [
                new KpiGroup { Group = "<Other> & \"more\"", Numerator = 0, Denominator = 0 },
                new KpiGroup { Group = "Black or Black British", Numerator = 4, Denominator = 5 },
                new KpiGroup { Group = "White", Numerator = 2, Denominator = 20 },
            ],
        },
    };

    public async Task InitializeAsync()
    {
        _q = fixture.Pipeline.Get<QualityReporter>().CurrentPeriod();
        _window.Add(_q);
        while (_window.Count < 8) _window.Insert(0, _window[0].Previous());
        var store = fixture.Pipeline.Get<KpiStore>();
        var figures = new (long N, long D)?[] { (5, 20), (6, 20), null, (7, 20), null, (3, 20), (8, 20) };
        for (var i = 0; i < 7; i++)
            if (figures[i] is { } f) await store.WriteAsync(Set(_window[i], f.N, f.D), default);
        await store.WriteAsync(
            Set(_q, 6, 20, Suspended, new KpiResult { Id = "ete-school-attendance", Numerator = 900, Denominator = 1000 }), default);

        await fixture.AddAgreementAsync(Agreement(CaseProvider, Yot, ["yot-children", "yot-interventions"], kind: "yot"));
        await fixture.AddAgreementAsync(Agreement(School, Yot, ["school-attendance"]));
        Assert.NotEqual("rejected", (await fixture.IngestAsync(CaseProvider, "yot-children", Children)).Status);
        Assert.NotEqual("rejected", (await fixture.IngestAsync(CaseProvider, "yot-interventions", Interventions)).Status);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private BoardPackBuilder Builder => fixture.Pipeline.Get<BoardPackBuilder>();

    private static string Row(string html, string header) =>
        Regex.Match(html, $@"<tr><th scope=""row"">{Regex.Escape(header)}</th>.*?</tr>", RegexOptions.Singleline).Value;

    [Fact]
    public async Task The_internal_pack_shows_the_headlines_with_a_chart_each_and_the_disproportionality_of_the_ete_measures()
    {
        var html = await Builder.BuildAsync(Yot, _q, new BoardPackOptions(), default);

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("Internal: not for publication", html);
        // Headline: 6 of 20 = 30.0%, down from the previous quarter's 8 of 20.
        var card = Regex.Match(html, @"<article class=""card"" id=""kpi-kpi1-accommodation"">.*?</article>", RegexOptions.Singleline).Value;
        Assert.Contains("<p class=\"big\">30.0%</p>", card);
        Assert.Contains("6 of 20", card);
        Assert.Contains($"↓ down from 40.0% in {_window[6]}", card);
        // One chart per headline, labelled for screen readers, with its data as a table; quarters without results are x.
        Assert.Single(Regex.Matches(card, "<svg "));
        Assert.Matches(@"<svg [^>]*role=""img"" aria-labelledby=""c-kpi1-accommodation-t c-kpi1-accommodation-d""", card);
        Assert.Contains(
            $"<title id=\"c-kpi1-accommodation-t\">{SafeCsv.Html(KpiCatalogue.Title("kpi1-accommodation"))}, {_window[0]} to {_q}</title>",
            card);
        Assert.Contains($"{_window[2]}: x", card);
        Assert.Contains("<details class=\"data\"><summary>Data table</summary>", card);
        Assert.Contains("<td>15.0%<br><span class=\"nd\">3/20</span></td>", card);
        Assert.All(Regex.Matches(html, @"<article class=""card"".*?</article>", RegexOptions.Singleline), c =>
            Assert.Single(Regex.Matches(c.Value, "<svg ")));

        // ETE: the RRI of Black or Black British against White, significant at 95%; unsuppressed in the internal pack.
        var black = Row(html, "Black or Black British");
        Assert.Contains("<td>4</td><td>5</td><td>80.0%</td><td>8.00</td><td><strong>yes</strong> (z = 3.28)</td>", black);
        Assert.Contains("1.00 (reference)", Row(html, "White"));
        // The empty group: no one in the denominator is x, not 0 and not c.
        Assert.Contains("<td>0</td><td>0</td><td>x</td><td>x</td>", Row(html, "&lt;Other&gt; &amp; &quot;more&quot;"));
        Assert.DoesNotContain("<Other>", html);
    }

    [Fact]
    public async Task The_published_pack_withholds_small_numbers_as_c_and_says_so()
    {
        var html = await Builder.BuildAsync(Yot, _q, new BoardPackOptions { Publish = true }, default);

        Assert.Contains("Published version.", html);
        Assert.Contains("any count from 1 to 4 is withheld", html);
        Assert.DoesNotContain("not for publication", html);
        // 4 of 5 and 2 of 20 are withheld: neither rate nor RRI is shown.
        Assert.Contains("<td>c</td><td>c</td><td>c</td><td>c</td>", Row(html, "Black or Black British"));
        Assert.Contains("<td>c</td><td>c</td><td>c</td><td>c</td>", Row(html, "White"));
        Assert.DoesNotContain("8.00", html);
        // Q-2's 3 of 20 is withheld: c in its chart and in the data table; 6 of 20 this quarter still shows.
        var card = Regex.Match(html, @"<article class=""card"" id=""kpi-kpi1-accommodation"">.*?</article>", RegexOptions.Singleline).Value;
        Assert.Contains("<p class=\"big\">30.0%</p>", card);
        Assert.Matches(@"<text class=""mark""[^>]*>c</text>", card);
        Assert.Contains($"{_window[5]}: c", card);
        Assert.DoesNotContain("3/20", card);
        Assert.Equal(["board-pack.published.html"],
            (await fixture.BlobNamesAsync(StorageNames.ReportsContainer, $"{Yot}/{_q}/board-pack.p")).Select(n => n.Split('/')[^1]));
    }

    [Fact]
    public async Task The_pack_is_self_contained_escaped_and_free_of_identifiers()
    {
        var html = await Builder.BuildAsync(Yot, _q, new BoardPackOptions(), default);

        Assert.Contains($"<meta http-equiv=\"Content-Security-Policy\" content=\"{BoardPackHtml.ContentSecurityPolicy}\">", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html);
        Assert.DoesNotContain("url(", html);
        // Every src or href is a link within the page.
        Assert.All(Regex.Matches(html, @"\b(?:src|href)\s*=\s*""([^""]*)""").Select(m => m.Groups[1].Value), v =>
            Assert.StartsWith("#", v));
        Assert.DoesNotMatch(@"\b(?:src|href)\s*=\s*[""']?//", html);
        // No raw identifier of the children the case provider sent (the fixture also scans the stored pack).
        foreach (var raw in new[] { Upn(301), Upn(302), "Quillfeather", "Ravensworth", "BP-0001", "2011-03-10" })
            Assert.DoesNotContain(raw, html);
    }

    [Fact]
    public async Task Data_quality_names_the_provider_whose_data_is_missing_and_marks_the_figures_it_limits()
    {
        var html = await Builder.BuildAsync(Yot, _q, new BoardPackOptions(), default);
        var quality = Regex.Match(html, @"<section id=""quality"">.*?</section>", RegexOptions.Singleline).Value;

        var school = Regex.Match(quality, @"<tr class=""bad""><th scope=""row"">Test school-bp.*?</tr>", RegexOptions.Singleline).Value;
        Assert.Contains("<td>school-attendance</td>", school);
        Assert.Contains("<td>never</td>", school);
        Assert.Contains("missing data, late", school);
        var cases = Regex.Match(quality, @"<tr class=""[a-z]+""><th scope=""row"">Test yot-bp-case.*?</tr>", RegexOptions.Singleline).Value;
        Assert.StartsWith("<tr class=\"ok\">", cases);
        Assert.Contains("(0 days ago)", cases);
        Assert.Contains("<td>on time</td>", cases);
        // The school's missing attendance limits school attendance (marked ! where it is shown), not KPI 1 or suspensions.
        Assert.Contains(
            $"<li><span class=\"limit\">!</span> {SafeCsv.Html(KpiCatalogue.Title("ete-school-attendance"))}: school-attendance from " +
            $"Test school-bp missing</li>", quality);
        Assert.DoesNotContain(SafeCsv.Html(KpiCatalogue.Title("ete-suspended")), quality);
        Assert.DoesNotContain(SafeCsv.Html(KpiCatalogue.Title("kpi1-accommodation")), quality);
        var ete = Regex.Match(html, @"<table class=""ete"">.*?</table>", RegexOptions.Singleline).Value;
        Assert.Matches(@"<th scope=""row"">School attendance[^<]*<a class=""limit"" href=""#quality""", ete);
        Assert.DoesNotMatch(@"<th scope=""row"">Suspended[^<]*<a class=""limit""", ete);
    }

    [Fact]
    public async Task Building_again_with_the_same_inputs_writes_nothing_new_and_the_cli_writes_the_file()
    {
        var name = BoardPackBuilder.BlobName(Yot, _q, publish: false);
        var first = await Builder.BuildAsync(Yot, _q, new BoardPackOptions(), default);
        var etag = (await fixture.Storage.Container(StorageNames.ReportsContainer).GetBlobClient(name).GetPropertiesAsync()).Value.ETag;
        var audits = (await fixture.Pipeline.Get<AuditLog>().ForSubjectAsync($"board-pack|{Yot}|{_q}", default)).Count;

        var file = new FileInfo(Path.Combine(Path.GetTempPath(), $"bp-{Guid.NewGuid():N}", "board-pack.html"));
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Success, await ReportCommand.WriteAsync(Builder, Yot, _q, file, publish: false, output, TextWriter.Null,
            default));

        Assert.Equal(first, await File.ReadAllTextAsync(file.FullName));
        Assert.Contains(file.FullName, output.ToString());
        Assert.Equal(etag, (await fixture.Storage.Container(StorageNames.ReportsContainer).GetBlobClient(name).GetPropertiesAsync())
            .Value.ETag);
        Assert.Equal(audits, (await fixture.Pipeline.Get<AuditLog>().ForSubjectAsync($"board-pack|{Yot}|{_q}", default)).Count);
        Assert.True(audits >= 1);
        Assert.Equal(ExitCodes.Usage, await ReportCommand.WriteAsync(Builder, "a/b", _q, file, false, TextWriter.Null, TextWriter.Null,
            default));
        file.Directory!.Delete(recursive: true);
    }

    [Fact]
    public async Task A_quarter_with_nothing_stored_is_computed_and_missing_figures_show_as_x()
    {
        // Nothing stored for the next quarter: the engine computes it (from the children alone: no one has an order, so x).
        var next = new Quarter(_q.Number == 4 ? _q.Year + 1 : _q.Year, _q.Number == 4 ? 1 : _q.Number + 1);
        var html = await Builder.BuildAsync(Yot, next, new BoardPackOptions(), default);
        var card = Regex.Match(html, @"<article class=""card"" id=""kpi-kpi1-accommodation"">.*?</article>", RegexOptions.Singleline).Value;
        Assert.Contains("<p class=\"big\">x</p>", card);
        Assert.Contains("<p class=\"dir\">not available this quarter</p>", card);
        Assert.Contains($"{_q}: 30.0%", card);
        // Computed afresh, every headline KPI has its card, and every card its chart.
        var cards = Regex.Matches(html, @"<article class=""card"".*?</article>", RegexOptions.Singleline);
        Assert.True(cards.Count >= 10, $"{cards.Count} headline cards");
        Assert.All(cards, c => Assert.Single(Regex.Matches(c.Value, "<svg ")));
    }

    [ChromiumFact]
    public async Task The_pack_loads_in_headless_chromium_without_errors_and_shows_its_charts()
    {
        var html = await Builder.BuildAsync(Yot, _q, new BoardPackOptions { Publish = true }, default);
        var dir = Directory.CreateTempSubdirectory("board-pack-");
        try
        {
            var page = Path.Combine(dir.FullName, "board-pack.html");
            await File.WriteAllTextAsync(page, html);
            var png = Path.Combine(dir.FullName, "board-pack.png");
            var (dom, log) = await RunChromiumAsync(dir.FullName, "--dump-dom", new Uri(page).AbsoluteUri);
            await RunChromiumAsync(dir.FullName, $"--screenshot={png}", "--window-size=1280,2000", new Uri(page).AbsoluteUri);

            Assert.Contains("<svg", dom);
            Assert.Equal(Regex.Count(html, "<svg "), Regex.Count(dom, "<svg "));
            Assert.Contains("Headline KPIs", dom);
            Assert.Contains("Published version.", dom);
            Assert.DoesNotContain("Uncaught", log);
            Assert.DoesNotContain("Refused to", log);
            Assert.True(new FileInfo(png).Length > 20_000, $"screenshot is only {new FileInfo(png).Length} bytes");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<(string Stdout, string Stderr)> RunChromiumAsync(string profile, params string[] args)
    {
        var start = new ProcessStartInfo(ChromiumFactAttribute.Path!)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "--headless=new", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-extensions",
                     "--enable-logging=stderr", "--v=0", $"--user-data-dir={System.IO.Path.Combine(profile, "profile")}" }.Concat(args))
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // A guard against a hung chromium, not a speed check: its first start on a fresh machine builds a font cache.
        using var timeout = new CancellationTokenSource(LocalChromium.Patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish within {LocalChromium.Patience.TotalSeconds} s");
        }
        return (await stdout, await stderr);
    }
}

/// <summary>
/// A test that needs Debian's <c>chromium</c> (test.sh installs it when absent). Skipped, saying why, only on a machine
/// where it is not installed and could not be.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public static readonly string? Path = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
        ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => System.IO.Path.Combine(d, "chromium")).FirstOrDefault(File.Exists);

    public ChromiumFactAttribute()
    {
        if (Path is null)
            Skip = "Chromium is not installed and could not be: test.sh installs Debian's 'chromium' package (apt-get install chromium); " +
                "install it to run this test.";
    }
}
