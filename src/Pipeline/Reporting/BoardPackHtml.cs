using System.Globalization;
using System.Text;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Quality;

namespace YouthJustice.Pipeline.Reporting;

/// <summary>
/// Renders a <see cref="BoardPackModel"/> as one self-contained HTML page: inline CSS, inline SVG, system fonts, no
/// script, no external resource of any kind (a Content-Security-Policy meta tag forbids them all). Every text that came
/// from data is HTML-escaped. Figures use the government statistical symbols: <c>c</c> withheld for confidentiality,
/// <c>x</c> not available, <c>low</c> above zero but below the precision shown; a zero is printed as 0, so withheld,
/// missing and zero never look alike. Deterministic: the same model renders the same bytes.
/// </summary>
public static class BoardPackHtml
{
    public const string Withheld = "c";
    public const string NotAvailable = "x";
    public const string Low = "low";
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(BoardPackModel m)
    {
        var ids = m.Trend.Where(t => t.Set is not null).SelectMany(t => t.Set!.Kpis).Select(k => k.Id)
            .Concat(m.Current.Kpis.Select(k => k.Id)).Distinct(StringComparer.Ordinal)
            .Where(KpiCatalogue.IsHeadline).OrderBy(KpiCatalogue.DisplayRank).ThenBy(id => id, StringComparer.Ordinal).ToList();
        var headlines = ids.Where(id => !IsEte(id)).ToList();
        var ete = ids.Where(IsEte).ToList();
        var limits = Limits(m);

        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.Append($"<meta http-equiv=\"Content-Security-Policy\" content=\"{ContentSecurityPolicy}\">\n");
        h.Append(
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n");
        h.Append(
            $"<title>Board pack: {E(m.Yot)}, {E(m.Period.ToString())}{(m.Options.Publish ? " (published)" : " (internal)")}</title>\n");
        h.Append("<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n<main>\n");

        h.Append($"<header><h1>Board pack: {E(m.Yot)}</h1><p class=\"sub\">Quarter {E(m.Period.ToString())} ({E(m.Current.PeriodLabel)}), ")
         .Append($"{m.Period.Start:d MMMM yyyy} to {m.Period.End:d MMMM yyyy}. KPI engine {E(m.Current.EngineVersion)}, ")
         .Append($"results from {m.Current.SourceDrops.Count.ToString(Inv)} drop(s).</p>");
        if (m.Options.Publish)
            h.Append($"<p class=\"banner published\" id=\"status\"><strong>Published version.</strong> Disclosure control applied: any count from 1 to {m.Disclosure.Threshold.ToString(Inv)} is withheld (<b>c</b>), ")
             .Append("and a second cell where a total would reveal it.")
             .Append(m.Disclosure.RoundTo > 1 ? $" Counts are rounded to the nearest {m.Disclosure.RoundTo.ToString(Inv)}." : "")
                 .Append("</p>");
        else
            h.Append("<p class=\"banner internal\" id=\"status\"><strong>Internal: not for publication.</strong> Figures are unsuppressed, for the management board of this YOT only. ")
             .Append("A version fit to publish is built with <code>pipeline report --publish</code>.</p>");
        h.Append(Legend(m)).Append("</header>\n");

        // 1. Headlines
        h.Append("<section id=\"headlines\"><h2>Headline KPIs</h2>\n<div class=\"cards\">\n");
        foreach (var id in headlines) h.Append(Card(m, id, limits));
        if (headlines.Count == 0) h.Append("<p>No headline KPI results for this quarter.</p>");
        h.Append("</div></section>\n");

        // 2. ETE
        h.Append("<section id=\"ete\"><h2>Education, training and employment</h2>\n");
        h.Append("<p>The YOT's caseload in the quarter (docs/kpis.md §3). Charts show the last ")
            .Append(m.Options.TrendQuarters.ToString(Inv))
         .Append(" quarters; the table under them gives the same figures.</p>\n");
        if (ete.Count == 0) h.Append("<p>No ETE measures for this quarter.</p>");
        else
        {
            h.Append("<table class=\"ete\"><caption>ETE measures, ").Append(E(m.Period.ToString()))
                .Append("</caption>\n<thead><tr><th scope=\"col\">Measure</th><th scope=\"col\">Numerator</th>")
             .Append("<th scope=\"col\">Denominator</th><th scope=\"col\">Value</th><th scope=\"col\">Direction</th><th scope=\"col\">Last ")
             .Append(m.Options.TrendQuarters.ToString(Inv)).Append(" quarters</th></tr></thead>\n<tbody>\n");
            foreach (var id in ete)
            {
                var k = Find(m.Current, id);
                h.Append("<tr><th scope=\"row\">").Append(E(KpiCatalogue.Title(id))).Append(LimitMark(id, limits))
                    .Append("<br><span class=\"id\">").Append(E(id)).Append("</span></th>")
                 .Append("<td>").Append(Count(k, r => r.Numerator)).Append(UnitNote(k, id, numerator: true)).Append("</td><td>")
                     .Append(Count(k, r => r.Denominator))
                 .Append(UnitNote(k, id, numerator: false)).Append("</td><td class=\"v\">")
                 .Append(Value(k)).Append("</td><td>").Append(E(Direction(m, id))).Append("</td><td>").Append(Chart(m, id, small: true))
                     .Append("</td></tr>\n");
            }
            h.Append("</tbody></table>\n");
            h.Append(TrendTable(m, ete, "ETE measures over the last quarters (the charts' data)"));
            h.Append("<h3 id=\"disproportionality\">Disproportionality</h3>\n<p>Relative rate index (RRI) = a group's rate ÷ the reference group's rate: the <b>White</b> group for ethnicity, ")
             .Append("otherwise the largest group. An RRI above 1 means the group's rate is higher. <b>Significant</b>: a two-sided two-proportion z-test at 95% ")
             .Append("(|z| ≥ 1.96, pooled proportion); measures counting sessions or hours rather than children get an RRI but no test. ")
             .Append("Small groups give unstable indices: read them with their counts.</p>\n");
            foreach (var id in ete)
                if (Find(m.Current, id) is { Breakdowns.Count: > 0 } k)
                    h.Append(Disproportionality(m, k));
        }
        h.Append("</section>\n");

        // 3. Data quality
        h.Append(Quality(m, limits));

        // 4. Notes
        h.Append("<section id=\"notes\"><h2>Notes</h2><ul>")
         .Append("<li>Figures are those stored for each quarter by the KPI engine; a quarter with no stored results is shown as <b>x</b>, never as zero.</li>")
         .Append("<li>Direction compares the quarter with the latest earlier quarter that has a figure; whether up is good depends on the measure.</li>")
         .Append("<li>Rates per 10,000, 100,000 or 1,000 children use the YOT area's 10-17 population for the year before the quarter, as loaded with its source; each rate names the estimate it used.</li>")
         .Append("<li>National indicators are local estimates; the official figures come from the Police National Computer.</li>")
         .Append("</ul></section>\n");
        h.Append("</main>\n</body>\n</html>\n");
        return h.ToString();
    }

    private static bool IsEte(string id) => id.StartsWith("ete-", StringComparison.Ordinal);

    /// <summary>The unit under a count in the ETE table ("hours", "possible sessions"), where it is not children.</summary>
    private static string UnitNote(KpiResult? k, string id, bool numerator)
    {
        var units = KpiCatalogue.Units(id);
        if (k is null || k.Suppressed || units == KpiUnits.Children) return "";
        return $"<br><span class=\"id\">{E(numerator ? units.Numerator : units.Denominator)}</span>";
    }

    private static string E(string? text) => SafeCsv.Html(text);

    private static KpiResult? Find(KpiSet? set, string id) => set?.Kpis.FirstOrDefault(k => k.Id == id);

    private static string Legend(BoardPackModel m) =>
        "<dl class=\"legend\" aria-label=\"Symbols\">" +
        $"<dt>{Withheld}</dt><dd>withheld to protect confidentiality{(m.Options.Publish ? "" : " (none in this internal version)")}</dd>" +
        $"<dt>{NotAvailable}</dt><dd>not available: no one in the denominator, or no results for that quarter</dd>" +
        $"<dt>{Low}</dt><dd>above zero but below the precision shown</dd>" +
        "<dt>0</dt><dd>a true zero</dd>" +
        "<dt><span class=\"limit\">!</span></dt><dd>limited by missing or refused data (see <a href=\"#quality\">data quality</a>)</dd></dl>";

    private static string Card(BoardPackModel m, string id, IReadOnlyDictionary<string, List<string>> limits)
    {
        var k = Find(m.Current, id);
        var s = new StringBuilder();
        s.Append("<article class=\"card\" id=\"kpi-").Append(E(id)).Append("\"><h3>").Append(E(KpiCatalogue.Title(id)))
            .Append(LimitMark(id, limits)).Append("</h3>");
        s.Append("<p class=\"big\">").Append(Value(k)).Append("</p><p class=\"nd\">").Append(E(Counts(k, id)))
         .Append(" · <span class=\"id\">").Append(E(id)).Append("</span></p>");
        if (k?.Population is { } p)
            s.Append("<p class=\"nd\">10-17 population ").Append(p.Population.ToString("N0", Inv)).Append(", ").Append(p.Year.ToString(Inv))
             .Append(" estimate (").Append(E(p.Source)).Append(")</p>");
        s.Append("<p class=\"dir\">").Append(E(Direction(m, id))).Append("</p>");
        s.Append(Chart(m, id, small: false));
        s.Append(TrendTable(m, [id], $"{KpiCatalogue.Title(id)}: data"));
        s.Append("</article>\n");
        return s.ToString();
    }

    /// <summary>The figure's value as people read it: a percentage, a rate per N, a ratio per child, or c / x / low.</summary>
    public static string Value(KpiResult? k)
    {
        if (k is null) return NotAvailable;
        return Format(k.Value, KpiCatalogue.Units(k.Id), k.Scale, k.Suppressed);
    }

    public static string Format(double? value, KpiUnits units, double scale, bool suppressed, bool brief = false)
    {
        if (suppressed) return Withheld;
        if (value is not { } v) return NotAvailable;
        switch (units.Kind)
        {
            case ValueKind.Fraction:
                return v > 0 && Math.Round(v * 100, 1) == 0 ? Low : (v * 100).ToString("0.0", Inv) + "%";
            case ValueKind.Ratio:
                if (v > 0 && Math.Round(v, 2) == 0) return Low;
                return brief ? v.ToString("0.00", Inv) : $"{v.ToString("0.00", Inv)} per {units.Per ?? units.Denominator}";
            default:
                if (v > 0 && Math.Round(v, 1) == 0) return Low;
                var number = v.ToString("N1", Inv);
                return brief ? number : $"{number} per {scale.ToString("N0", Inv)}";
        }
    }

    private static string Count(KpiResult? k, Func<KpiResult, long> pick) =>
        k is null ? NotAvailable : k.Suppressed ? Withheld : KpiCatalogue.Units(k.Id).Format(pick(k));

    /// <summary>The counts behind a value with their units: "12 of 20 children", "1,482.5 of 1,952.5 hours", "3 serious violent offences ÷
    /// 21,400 children aged 10-17 in the area".</summary>
    private static string Counts(KpiResult? k, string id)
    {
        if (k is null) return NotAvailable;
        if (k.Suppressed) return Withheld;
        var units = KpiCatalogue.Units(id);
        return units.Numerator == units.Denominator
            ? $"{units.Format(k.Numerator)} of {units.Format(k.Denominator)} {units.Denominator}"
            : $"{units.Format(k.Numerator)} {units.Numerator} ÷ {units.Format(k.Denominator)} {units.Denominator}";
    }

    private static string Direction(BoardPackModel m, string id)
    {
        var now = Find(m.Current, id);
        if (now is null) return "no figure this quarter";
        if (now.Suppressed) return "withheld this quarter";
        if (now.Value is not { } v) return "not available this quarter";
        for (var i = m.Trend.Count - 2; i >= 0; i--)
        {
            var before = Find(m.Trend[i].Set, id);
            if (before is null || before.Suppressed || before.Value is not { } b) continue;
            var units = KpiCatalogue.Units(id);
            var shown = Format(b, units, before.Scale, false);
            var same = Format(v, units, now.Scale, false) == shown;
            return same ? $"→ level with {m.Trend[i].Quarter} ({shown})" : v > b ? $"↑ up from {shown} in {m.Trend[i].Quarter}"
                : $"↓ down from {shown} in {m.Trend[i].Quarter}";
        }
        return "no earlier quarter to compare";
    }

    /// <summary>
    /// A line chart of one KPI over the window: a point per quarter with a figure, the line broken where one has none;
    /// <c>c</c> or <c>x</c> written on the axis where a quarter's figure is withheld or not available.
    /// </summary>
    private static string Chart(BoardPackModel m, string id, bool small)
    {
        double width = small ? 150 : 300, height = small ? 44 : 120, left = small ? 4 : 40, right = small ? 4 : 10, top = small ? 4 : 10,
            bottom = small ? 12 : 24;
        var points = m.Trend.Select(t => (t.Quarter, K: Find(t.Set, id))).ToList();
        var scale = points.Select(p => p.K?.Scale).FirstOrDefault(s => s is not null) ?? 1;
        var values = points.Select(p => p.K is { Suppressed: false, Value: { } v } ? v : (double?)null).ToList();
        var max = values.Where(v => v is not null).Select(v => v!.Value).DefaultIfEmpty(0).Max();
        var yMax = scale == 1 && max <= 1 ? 1 : max <= 0 ? 1 : NiceCeiling(max);
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        double X(int i) => left + (points.Count == 1 ? plotW / 2 : plotW * i / (points.Count - 1));
        double Y(double v) => top + plotH - plotH * v / yMax;

        var key = "c-" + Slug(id) + (small ? "-s" : "");
        var title = $"{KpiCatalogue.Title(id)}, {points[0].Quarter} to {points[^1].Quarter}";
        var desc = string.Join("; ", points.Select((p, i) => $"{p.Quarter}: {(p.K is null ? NotAvailable : Value(p.K))}"));
        var s = new StringBuilder();
        s.Append($"<svg class=\"chart{(small ? " small" : "")}\" viewBox=\"0 0 {N(width)} {N(height)}\" width=\"{N(width)}\" height=\"{N(height)}\" role=\"img\" ")
         .Append($"aria-labelledby=\"{key}-t {key}-d\">")
         .Append($"<title id=\"{key}-t\">{E(title)}</title><desc id=\"{key}-d\">{E(desc)}</desc>");
        s.Append($"<line class=\"axis\" x1=\"{N(left)}\" y1=\"{N(top + plotH)}\" x2=\"{N(width - right)}\" y2=\"{N(top + plotH)}\"/>");
        if (!small)
        {
            s.Append($"<line class=\"grid\" x1=\"{N(left)}\" y1=\"{N(top)}\" x2=\"{N(width - right)}\" y2=\"{N(top)}\"/>");
            s.Append($"<text class=\"lbl\" x=\"{N(left - 4)}\" y=\"{N(top + 4)}\" text-anchor=\"end\">{E(Format(yMax, KpiCatalogue.Units(id), scale, false, brief: true))}</text>");
            s.Append($"<text class=\"lbl\" x=\"{N(left - 4)}\" y=\"{N(top + plotH + 4)}\" text-anchor=\"end\">0</text>");
            s.Append($"<text class=\"lbl\" x=\"{N(X(0))}\" y=\"{N(height - 6)}\" text-anchor=\"start\">{E(points[0].Quarter.ToString())}</text>");
            s.Append($"<text class=\"lbl\" x=\"{N(X(points.Count - 1))}\" y=\"{N(height - 6)}\" text-anchor=\"end\">{E(points[^1].Quarter.ToString())}</text>");
        }
        // The line, broken at quarters without a figure.
        var path = new StringBuilder();
        var pen = false;
        for (var i = 0; i < points.Count; i++)
        {
            if (values[i] is not { } v) { pen = false; continue; }
            path.Append(pen ? " L" : (path.Length > 0 ? " M" : "M")).Append(N(X(i))).Append(' ').Append(N(Y(v)));
            pen = true;
        }
        if (path.Length > 0) s.Append($"<path class=\"line\" d=\"{path}\"/>");
        for (var i = 0; i < points.Count; i++)
        {
            if (values[i] is { } v)
                s.Append($"<circle class=\"pt{(i == points.Count - 1 ? " last" : "")}\" cx=\"{N(X(i))}\" cy=\"{N(Y(v))}\" r=\"{(small ? "2" : "3")}\"/>");
            else
                s.Append($"<text class=\"mark\" x=\"{N(X(i))}\" y=\"{N(top + plotH - 3)}\" text-anchor=\"middle\">{(points[i].K is { Suppressed: true } ? Withheld : NotAvailable)}</text>");
        }
        s.Append("</svg>");
        return s.ToString();
    }

    private static double NiceCeiling(double v)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(v)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
            if (step * magnitude >= v) return step * magnitude;
        return 10 * magnitude;
    }

