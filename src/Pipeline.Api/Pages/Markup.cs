using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;

namespace YouthJustice.Pipeline.Api.Pages;

/// <summary>
/// HTML that is already safe to write as it is. Everything else that reaches a page goes through
/// <see cref="Html.H"/>, whose interpolation holes encode their values, so a group name, a file name or a message from
/// a sender's file shows as text and never runs.
/// </summary>
public readonly record struct Markup(string Value)
{
    public static readonly Markup Empty = new("");

    public override string ToString() => Value ?? "";

    public static Markup Join(IEnumerable<Markup> parts) => new(string.Concat(parts.Select(p => p.Value)));

    public static Markup operator +(Markup a, Markup b) => new(a.Value + b.Value);
}

/// <summary>Builds <see cref="Markup"/> from an interpolated string: literal text is kept, every hole is HTML-encoded unless it is <see
/// cref="Markup"/>.</summary>
[InterpolatedStringHandler]
public ref struct MarkupHandler
{
    private readonly StringBuilder _builder;

    public MarkupHandler(int literalLength, int formattedCount) => _builder = new StringBuilder(literalLength + formattedCount * 16);

    public void AppendLiteral(string value) => _builder.Append(value);

    public void AppendFormatted(Markup value) => _builder.Append(value.Value);

    public void AppendFormatted(IEnumerable<Markup> values)
    {
        foreach (var v in values) _builder.Append(v.Value);
    }

    public void AppendFormatted(string? value) => _builder.Append(WebUtility.HtmlEncode(value));

    public void AppendFormatted<T>(T value, string? format = null) =>
        _builder.Append(WebUtility.HtmlEncode(value is IFormattable f ? f.ToString(format, CultureInfo.InvariantCulture)
            : value?.ToString()));

    internal Markup ToMarkup() => new(_builder.ToString());
}

public static class Html
{
    /// <summary><c>H($"&lt;td&gt;{value}&lt;/td&gt;")</c>: the literal is markup, <c>value</c> is encoded.</summary>
    public static Markup H(ref MarkupHandler handler) => handler.ToMarkup();

    public static Markup Join(IEnumerable<Markup> parts) => Markup.Join(parts);

    public static Markup Join<T>(IEnumerable<T> items, Func<T, Markup> render) => Markup.Join(items.Select(render));

    public static Markup When(bool condition, Markup markup) => condition ? markup : Markup.Empty;

    /// <summary>A value for a URL path segment or query value, percent-encoded (the holes of <see cref="H"/> then HTML-encode
    /// it).</summary>
    public static string Url(string value) => Uri.EscapeDataString(value);
}
