using System.Text;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Drops.Reading;

/// <summary>
/// A file sent without its header line starts with a child's row. It is refused as <c>header-missing</c>, and nothing
/// that leaves the gate — receipt, quarantine report, errors, logs — repeats a cell of that row: a header cell that is
/// neither a column nor an alias of the drop type is only ever named by its position.
/// </summary>
public sealed class HeaderlessFileTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    private const string Yot = "yot-headerless";

    private static readonly string[] DropTypes =
        ["school-attendance", "school-roll", "college-enrolment", "yot-children", "yot-victims", "board-attendance"];

    public async Task InitializeAsync()
    {
        foreach (var dropType in DropTypes)
            await fixture.AddAgreementAsync(Agreement(Provider(dropType), Yot, [dropType], kind: dropType.Split('-')[0] switch
            {
                "yot" => "yot",
                "board" => "board-secretariat",
                "college" => "college",
                _ => "school",
            }));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Provider(string dropType) => $"hl-{dropType}";

    private static string[] ExampleLines(string dropType) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "schemas", "examples", $"{dropType}.csv")).Where(l => l.Length > 0)
            .ToArray();

    /// <summary>Every cell of the line at least 4 characters long: names, UPNs, dates of birth, case references, codes.</summary>
    private static IReadOnlyList<string> Cells(string line) =>
        line.Split(',').Select(c => c.Trim()).Where(c => c.Length >= 4).Distinct().ToList();

    public static TheoryData<string> HeaderlessTypes => new(DropTypes);

    [Theory]
    [MemberData(nameof(HeaderlessTypes))]
    public async Task A_file_without_its_header_is_refused_as_header_missing_and_its_first_row_is_echoed_nowhere(string dropType)
    {
        var data = ExampleLines(dropType)[1..];
        var receipt = await fixture.IngestAsync(Provider(dropType), dropType, Encoding.UTF8.GetBytes(string.Join("\r\n", data) + "\r\n"),
            "no-header.csv");

        Assert.Equal(ReceiptStatus.Rejected, receipt.Status);
        var error = Assert.Single(receipt.Errors);
        Assert.Equal(("header-missing", 1), (error.Rule, error.Line));
        Assert.Contains("line 1", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(receipt.FieldsNotShared);

        await AssertEchoedNowhereAsync(receipt, Cells(data[0]));
    }

    [Fact]
    public async Task A_headerless_export_sent_under_header_aliases_is_refused_too()
    {
        const string provider = "hl-aliased";
        await fixture.AddAgreementAsync(Agreement(provider, Yot, ["school-attendance"], aliases: new Dictionary<string, string>
        {
            ["UPN"] = "upn", ["Legal Surname"] = "legal_surname", ["Legal Forename"] = "legal_forename", ["DOB"] = "date_of_birth",
            ["URN"] = "urn", ["Date"] = "session_date", ["Session"] = "session", ["Mark"] = "attendance_code",
        }));
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "exports", "school-attendance.csv"))[1..];

        var receipt = await fixture.IngestAsync(provider, "school-attendance", Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n"),
            "export.csv");

        Assert.Equal("header-missing", Assert.Single(receipt.Errors).Rule);
        await AssertEchoedNowhereAsync(receipt, Cells(lines[0]));
    }

    [Fact]
    public async Task A_first_line_of_data_is_refused_even_where_one_cell_matches_a_column_name()
    {
        // "session" is a column of school-attendance; the dates and the UPN say the line is a pupil's row all the same.
        var row = $"{Upn(7)},Ashworth,Kieran,2011-03-14,139210,2026-04-20,session,/";
        var receipt = await fixture.IngestAsync(Provider("school-attendance"), "school-attendance", Csv(row, row), "one-match.csv");

        var error = Assert.Single(receipt.Errors);
        Assert.Equal("header-missing", error.Rule);
        Assert.Contains("columns 1, 4, 5, 6", error.Message, StringComparison.Ordinal);
        await AssertEchoedNowhereAsync(receipt, [Upn(7), "Ashworth", "Kieran", "2011-03-14"]);
    }

    [Fact]
    public async Task A_header_cell_that_is_no_column_or_alias_is_listed_by_position()
    {
        // A real header with one extra cell holding a child's name (an export's free-text heading, or a pasted row).
        var receipt = await fixture.IngestAsync(Provider("school-attendance"), "school-attendance",
            Csv(AttendanceHeader + ",Kieran Ashworth,free_school_meals", $"{Upn(8)},Wells,Kit,2012-01-01,100001,2026-04-20,AM,/,x,Y"),
                "extra.csv");

        Assert.Equal(["column 9", "column 10"], receipt.FieldsNotShared);
        await AssertEchoedNowhereAsync(receipt, ["Kieran Ashworth", "free_school_meals"]);
    }

    [Fact]
    public async Task A_repeated_cell_in_a_headerless_first_line_is_not_quoted_as_a_column_name()
    {
        // No dates or numbers, nothing named like a column: the row's two equal cells must not be echoed as a "column".
        var receipt = await fixture.IngestAsync(Provider("yot-victims"), "yot-victims",
            Csv("YJ-TWIN,OFF-TWIN,VIC-TWIN,INDIVIDUAL,Y,Y,Y,Y,N,Y,N", "YJ-TWIN,OFF-TWIN,VIC-TWIN,INDIVIDUAL,Y,Y,Y,Y,N,Y,N"), "twins.csv");

        Assert.Equal("header-missing", Assert.Single(receipt.Errors).Rule);
        await AssertEchoedNowhereAsync(receipt, ["YJ-TWIN", "OFF-TWIN", "VIC-TWIN", "'Y'"]);
    }

    /// <summary>The receipt as stored and as printed, the quarantine report, any error files and every log line: none holds a
    /// value.</summary>
    private async Task AssertEchoedNowhereAsync(Receipt receipt, IReadOnlyList<string> values)
    {
        var texts = new List<(string Where, string Text)>
        {
            ("receipt", ReceiptJson.Serialize(receipt)),
            ("stored receipt",
                Encoding.UTF8.GetString(await fixture.DownloadAsync(StorageNames.ReceiptsContainer,
                DropLedger.ReceiptBlobName(receipt.Provider, receipt.DropId)))),
            ("logs", string.Join("\n", fixture.Logs)),
        };
        foreach (var name in await fixture.BlobNamesAsync(StorageNames.QuarantineContainer, receipt.DropId + "/"))
            if (!name.EndsWith(".csv", StringComparison.Ordinal) || name.EndsWith("errors.csv", StringComparison.Ordinal))
                texts.Add((name, Encoding.UTF8.GetString(await fixture.DownloadAsync(StorageNames.QuarantineContainer, name))));
        if ((await fixture.BlobNamesAsync(StorageNames.ReceiptsContainer, DropLedger.ErrorsCsvBlobName(receipt.Provider, receipt.DropId)))
            .Count > 0)
            texts.Add(
                ("errors csv",
                Encoding.UTF8.GetString(await fixture.DownloadAsync(StorageNames.ReceiptsContainer,
                DropLedger.ErrorsCsvBlobName(receipt.Provider, receipt.DropId)))));

        Assert.Contains(texts, t => t.Where.EndsWith("report.json", StringComparison.Ordinal) || t.Where == "stored receipt");
        foreach (var (where, text) in texts)
            foreach (var value in values)
                Assert.False(text.Contains(value, StringComparison.Ordinal), $"{where} repeats '{value}' from the file");
    }
}