    private static string N(double v) => v.ToString("0.##", Inv);

    private static string Slug(string id) => new(id.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());

    /// <summary>The charts' data as a table (the accessible fallback): a row per KPI, a column per quarter.</summary>
    private static string TrendTable(BoardPackModel m, IReadOnlyList<string> ids, string caption)
    {
        var s = new StringBuilder("<details class=\"data\"><summary>Data table</summary><table class=\"trend\"><caption>");
        s.Append(E(caption)).Append("</caption><thead><tr><th scope=\"col\">Measure</th>");
        foreach (var (q, _) in m.Trend) s.Append("<th scope=\"col\">").Append(E(q.ToString())).Append("</th>");
        s.Append("</tr></thead><tbody>");
        foreach (var id in ids)
        {
            s.Append("<tr><th scope=\"row\">").Append(E(KpiCatalogue.Title(id))).Append("</th>");
            foreach (var (_, set) in m.Trend)
            {
                var k = Find(set, id);
                s.Append("<td>").Append(Value(k));
                if (k is { Suppressed: false })
                    s.Append("<br><span class=\"nd\">").Append(KpiCatalogue.Units(id).Format(k.Numerator)).Append('/')
                        .Append(KpiCatalogue.Units(id).Format(k.Denominator)).Append("</span>");
                s.Append("</td>");
            }
            s.Append("</tr>");
        }
        s.Append("</tbody></table></details>");
        return s.ToString();
    }

