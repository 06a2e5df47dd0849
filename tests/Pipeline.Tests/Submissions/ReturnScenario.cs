using System.Text;
using Sylvan.Data.Csv;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Submissions;

/// <summary>
/// A small YOT for the returns, quarter 2026-Q2, sent through the real gate and recomputed through the queue.
/// <code>
/// children     order (start → end)                         accommodation at end
/// -01 … -06    YRO 2025-10-01 → 2026-05-15                 parents, SUITABLE
/// -07          YRO 2025-10-01 → 2026-05-15                 none (the late drop adds parents, SUITABLE, from 2026-05-01)
/// -08 … -11    REFERRAL_ORDER 2025-11-01 → 2026-06-01      parents, SUITABLE
/// -12          CUSTODY_DTO 2026-01-10 → 2026-06-20         STC, UNKNOWN
/// -13 … -18    YRO 2025-10-01 → 2026-05-15                 parents, UNSUITABLE    (sent as files of their own)
/// </code>
/// KPI 1 at end: 10 of 18; by order type YRO 6 of 13, referral order 4 of 4 (small: withheld), custody 0 of 1
/// (small denominator: withheld). After the late drop: 11 of 18, YRO 7 of 13. The six unsuitable keep the complements
/// (children not in suitable accommodation) above 4, so the total and YRO are published before and after.
/// </summary>
public static class ReturnScenario
{
    public static readonly Quarter Quarter = Quarter.Parse("2026-Q2");

    private static readonly string[] Surnames =
        ["Ashcombe", "Brindlecote", "Carrowmere", "Dunstable", "Elderfield", "Fallowby", "Greystoke", "Harrowgate", "Ingleby",
            "Juniperwell", "Kestrelton", "Larkhaven",
         "Moorcroft", "Netherby", "Oakenshaw", "Pendleford", "Quarrington", "Ravenscar"];

    public static string Ref(string prefix, int i) => $"{prefix}-{i:00}";

    public static string Children(string prefix) => Csv([ChildrenHeader,
        .. Enumerable.Range(1, 12)
            .Select(i => $"{Ref(prefix, i)},,,{Surnames[i - 1]},Sam,2010-03-{i + 10:00},{(i % 2 == 0 ? 2 : 1)},WBRI,,Y")]);

    public static string Interventions(string prefix) => Csv([InterventionsHeader,
        .. Enumerable.Range(1, 7).Select(i => $"{Ref(prefix, i)},I-{i},YRO,2025-09-28,2025-10-01,2026-05-15,N,"),
        .. Enumerable.Range(8, 4).Select(i => $"{Ref(prefix, i)},I-{i},REFERRAL_ORDER,2025-10-29,2025-11-01,2026-06-01,N,"),
        $"{Ref(prefix, 12)},I-12,CUSTODY_DTO,2026-01-10,2026-01-10,2026-06-20,N,"]);

    public const string AccommodationHeader = "yot_case_ref,start_date,end_date,accommodation_type,suitability";

    public static string Accommodation(string prefix) => Csv([AccommodationHeader,
        .. Enumerable.Range(1, 11).Where(i => i != 7).Select(i => $"{Ref(prefix, i)},2024-01-01,,LIVING_WITH_PARENTS,SUITABLE"),
        $"{Ref(prefix, 12)},2026-01-10,,STC,UNKNOWN"]);

    /// <summary>Children -13 … -18: their details, YRO orders and unsuitable accommodation, one file of each.</summary>
    public static IReadOnlyList<(string DropType, string Csv)> Unsuitable(string prefix) =>
    [
        ("yot-children",
            Csv([ChildrenHeader, .. Enumerable.Range(13, 6).Select(i =>
            $"{Ref(prefix, i)},,,{Surnames[i - 1]},Sam,2010-04-{i:00},{(i % 2 == 0 ? 2 : 1)},WBRI,,Y")])),
        ("yot-interventions",
            Csv([InterventionsHeader, .. Enumerable.Range(13, 6)
            .Select(i => $"{Ref(prefix, i)},I-{i},YRO,2025-09-28,2025-10-01,2026-05-15,N,")])),
        ("yot-accommodation",
            Csv([AccommodationHeader, .. Enumerable.Range(13, 6)
            .Select(i => $"{Ref(prefix, i)},2024-01-01,,LIVING_WITH_PARENTS,UNSUITABLE")])),
    ];

    public static string LateAccommodation(string prefix) =>
        Csv(AccommodationHeader, $"{Ref(prefix, 7)},2026-05-01,,LIVING_WITH_PARENTS,SUITABLE");

    public static string Provider(string yot) => $"{yot}-case";

    /// <summary>Sends the YOT's case files and recomputes its KPIs through the queue, as the pipeline would.</summary>
    public static async Task SendAsync(PipelineFixture fixture, string yot, string prefix)
    {
        await fixture.AddAgreementAsync(Agreement(Provider(yot), yot, ["yot-children", "yot-interventions", "yot-accommodation"],
            kind: "yot"));
        foreach (var (type, csv) in new[] { ("yot-children", Children(prefix)), ("yot-interventions", Interventions(prefix)),
            ("yot-accommodation", Accommodation(prefix)) })
        {
            var receipt = await fixture.IngestAsync(Provider(yot), type, csv);
            Assert.Equal(ReceiptStatus.Accepted, receipt.Status);
        }
        foreach (var (type, csv) in Unsuitable(prefix))
            Assert.Equal(ReceiptStatus.Accepted, (await fixture.IngestAsync(Provider(yot), type, csv, "unsuitable.csv")).Status);
        await fixture.DrainQueueAsync();
    }

    /// <summary>A late drop: the accommodation record of child -07, which moves KPI 1 (10 → 11 of 18).</summary>
    public static async Task<Receipt> SendLateDropAsync(PipelineFixture fixture, string yot, string prefix)
    {
        var receipt = await fixture.IngestAsync(Provider(yot), "yot-accommodation", LateAccommodation(prefix), "late.csv");
        Assert.Equal(ReceiptStatus.Accepted, receipt.Status);
        await fixture.DrainQueueAsync();
        return receipt;
    }

    /// <summary>The CSV's cells keyed by (measure row, figure, column); a row of a breakdown group is keyed
    /// "{measure}/{breakdown}={group}".</summary>
    public static Dictionary<(string Row, string Figure, string Column), string> ReadCsv(byte[] csv)
    {
        using var reader = CsvDataReader.Create(new StreamReader(new MemoryStream(csv), Encoding.UTF8));
        var columns = Enumerable.Range(8, reader.FieldCount - 8).Select(reader.GetName).ToList();
        var cells = new Dictionary<(string, string, string), string>();
        while (reader.Read())
        {
            var row = reader.GetString(4) is { Length: > 0 } b ? $"{reader.GetString(3)}/{b}={reader.GetString(5)}" : reader.GetString(3);
            for (var i = 0; i < columns.Count; i++) cells[(row, reader.GetString(7), columns[i])] = reader.GetString(8 + i);
        }
        return cells;
    }
}
