using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Consistency;

/// <summary>
/// A YOT with three children and their orders, an accommodation history over two quarters, and schools' session marks:
/// school A's over 2026-Q1 and Q2 (so its drop writes two curated files), the others' in Q2. Every school's pupils are
/// distinct, so the drops' order after the cohort does not change any result.
/// </summary>
public static class ConsistencyScenario
{
    public const string Yot = "yot-cons";
    public const string YotProvider = "yot-cons-case";
    public static readonly string[] Schools = ["school-cons-a", "school-cons-b", "school-cons-c", "school-cons-d"];

    public sealed record Drop(string Provider, string DropType, string Csv, string Name)
    {
        public string BlobName => $"{Provider}/{DropType}/{Name}";
    }

    /// <summary>The YOT's own drops: they make the cohort the schools' drops link to, so they go first.</summary>
    public static IReadOnlyList<Drop> Cohort { get; } =
    [
        new(YotProvider, "yot-children", Csv(ChildrenHeader,
            $"CS-0001,{Upn(201)},,Harrowgate,Nell,2012-04-11,2,WBRI,,Y",
            $"CS-0002,{Upn(202)},,Pennyworth,Cal,2011-09-30,1,BCRB,,Y",
            $"CS-0003,{Upn(203)},,Tamsworth,Ify,2012-12-02,2,BAFR,,Y",
            $"CS-0004,{Upn(204)},,Ollerenshaw,Rex,2011-02-17,1,WBRI,,Y"), "children.csv"),
        new(YotProvider, "yot-interventions", Csv(InterventionsHeader,
            "CS-0001,CI-1,REFERRAL_ORDER,2026-01-05,2026-01-12,,N,",
            "CS-0002,CI-2,YRO,2025-11-03,2025-11-10,2026-05-29,N,",
            "CS-0003,CI-3,REFERRAL_ORDER,2026-02-02,2026-02-09,,N,",
            "CS-0004,CI-4,YRO,2026-01-19,2026-01-26,,N,"), "interventions.csv"),
        new(YotProvider, "yot-accommodation", Csv("yot_case_ref,start_date,end_date,accommodation_type,suitability",
            "CS-0002,2025-11-10,2026-03-01,LIVING_WITH_PARENTS,SUITABLE",
            "CS-0002,2026-03-02,,FOSTER_CARE,SUITABLE"), "accommodation.csv"),
    ];

    /// <summary>School A's marks span 2026-Q1 and Q2: two curated files from one drop.</summary>
    public static IReadOnlyList<Drop> SchoolDrops { get; } =
    [
        new(Schools[0], "school-attendance", Csv(
            [AttendanceHeader,
            .. Marks(Upn(201), "Harrowgate", "2012-04-11", "100201", new DateOnly(2026, 3, 2), "/", "/", "O", "/", "/", "/"),
            .. Marks(Upn(201), "Harrowgate", "2012-04-11", "100201", new DateOnly(2026, 4, 20), "/", "/", "/", "L", "O", "O")]), "a.csv"),
        new(Schools[1], "school-attendance", Csv(
            [AttendanceHeader, .. Marks(Upn(202), "Pennyworth", "2011-09-30", "100202", new DateOnly(2026, 4, 20), "/", "/", "/", "/", "I",
                "/")]), "b.csv"),
        new(Schools[2], "school-attendance", Csv(
            [AttendanceHeader, .. Marks(Upn(203), "Tamsworth", "2012-12-02", "100203", new DateOnly(2026, 4, 20), "/", "O", "O", "O", "/",
                "/")]), "c.csv"),
        new(Schools[3], "school-attendance", Csv(
            [AttendanceHeader, .. Marks(Upn(204), "Ollerenshaw", "2011-02-17", "100204", new DateOnly(2026, 4, 20), "/", "/", "C2", "C2",
                "/", "/")]), "d.csv"),
    ];

    public static IReadOnlyList<Drop> All { get; } = [.. Cohort, .. SchoolDrops];

    public static async Task AgreementsAsync(PipelineFixture fixture)
    {
        await fixture.AddAgreementAsync(Agreement(YotProvider, Yot, ["yot-children", "yot-interventions", "yot-accommodation"],
            kind: "yot"));
        foreach (var school in Schools) await fixture.AddAgreementAsync(Agreement(school, Yot, ["school-attendance"]));
    }

    /// <summary>Uploads the raw file as the provider would (the ingest itself is the test's to run).</summary>
    public static async Task UploadAsync(PipelineFixture fixture, Drop drop)
    {
        var bytes = Bytes(drop.Csv);
        fixture.Identifiers.Remember(drop.DropType, bytes);
        await fixture.Storage.Container(StorageNames.DropsContainer).GetBlobClient(drop.BlobName)
            .UploadAsync(BinaryData.FromBytes(bytes), overwrite: true);
    }

    /// <summary>Uploads each drop and has the worker ingest it, one after another.</summary>
    public static async Task SendAsync(PipelineFixture fixture, PipelineWorker worker, IEnumerable<Drop> drops)
    {
        foreach (var drop in drops)
        {
            await UploadAsync(fixture, drop);
            await worker.IngestAsync(drop.BlobName);
        }
    }

    /// <summary>Every drop sent one after another by one worker, then the recompute queue drained: the clean run.</summary>
    public static async Task<IReadOnlyList<string>> CleanRunAsync(PipelineFixture fixture)
    {
        await StorageView.WipeAsync(fixture.Storage);
        await AgreementsAsync(fixture);
        await using var worker = new PipelineWorker(fixture);
        await SendAsync(fixture, worker, All);
        await worker.DrainAsync();
        return await StorageView.UserViewAsync(fixture.Storage);
    }
}