    private static string Disproportionality(BoardPackModel m, KpiResult k)
    {
        var s = new StringBuilder();
        s.Append("<details class=\"disp\"").Append(" open").Append("><summary>").Append(E(KpiCatalogue.Title(k.Id))).Append("</summary>");
        var order = k.Breakdowns.Keys.OrderBy(b => b == ChildProfiles.Ethnicity ? 0 : 1).ThenBy(b => b, StringComparer.Ordinal);
        var others = false;
        foreach (var breakdown in order)
        {
            var groups = k.Breakdowns[breakdown];
            if (groups.Count == 0) continue;
            if (breakdown != ChildProfiles.Ethnicity && !others)
            {
                s.Append("<details class=\"more\"><summary>Other breakdowns</summary>");
                others = true;
            }
            var reference = BoardPackDisproportionality.Reference(breakdown, groups);
            s.Append("<table class=\"rri\"><caption>By ").Append(E(breakdown)).Append(" (reference: ").Append(E(reference?.Group ?? "none"))
                .Append(")</caption>")
             .Append("<thead><tr><th scope=\"col\">Group</th><th scope=\"col\">Numerator</th><th scope=\"col\">Denominator</th><th scope=\"col\">Rate</th>")
             .Append("<th scope=\"col\">RRI</th><th scope=\"col\">Significant (95%)</th></tr></thead><tbody>");
            foreach (var ix in BoardPackDisproportionality.Indices(k.Id, breakdown, groups))
            {
                var g = ix.Group;
                var units = KpiCatalogue.Units(k.Id);
                s.Append("<tr><th scope=\"row\">").Append(E(g.Group)).Append("</th><td>")
                    .Append(g.Suppressed ? Withheld : units.Format(g.Numerator))
                 .Append("</td><td>").Append(g.Suppressed ? Withheld : units.Format(g.Denominator))
                 .Append("</td><td>").Append(Format(g.Value is { } v ? v * k.Scale : null, units, k.Scale, g.Suppressed))
                     .Append("</td><td>");
                s.Append(ix.Reason switch
                {
                    "ref" => "1.00 (reference)",
                    { } reason => reason,
                    null => ix.Rri!.Value.ToString("0.00", Inv),
                });
                s.Append("</td><td>").Append(ix.Significant switch
                {
                    true => $"<strong>yes</strong> (z = {ix.Z!.Value.ToString("0.00", Inv)})",
                    false => $"no (z = {ix.Z!.Value.ToString("0.00", Inv)})",
                    null => ix.Reason is null && !BoardPackDisproportionality.Testable(k.Id) ? "not tested" : "",
                }).Append("</td></tr>");
            }
            s.Append("</tbody></table>");
        }
        if (others) s.Append("</details>");
        s.Append("</details>\n");
        return s.ToString();
    }

