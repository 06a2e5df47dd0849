using System.Text;
using System.Text.RegularExpressions;

namespace YouthJustice.Pipeline.Storage;

/// <summary>
/// The one rule for the names that become storage paths and keys: provider, YOT and drop-type ids, and the file name of
/// an upload. An id is a folder of <c>drops/</c>, <c>receipts/</c> and <c>reports/</c>, a partition of the <c>Drops</c>,
/// <c>Agreements</c> and <c>KpiResults</c> tables and a segment of every API route, so it must not be able to climb out
/// of its folder (<c>/</c>, <c>..</c>), cut a URL short (<c>#</c>, <c>?</c>), be refused as a table key (<c>\</c>,
/// control characters, more than 1 KB) or carry markup into a page (<c>&lt;</c>). Everything that takes a name from
/// outside — the command line, an upload's blob path, an API route, an agreement file — checks it here first and
/// refuses it before anything is written.
/// </summary>
public static partial class NameRules
{
    public const int MaxIdLength = 64;
    public const int MaxFileNameLength = 128;

    /// <summary>
    /// An id: 1–64 lowercase letters, digits and hyphens, starting with a letter or digit (schemas/agreement.schema.json
    /// says the same). <c>\z</c>, not <c>$</c>: .NET's <c>$</c> also matches before a final newline.
    /// </summary>
    public const string IdPattern = @"^[a-z0-9][a-z0-9-]{0,63}\z";

    /// <summary>
    /// An upload's file name: 1–128 ASCII letters, digits, spaces and <c>. _ - ( ) ' &amp; + ,</c>, starting with a letter
    /// or digit, with no <c>..</c>. Generous enough for a spreadsheet's Save As ("St Mary's attendance (May).csv"), and
    /// no path separator, URL character or control character.
    /// </summary>
    public const string FileNamePattern = @"^[A-Za-z0-9][A-Za-z0-9 ._()'&+,-]{0,127}\z";

    public const string IdRule =
        "1 to 64 lowercase letters, digits and hyphens, starting with a letter or digit (e.g. school-northbridge-academy)";
    public const string FileNameRule =
        "1 to 128 letters, digits, spaces and . _ - ( ) ' & + , starting with a letter or digit, with no '..' and no / \\ # ? or %";

    public static bool IsId(string? value) => value is not null && Id().IsMatch(value);

    public static bool IsFileName(string? value) => value is not null && FileName().IsMatch(value)
        && !value.Contains("..", StringComparison.Ordinal);

    /// <summary>Null for a valid id; otherwise a message naming <paramref name="what"/> ("provider", "YOT", "drop type") and the
    /// rule.</summary>
    public static string? IdProblem(string what, string? value) =>
        IsId(value) ? null : $"The {what} {Show(value)} is not a valid id: use {IdRule}.";

    /// <summary>Null for a valid file name; otherwise a message saying what to rename it to.</summary>
    public static string? FileNameProblem(string? value) =>
        IsFileName(value) ? null : $"The file name {Show(value)} cannot be used: rename the file to {FileNameRule}.";

    /// <summary>
    /// A refused name as a message may quote it: at most 40 characters, anything but printable ASCII (and the markup
    /// characters <c>&lt; &gt; &amp;</c>) as <c>\uXXXX</c>, so a 2,000-character, multi-line or scripted value cannot
    /// flood or forge a terminal line, a log, a JSON answer or a page that shows it.
    /// </summary>
    public static string Show(string? value)
    {
        if (value is null) return "(missing)";
        if (value.Length == 0) return "'' (empty)";
        var sb = new StringBuilder("'");
        foreach (var c in value.Length > 40 ? value[..40] : value)
        {
            if (c is >= ' ' and <= '~' and not ('\\' or '<' or '>' or '&')) sb.Append(c);
            else sb.Append($"\\u{(int)c:x4}");
        }
        sb.Append('\'');
        if (value.Length > 40) sb.Append($"… ({value.Length:N0} characters)");
        return sb.ToString();
    }

    [GeneratedRegex(IdPattern, RegexOptions.CultureInvariant)] private static partial Regex Id();
    [GeneratedRegex(FileNamePattern, RegexOptions.CultureInvariant)] private static partial Regex FileName();
}
