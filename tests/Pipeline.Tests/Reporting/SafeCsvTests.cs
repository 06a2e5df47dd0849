using Sylvan.Data.Csv;
using YouthJustice.Pipeline.Reporting;

namespace YouthJustice.Pipeline.Tests.Reporting;

public sealed class SafeCsvTests
{
    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1:A9)", "'@SUM(A1:A9)")]
    [InlineData("\t=1+2", "'\t=1+2")]
    [InlineData("\r=1+2", "\"'\r=1+2\"")]
    [InlineData("  =1+2", "\"'  =1+2\"")]            // leading spaces do not hide a formula
    [InlineData("=HYPERLINK(\"http://x\",\"Fix\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"Fix\"\")\"")]
    [InlineData("-", "'-")]
    [InlineData("+", "'+")]
    [InlineData("-1e5", "'-1e5")]
    public void Cells_a_spreadsheet_would_run_are_prefixed_with_a_quote(string value, string written) =>
        Assert.Equal(written, SafeCsv.Cell(value));

    [Theory]
    [InlineData("-3")]
    [InlineData("+1.5")]
    [InlineData("-0.25")]
    [InlineData("42")]
    [InlineData("Smith")]
    [InlineData("O'Brien")]
    [InlineData("a=b")]
    [InlineData("2026-04-20")]
    public void Plain_numbers_and_text_are_left_alone(string value) => Assert.Equal(value, SafeCsv.Cell(value));

    [Theory]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\r\nlines", "\"two\r\nlines\"")]
    [InlineData("one\nline", "\"one\nline\"")]
    [InlineData(" padded ", "\" padded \"")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Cells_are_quoted_as_RFC_4180_has_it(string? value, string written) => Assert.Equal(written, SafeCsv.Cell(value));

    [Fact]
    public void A_row_reads_back_as_the_values_with_formulas_made_text()
    {
        string?[] values = ["=cmd|' /C calc'!A0", "a,\"b\"\r\nc", null, "-7", "@x"];
        var csv = "h1,h2,h3,h4,h5\r\n" + SafeCsv.Row(values);
        Assert.EndsWith("\r\n", csv);

        using var reader = CsvDataReader.Create(new StringReader(csv));
        Assert.True(reader.Read());
        Assert.Equal(["'=cmd|' /C calc'!A0", "a,\"b\"\r\nc", "", "-7", "'@x"], Enumerable.Range(0, 5).Select(reader.GetString));
        Assert.False(reader.Read());
    }

    [Fact]
    public void WriteCell_writes_spans_without_a_string_per_cell()
    {
        var w = new StringWriter();
        SafeCsv.WriteCell(w, "=1,2".AsSpan());
        w.Write(',');
        SafeCsv.WriteCell(w, "plain".AsSpan());
        Assert.Equal("\"'=1,2\",plain", w.ToString());
    }

    [Theory]
    [InlineData("<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")]
    [InlineData("Tom & \"Jerry\"", "Tom &amp; &quot;Jerry&quot;")]
    [InlineData(null, "")]
    public void Html_escapes_markup(string? value, string escaped) => Assert.Equal(escaped, SafeCsv.Html(value));
}