    /// <summary>Per KPI id: why its figure may be incomplete (a drop type missing or refused this quarter, by provider).</summary>
    private static Dictionary<string, List<string>> Limits(BoardPackModel m)
    {
        var limits = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var ids = m.Current.Kpis.Select(k => k.Id).Where(KpiCatalogue.IsHeadline).ToList();
        foreach (var p in m.Quality)
            foreach (var (dropType, why) in p.Missing.Select(d => (d, "missing")).Concat(p.RefusedOnly.Select(d => (d, "refused"))))
                foreach (var id in ids.Where(id => Feeds(dropType, id)))
                {
                    if (!limits.TryGetValue(id, out var list)) limits[id] = list = [];
                    list.Add($"{dropType} from {p.Latest.ProviderName ?? p.Latest.Provider} {why}");
                }
        return limits;
    }

    /// <summary>Whether the KPI's definition names the drop type among its sources (a KPI not in the catalogue is fed by none).</summary>
    private static bool Feeds(string dropType, string id) =>
        KpiCatalogue.Definitions.TryGetValue(id, out var d) && d.Sources.Contains(dropType, StringComparer.Ordinal);

    private static string LimitMark(string id, IReadOnlyDictionary<string, List<string>> limits) =>
        limits.TryGetValue(id, out var why)
            ? $" <a class=\"limit\" href=\"#quality\" title=\"{E(string.Join("; ", why))}\">!<span class=\"sr\"> limited: {E(string.Join("; ", why))}</span></a>"
            : "";

