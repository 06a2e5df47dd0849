using System.Text;
using System.Text.Json.Nodes;
using YouthJustice.Pipeline.Drops.Reading;
using YouthJustice.Pipeline.Drops.Validation;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Reporting;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Drops.Reading;

/// <summary>
/// Hostile and sloppy files (issue 3 §3), kept byte for byte under Fixtures/hostile/ (see its README). A file that
/// cannot be read is refused whole with its own rule and the line to look at; a readable file with bad rows keeps
/// its good rows and names each bad row's physical line. Nothing of a refused drop reaches curated.
/// </summary>
public sealed class HostileInputTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    private const string Provider = "school-hostile";
    private const string Yot = "yot-hostile";
    private const string DropType = "school-attendance";

    public async Task InitializeAsync()
    {
        await fixture.AddAgreementAsync(Agreement("yot-hostile-case", Yot, ["yot-children"], kind: "yot"));
        await fixture.AddAgreementAsync(Agreement(Provider, Yot, [DropType], threshold: 0.9));
        // Every pupil in the fixtures is in the cohort, so any row the gate let through would reach curated.
        var children = Enumerable.Range(1, 110).Select(i => $"H-{i},{Upn(i)},,Wells,Kit,2012-01-01,1,WBRI,,Y");
        await fixture.IngestAsync("yot-hostile-case", "yot-children", Csv([ChildrenHeader, .. children]));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "hostile", name));

    /// <summary>File, rule, the line the message names (null: the file as a whole), and words the sender needs.</summary>
    public static TheoryData<string, string, int?, string> Refused => new()
    {
        { "empty.csv", "file-empty", null, "empty" },
        { "only-blank-lines.csv", "file-empty", null, "only blank lines" },
        { "header-only.csv", "file-no-rows", null, "no data rows" },
        { "header-then-blank-lines.csv", "file-no-rows", null, "no data rows" },
        { "blank-first-line.csv", "header-missing", 1, "column names must be on line 1" },
        { "duplicate-column.csv", "header-duplicate-column", 1, "'UPN' twice, in columns 1 and 9" },
        { "windows-1252.csv", "file-not-utf8", 3, "probably 'é'" },
        { "windows-1252-late.csv", "file-not-utf8", 102, "curly apostrophe" },
        { "utf16-bom.csv", "file-not-utf8", null, "UTF-16" },
        { "utf16le-no-bom.csv", "file-not-utf8", null, "UTF-16" },
        { "semicolons.csv", "file-not-csv", 1, "separated by semicolons" },
        { "semicolons-comma-in-header.csv", "file-not-csv", 1, "separated by semicolons" },
        { "tabs.csv", "file-not-csv", 1, "separated by tabs" },
        { "xlsx-renamed.csv", "file-not-csv", null, "Excel workbook (.xlsx)" },
        { "xls-renamed.csv", "file-not-csv", null, "Excel workbook (.xls)" },
        { "png-renamed.csv", "file-not-csv", null, "PNG image" },
        { "zero-byte.csv", "file-not-csv", 4, "zero byte" },
        { "unclosed-quote.csv", "csv-quote-invalid", 3, "never closed" },
        { "text-after-closing-quote.csv", "csv-quote-invalid", 4, "two quotes" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Unreadable_files_are_refused_whole_with_their_rule_and_line(string file, string rule, int? line, string says)
    {
        var receipt = await fixture.IngestAsync(Provider, DropType, Fixture(file), file);
        var error = AssertRefused(receipt, rule);
        if (line is { } l) AssertNamesLine(error, l);
        Assert.Contains(says, error.Message);
        // Encoding, separator and binary refusals say how to re-save.
        if (rule is "file-not-utf8" || file is "semicolons.csv" or "tabs.csv" or "xlsx-renamed.csv")
            Assert.Contains("CSV UTF-8 (Comma delimited)", error.Message);
        Assert.False(string.IsNullOrWhiteSpace(RuleCatalogue.All.Single(r => r.Code == rule).Fix));
        await AssertNothingCuratedAsync(receipt);
    }

    [Fact]
    public async Task A_10_MB_single_line_is_refused_without_reading_it_whole()
    {
        var content = new byte[10 * 1024 * 1024];
        Array.Fill(content, (byte)'x');
        var receipt = await fixture.IngestAsync(Provider, DropType, content, "one-line.csv");
        AssertNamesLine(AssertRefused(receipt, "line-too-long"), 1);
        await AssertNothingCuratedAsync(receipt);
    }

    [Fact]
    public async Task A_10_MB_row_under_a_good_header_names_its_line()
    {
        var head = Bytes(Csv(AttendanceHeader, $"{Upn(1)},Wells,Kit,2012-01-01,100001,2026-04-20,AM,/"));
        var content = new byte[head.Length + 10 * 1024 * 1024];
        head.CopyTo(content, 0);
        Array.Fill(content, (byte)'x', head.Length, content.Length - head.Length);
        var receipt = await fixture.IngestAsync(Provider, DropType, content, "long-row.csv");
        AssertNamesLine(AssertRefused(receipt, "line-too-long"), 3);
        await AssertNothingCuratedAsync(receipt);
    }

    [Fact]
    public async Task A_quote_never_closed_in_a_big_file_is_refused_at_the_line_it_opens()
    {
        var rows = Enumerable.Range(0, 30_000).Select(i => $"{Upn(1 + i % 100)},Wells,Kit,2012-01-01,100001,2026-04-20,AM,/").ToList();
        rows[9] = $"{Upn(10)},\"Wells,Kit,2012-01-01,100001,2026-04-20,AM,/";   // line 11
        var receipt = await fixture.IngestAsync(Provider, DropType, Csv([AttendanceHeader, .. rows]), "open-quote.csv");
        var error = AssertRefused(receipt, "line-too-long");
        AssertNamesLine(error, 11);
        Assert.Contains("quote", error.Message);
        await AssertNothingCuratedAsync(receipt);
    }

    [Fact]
    public async Task A_100_KB_quoted_cell_is_read_and_the_next_line_is_still_right()
    {
        // Decision: rows up to 1 MB are read (CsvDropReader.LongestRecord); a long free-text cell is a matter for
        // the field's own rules, not the reader.
        var longCell = "\"" + string.Concat(Enumerable.Repeat("Wells, \"\"Kit\"\"\r\n", 100_000 / 16)) + "\"";
        var csv = Csv(AttendanceHeader,
            $"{Upn(1)},{longCell},Kit,2012-01-01,100001,2026-04-20,AM,/",
            $"{Upn(2)},Wells,Kit,2012-01-01,100001,2026-04-20,AM,Z9");
        var receipt = await fixture.IngestAsync(Provider, DropType, csv, "long-cell.csv");
        Assert.Equal(2, receipt.Rows.Read);
        Assert.DoesNotContain(receipt.Errors, e => e.Line is null);
        var newlines = 100_000 / 16;
        Assert.Contains(receipt.Errors, e => (e.Line, e.Rule) == (3 + newlines, "attendance-code-unknown"));
    }

    [Theory]
    [InlineData("bom-crlf.csv", 2)]
    [InlineData("no-final-newline.csv", 2)]
    [InlineData("separators-in-quoted-header.csv", 2)]
    public async Task Sloppy_but_readable_files_are_accepted_whole(string file, int rows)
    {
        var receipt = await fixture.IngestAsync(Provider, DropType, Fixture(file), file);
        Assert.Equal(ReceiptStatus.Accepted, receipt.Status);
        Assert.Empty(receipt.Errors);
        Assert.Equal(rows, receipt.Rows.Read);
        Assert.Equal(rows, receipt.Rows.Accepted);
        Assert.Contains(await fixture.BlobNamesAsync(StorageNames.CuratedContainer, $"{DropType}/yot={Yot}/"), n =>
            n.Contains(receipt.DropId));
    }

    [Fact]
    public async Task Quoted_separators_in_the_header_are_column_names_not_separators()
    {
        // A provider of its own: Sloppy_but_readable_files_are_accepted_whole sends the same file, and the same file from
        // the same provider twice is a duplicate, whichever of the two tests runs first.
        const string provider = "school-hostile-header";
        await fixture.AddAgreementAsync(Agreement(provider, Yot, [DropType], threshold: 0.9));
        var receipt = await fixture.IngestAsync(provider, DropType, Fixture("separators-in-quoted-header.csv"), "quoted-header.csv");
        // Read as two extra columns (9 and 10), listed by position: a name that is no column is not repeated.
        Assert.Equal(["column 9", "column 10"], receipt.FieldsNotShared);
    }

    [Fact]
    public async Task Embedded_newlines_keep_every_later_line_number_right()
    {
        var receipt = await fixture.IngestAsync(Provider, DropType, Fixture("embedded-newlines.csv"), "embedded.csv");
        Assert.Equal(ReceiptStatus.AcceptedWithErrors, receipt.Status);
        Assert.Equal(
            [(8, "attendance_code", "attendance-code-unknown"), (9, "urn", "urn-format"), (11, "upn", "upn-format"),
                (14, "session", "session-unknown")],
            receipt.Errors.Select(e => (e.Line!.Value, e.Field, e.Rule)).ToList<(int, string?, string)>());
        Assert.Equal(9, receipt.Rows.Read);
        Assert.Equal(5, receipt.Rows.Accepted);
        Assert.Equal([2, 3, 5, 12, 15], await CuratedLinesAsync(receipt));
    }

    [Fact]
    public async Task Ragged_rows_are_row_errors_on_their_own_lines()
    {
        var receipt = await fixture.IngestAsync(Provider, DropType, Fixture("ragged.csv"), "ragged.csv");
        Assert.Equal(ReceiptStatus.AcceptedWithErrors, receipt.Status);
        Assert.Equal([(3, "row-column-count"), (4, "row-column-count"), (6, "row-column-count")],
            receipt.Errors.Select(e => (e.Line!.Value, e.Rule)).ToList<(int, string)>());
        Assert.Contains("7 cells", receipt.Errors[0].Message);
        Assert.Contains("9 cells", receipt.Errors[1].Message);
        Assert.Equal([2, 5, 7], await CuratedLinesAsync(receipt));
    }

    [Fact]
    public async Task Formula_cells_are_refused_and_only_ever_echoed_as_inert_text()
    {
        var receipt = await fixture.IngestAsync(Provider, DropType, Fixture("formula-injection.csv"), "formula.csv");
        AssertRefused(receipt, "row-error-threshold-exceeded");
        await AssertNothingCuratedAsync(receipt);
        var rows = receipt.Errors.Where(e => e.Line is not null).ToList();
        Assert.Equal(
            [(2, "attendance_code", "attendance-code-unknown"), (3, "urn", "urn-format"), (4, "session", "session-unknown"),
                (5, "session_date", "date-invalid")],
            rows.Select(e => (e.Line!.Value, e.Field, e.Rule)).ToList<(int, string?, string)>());
        Assert.Equal(["=HYPERLINK(\"http://x.example\",\"Fix\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)"], rows.Select(e => e.Value));
        // The surname is personal data: never echoed, formula or not.
        Assert.DoesNotContain(receipt.Errors, e => e.Message.Contains("=evil()") || e.Value == "=evil()");

        // Whatever turns these into a CSV for the sender writes them through SafeCsv: text, not formulas.
        Assert.Equal("\"'=HYPERLINK(\"\"http://x.example\"\",\"\"Fix\"\")\"", SafeCsv.Cell(rows[0].Value));
        Assert.Equal("'+1+cmd|' /C calc'!A0", SafeCsv.Cell(rows[1].Value));
        Assert.Equal("'-2+3", SafeCsv.Cell(rows[2].Value));
        Assert.Equal("'@SUM(1+1)", SafeCsv.Cell(rows[3].Value));

        var report =
            JsonNode.Parse(await fixture.DownloadAsync(StorageNames.QuarantineContainer,
            $"{receipt.DropId}/errors.json"))!["errors"]!.AsArray();
        Assert.Contains(report, e => e!["value"]?.GetValue<string>() == "@SUM(1+1)");
    }

    private static RowError AssertRefused(Receipt receipt, string rule)
    {
        Assert.Equal(ReceiptStatus.Rejected, receipt.Status);
        Assert.Equal(0, receipt.Rows.Accepted);
        return Assert.Single(receipt.Errors, e => e.Rule == rule && e.Severity == RuleSeverity.Error);
    }

    /// <summary>The sender sees the line in the message; the error's own Line, where set, agrees.</summary>
    private static void AssertNamesLine(RowError error, int line)
    {
        Assert.Contains($"line {line}", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(error.Line is null || error.Line == line, $"Line {error.Line} != {line}");
    }

    private async Task AssertNothingCuratedAsync(Receipt receipt)
    {
        Assert.DoesNotContain(await fixture.BlobNamesAsync(StorageNames.CuratedContainer), n => n.Contains(receipt.DropId));
        Assert.Contains($"{receipt.DropId}/report.json", await fixture.BlobNamesAsync(StorageNames.QuarantineContainer, receipt.DropId
            + "/"));
    }

    /// <summary>The source line of every row the drop wrote to curated, read back from the Parquet with DuckDB.</summary>
    private async Task<List<int>> CuratedLinesAsync(Receipt receipt)
    {
        var lines = new List<int>();
        foreach (var name in (await fixture.BlobNamesAsync(StorageNames.CuratedContainer)).Where(n => n.Contains(receipt.DropId)))
        {
            var path = Path.Combine(Path.GetTempPath(), $"hostile-{Guid.NewGuid():N}.parquet");
            await File.WriteAllBytesAsync(path, await fixture.DownloadAsync(StorageNames.CuratedContainer, name));
            try
            {
                using var db = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
                db.Open();
                using var cmd = db.CreateCommand();
                cmd.CommandText = $"SELECT \"{Curated.CuratedLayout.Line}\" FROM read_parquet('{path}')";
                using var r = cmd.ExecuteReader();
                while (r.Read()) lines.Add(Convert.ToInt32(r.GetValue(0)));
            }
            finally
            {
                File.Delete(path);
            }
        }
        lines.Sort();
        return lines;
    }
}

/// <summary>
/// The reader on its own, fed in awkward pieces: a blob stream can split a UTF-8 character anywhere, and the
/// guard that refuses Windows-1252 must neither refuse a split character nor lose count of the lines.
/// </summary>
public sealed class CsvDropReaderStreamingTests
{
    private const string Header = "upn,legal_surname,legal_forename";

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Multi_byte_characters_split_across_reads_are_read_with_the_right_lines(int piece)
    {
        // Over 4 KB (past the reader's first look), 2-, 3- and 4-byte characters, and a cell spanning two lines.
        var rows = Enumerable.Range(0, 200).Select(i => i % 10 == 3 ? $"U{i},\"Zoë €\r\nRenée\",😀" : $"U{i},Ståhl €,Zoë 😀").ToList();
        var (lines, count) = await ReadAllAsync(Encoding.UTF8.GetBytes(string.Join("\r\n", [Header, .. rows])), piece);
        Assert.Equal(200, count);
        Assert.Equal(2 + 200 + 20 - 1, lines[^1]);   // 20 rows span two lines; the last row is not one of them
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(65536)]
    public async Task A_windows_1252_byte_after_many_utf8_characters_is_found_on_its_line(int piece)
    {
        var good = Encoding.UTF8.GetBytes(string.Join("\r\n", [Header, .. Enumerable.Range(0, 150).Select(i => $"U{i},\"Zoë\nRenée\",😀")])
            + "\r\n");
        var bad = Encoding.Latin1.GetBytes("U999,Ståhl,Kit\r\n");
        var ex = await Assert.ThrowsAsync<DropFormatException>(() => ReadAllAsync([.. good, .. bad], piece));
        Assert.Equal("file-not-utf8", ex.Rule.Code);
        Assert.Equal(1 + 150 * 2 + 1, ex.Line);
        Assert.Contains($"Line {ex.Line} ", ex.Message);
    }

    [Fact]
    public async Task A_file_ending_in_half_a_character_is_not_utf8()
    {
        var content = Encoding.UTF8.GetBytes(Header + "\r\nU1,Zo,Kit").Concat(new byte[] { 0xC3 }).ToArray();
        var ex = await Assert.ThrowsAsync<DropFormatException>(() => ReadAllAsync(content, 3));
        Assert.Equal(("file-not-utf8", 2), (ex.Rule.Code, ex.Line));
    }

    [Fact]
    public async Task Old_mac_line_ends_count_lines_too()
    {
        var content = Encoding.UTF8.GetBytes(Header + "\rU1,\"a\rb\",c\rU2,d,e\r");
        var (lines, _) = await ReadAllAsync(content, 4096);
        Assert.Equal([2, 4], lines);
        var bad = content.Concat(Encoding.Latin1.GetBytes("U3,é,f\r")).ToArray();
        var ex = await Assert.ThrowsAsync<DropFormatException>(() => ReadAllAsync(bad, 4096));
        Assert.Equal(5, ex.Line);
    }

    [Fact]
    public async Task A_row_starting_with_a_hash_is_a_row_not_a_comment()
    {
        var (lines, count) = await ReadAllAsync(Encoding.UTF8.GetBytes($"{Header}\r\n#1,a,b\r\nU2,c,d\r\n"), 4096);
        Assert.Equal(2, count);
        Assert.Equal([2, 3], lines);
    }

    private static async Task<(List<int> Lines, int Count)> ReadAllAsync(byte[] content, int piece)
    {
        using var reader = await CsvDropReader.OpenAsync(new PieceStream(content, piece), default);
        var lines = new List<int>();
        while (await reader.ReadAsync(default)) lines.Add(reader.Line);
        return (lines, lines.Count);
    }

    /// <summary>Hands out at most <paramref name="piece"/> bytes per read, as a network stream may.</summary>
    private sealed class PieceStream(byte[] content, int piece) : MemoryStream(content)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, piece)]);
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, piece));
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, piece)], cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, piece), cancellationToken);
    }
}
