using System.Globalization;
using static YouthJustice.Pipeline.Api.Pages.Html;

namespace YouthJustice.Pipeline.Api.Pages;

/// <summary>
/// Small inline SVG charts. Each is drawn beside a table holding the same figures, which is what assistive technology
/// reads, so the SVG itself is hidden from it. Colours come from classes in pages.css: no style attribute, which the
/// pages' CSP would block.
/// </summary>
public static class SvgCharts
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>One point of a line chart: its label, its value (null where withheld or missing) and the mark shown instead.</summary>
    public sealed record Point(string Label, double? Value, string Mark);

    public static Markup Line(IReadOnlyList<Point> points, double scale, bool small)
    {
        double width = small ? 220 : 640, height = small ? 56 : 220, left = small ? 4 : 56, right = small ? 4 : 16, top = small ? 6 : 14,
            bottom = small ? 6 : 34;
        var max = points.Where(p => p.Value is not null).Select(p => p.Value!.Value).DefaultIfEmpty(0).Max();
        var yMax = scale == 1 && max <= 1 ? 1 : max <= 0 ? 1 : Nice(max);
        double plotW = width - left - right, plotH = height - top - bottom;
        double X(int i) => left + (points.Count == 1 ? plotW / 2 : plotW * i / (points.Count - 1));
        double Y(double v) => top + plotH - plotH * v / yMax;
        var segments = new List<List<(double, double)>>();
        List<(double, double)>? current = null;
        for (var i = 0; i < points.Count; i++)
        {
            if (points[i].Value is not { } v) { current = null; continue; }
            if (current is null) segments.Add(current = []);
            current.Add((X(i), Y(v)));
        }
        var lines = Join(segments.Where(s => s.Count > 1), s => H($"<polyline class=\"pages-chart-line\" points=\"{string.Join(" ", s.Select(p => $"{p.Item1.ToString("0.#", Inv)},{p.Item2.ToString("0.#", Inv)}"))}\"/>"));
        var dots =
            Join(segments.SelectMany(s => s), p =>
            H($"<circle class=\"pages-chart-dot\" cx=\"{p.Item1:0.#}\" cy=\"{p.Item2:0.#}\" r=\"{(small ? 2.5 : 4)}\"/>"));
        var axis = small ? Markup.Empty : H($"""
            <line class="pages-chart-axis" x1="{left}" y1="{top + plotH:0.#}" x2="{width - right}" y2="{top + plotH:0.#}"/>
            <text class="pages-chart-text" x="{left - 6}" y="{top + 4:0.#}" text-anchor="end">{Format(yMax, scale)}</text>
            <text class="pages-chart-text" x="{left - 6}" y="{top + plotH:0.#}" text-anchor="end">0</text>
            {Join(points.Select((p, i) => (p, i)), x => H($"<text class=\"pages-chart-text\" x=\"{X(x.i):0.#}\" y=\"{height - 16:0.#}\" text-anchor=\"middle\">{x.p.Label}</text>{When(x.p.Value is null, H($"<text class=\"pages-chart-mark\" x=\"{X(x.i):0.#}\" y=\"{top + plotH - 6:0.#}\" text-anchor=\"middle\">{x.p.Mark}</text>"))}"))}
            """);
        return H($"<svg class=\"pages-chart{(small ? " pages-chart--small" : "")}\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" aria-hidden=\"true\" focusable=\"false\">{axis}{lines}{dots}</svg>");
    }

    /// <summary>Horizontal bars, one per group, with the value or its mark written at the end of the bar.</summary>
    public static Markup Bars(IReadOnlyList<Point> groups, double scale)
    {
        const double width = 640, labelW = 220, barH = 22, gap = 8, right = 90;
        var height = groups.Count * (barH + gap) + gap;
        var max = groups.Where(g => g.Value is not null).Select(g => g.Value!.Value).DefaultIfEmpty(0).Max();
        var xMax = scale == 1 && max <= 1 ? 1 : max <= 0 ? 1 : Nice(max);
        var plotW = width - labelW - right;
        var bars = Join(groups.Select((g, i) => (g, i)), x =>
        {
            var y = gap + x.i * (barH + gap);
            var w = x.g.Value is { } v ? Math.Max(1, plotW * v / xMax) : 0;
            return H($"""
                <text class="pages-chart-text" x="{labelW - 8}" y="{y + barH / 2 + 5:0.#}" text-anchor="end">{Shorten(x.g.Label)}</text>
                {When(w > 0, H($"<rect class=\"pages-chart-bar\" x=\"{labelW}\" y=\"{y:0.#}\" width=\"{w:0.#}\" height=\"{barH}\"/>"))}
                <text class="pages-chart-text" x="{labelW + w + 6:0.#}" y="{y + barH / 2 + 5:0.#}">{(x.g.Value is { } value ? Format(value, scale) : x.g.Mark)}</text>
                """);
        });
        return H($"<svg class=\"pages-chart\" viewBox=\"0 0 {width} {height:0}\" width=\"{width}\" height=\"{height:0}\" aria-hidden=\"true\" focusable=\"false\">{bars}</svg>");
    }

    private static string Shorten(string label) => label.Length <= 30 ? label : label[..29] + "…";

    private static string Format(double v, double scale) => scale == 1 ? (v * 100).ToString("0.#", Inv) + "%" : v.ToString("N1", Inv);

    private static double Nice(double max)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
            if (step * magnitude >= max) return step * magnitude;
        return 10 * magnitude;
    }
}