    private static string Quality(BoardPackModel m, IReadOnlyDictionary<string, List<string>> limits)
    {
        var s = new StringBuilder("<section id=\"quality\"><h2>Data quality</h2>\n");
        if (m.Quality.Count == 0)
        {
            s.Append("<p class=\"warn\">No information-sharing agreement for this YOT is loaded, so the pack cannot say which providers' data is missing.</p></section>\n");
            return s.ToString();
        }
        var asOf = m.Quality.Max(q => q.Latest.GeneratedAt);
        var (from, to) = (m.Quality[0].From, m.Quality[0].To);
        s.Append("<p>Every provider with an agreement for this YOT: what it sent from the start of the quarter (drops received ")
            .Append(E(from.ToString()))
         .Append(from == to ? "" : $" to {E(to.ToString())}")
             .Append("; data about a quarter keeps arriving after it), and how long ago its last accepted drop arrived (days to ")
         .Append(asOf.UtcDateTime.ToString("d MMMM yyyy", Inv))
             .Append("). A provider is <b>late</b> when its last accepted drop is more than ")
         .Append(m.Options.LateAfterDays.ToString(Inv)).Append(" days old.</p>\n");
        s.Append("<table class=\"quality\"><caption>Providers sharing data with ").Append(E(m.Yot))
            .Append("</caption><thead><tr><th scope=\"col\">Provider</th><th scope=\"col\">Kind</th>")
         .Append("<th scope=\"col\">Drops received / accepted</th><th scope=\"col\">Missing drop types</th><th scope=\"col\">Refused only</th>")
         .Append("<th scope=\"col\">Last accepted drop</th><th scope=\"col\">Status</th></tr></thead><tbody>");
        foreach (var p in m.Quality.OrderBy(q => q.Latest.Provider, StringComparer.Ordinal))
        {
            var r = p.Latest;
            var days = r.Timeliness.DaysSinceLastAcceptedDrop;
            var late = days is null || days > m.Options.LateAfterDays;
            var status = new List<string>();
            if (p.Missing.Count > 0) status.Add("missing data");
            if (p.RefusedOnly.Count > 0) status.Add("refused data");
            if (late) status.Add("late");
            s.Append("<tr class=\"").Append(status.Count == 0 ? "ok" : "bad").Append("\"><th scope=\"row\">")
                .Append(E(r.ProviderName ?? r.Provider)).Append("<br><span class=\"id\">")
             .Append(E(r.Provider)).Append("</span></th><td>").Append(E(r.ProviderKind ?? "")).Append("</td><td>")
             .Append(p.DropsReceived.ToString(Inv)).Append(" / ").Append(p.DropsAccepted.ToString(Inv)).Append("</td><td>")
             .Append(p.Missing.Count == 0 ? "none" : E(string.Join(", ", p.Missing))).Append("</td><td>")
             .Append(p.RefusedOnly.Count == 0 ? "none" : E(string.Join(", ", p.RefusedOnly))).Append("</td><td>")
             .Append(r.Timeliness.LastAcceptedDropAt is { } at
                 ? $"{at.UtcDateTime.ToString("yyyy-MM-dd", Inv)} ({days!.Value.ToString(Inv)} days ago)" : "never")
             .Append("</td><td>").Append(status.Count == 0 ? "on time" : E(string.Join(", ", status))).Append("</td></tr>");
        }
        s.Append("</tbody></table>\n");
        if (limits.Count > 0)
        {
            s.Append("<h3>Figures this limits</h3><ul class=\"limits\">");
            foreach (var (id, why) in limits.OrderBy(l => KpiCatalogue.DisplayRank(l.Key)).ThenBy(l => l.Key, StringComparer.Ordinal))
                s.Append("<li><span class=\"limit\">!</span> ").Append(E(KpiCatalogue.Title(id))).Append(": ")
                    .Append(E(string.Join("; ", why.Distinct()))).Append("</li>");
            s.Append("</ul>\n");
        }
        else s.Append("<p>No figure in this pack is limited by missing or refused data.</p>\n");
        s.Append("</section>\n");
        return s.ToString();
    }

    private const string Css = """
        :root { color-scheme: light; --ink: #0b0c0c; --muted: #505a5f; --line: #b1b4b6; --accent: #1d70b8; --bad: #d4351c; --ok: #00703c; --bg: #f3f2f1; }
        * { box-sizing: border-box; }
        body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; line-height: 1.4; }
        main { max-width: 1200px; margin: 0 auto; padding: 16px 24px 48px; }
        h1 { margin: 8px 0 4px; font-size: 1.9rem; } h2 { margin-top: 32px; border-bottom: 2px solid var(--ink); padding-bottom: 4px; } h3 { font-size: 1rem; margin: 0 0 6px; }
        .sub { color: var(--muted); margin: 0 0 12px; }
        .banner { padding: 10px 14px; border-left: 6px solid; background: var(--bg); }
        .banner.internal { border-color: var(--bad); } .banner.published { border-color: var(--ok); }
        .legend { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; font-size: .9rem; margin: 12px 0; }
        .legend dt { font-weight: 700; text-align: center; } .legend dd { margin: 0; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 16px; }
        .card { border: 1px solid var(--line); padding: 12px; break-inside: avoid; }
        .big { font-size: 2rem; font-weight: 700; margin: 4px 0 0; } .nd { color: var(--muted); font-size: .85rem; margin: 0; } .dir { margin: 4px 0; font-size: .9rem; }
        .id { color: var(--muted); font-size: .75rem; font-weight: 400; font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
        svg.chart { display: block; max-width: 100%; height: auto; } svg.chart.small { display: inline-block; }
        svg .axis { stroke: var(--ink); stroke-width: 1; } svg .grid { stroke: var(--line); stroke-dasharray: 2 3; }
        svg .line { fill: none; stroke: var(--accent); stroke-width: 2; } svg .pt { fill: var(--accent); } svg .pt.last { fill: var(--ink); }
        svg .lbl { font-size: 10px; fill: var(--muted); } svg .mark { font-size: 10px; font-weight: 700; fill: var(--bad); }
        table { border-collapse: collapse; margin: 8px 0 16px; font-size: .9rem; width: 100%; }
        caption { text-align: left; font-weight: 700; padding: 4px 0; }
        th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
        td { font-variant-numeric: tabular-nums; } td.v { font-weight: 700; }
        details { margin: 6px 0; } summary { cursor: pointer; color: var(--accent); }
        details.disp > summary { font-weight: 700; color: var(--ink); }
        table.rri { width: auto; min-width: 60%; }
        tr.bad th, tr.bad td:last-child { color: var(--bad); } tr.ok td:last-child { color: var(--ok); }
        .limit { display: inline-block; min-width: 1.2em; text-align: center; background: var(--bad); color: #fff; font-weight: 700; border-radius: 50%; text-decoration: none; font-size: .8rem; }
        .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        .warn { color: var(--bad); font-weight: 700; }
        @media print { details { display: block; } details > summary { display: none; } details:not([open]) > * { display: block; } main { max-width: none; } .card { page-break-inside: avoid; } }
        """;
}
