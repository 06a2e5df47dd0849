using System.Text.Json;
using DuckDB.NET.Data;
using YouthJustice.Pipeline.Cli;
using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Cli.Output;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Kpis;

/// <summary>
/// Done-when of issue 4: a quarter's results file opened with DuckDB gives the figures <c>pipeline kpis --json</c>
/// prints; and withheld, missing and zero stay three states through disclosure control, Parquet, the table and JSON.
/// <para>
/// The case: five children, each with a YRO ending in 2026-Q1 (all local, 13–15 at the start). Accommodation open on
/// the end date: PQ-1, PQ-2, PQ-3 SUITABLE, PQ-4 and PQ-5 UNSUITABLE. No ETE records, no out-of-court disposals.
/// So kpi1-accommodation = 3 of 5 (withheld once published: 3 is from 1 to 4); kpi2-ete = 0 of 5 (a real zero: no
/// record counts as not suitable, docs/kpis.md §1); kpi6-oocd = 0 of 0 (missing: no out-of-court programme ended).
/// </para>
/// </summary>
public sealed class KpiParquetTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    private const string Yot = "yot-parquet";
    private const string Released = "yot-parquet-released";
    private const string Period = "2026-Q1";

    public async Task InitializeAsync()
    {
        if ((await fixture.BlobNamesAsync(StorageNames.KpisContainer, $"yot={Yot}/period={Period}/")).Count > 0) return;
        const string provider = "yot-parquet-case";
        await fixture.AddAgreementAsync(Agreement(provider, Yot, ["yot-children", "yot-interventions", "yot-accommodation"], kind: "yot"));
        await fixture.IngestAsync(provider, "yot-children", Csv(ChildrenHeader,
            "PQ-1,,,Ashdown,Rory,2011-05-10,1,WBRI,,Y",
            "PQ-2,,,Bellweather,Nia,2012-02-14,2,WBRI,,Y",
            "PQ-3,,,Carrow,Eli,2010-11-30,1,BCRB,,Y",
            "PQ-4,,,Dunmore,Ada,2011-08-08,2,MWBC,,Y",
            "PQ-5,,,Eastleigh,Sol,2011-01-19,1,WBRI,,Y"));
        await fixture.IngestAsync(provider, "yot-interventions", Csv(InterventionsHeader,
            "PQ-1,I-1,YRO,2025-09-25,2025-10-01,2026-01-15,N,",
            "PQ-2,I-2,YRO,2025-09-25,2025-10-01,2026-02-10,N,",
            "PQ-3,I-3,YRO,2025-09-25,2025-10-01,2026-03-31,N,",
            "PQ-4,I-4,YRO,2025-09-25,2025-10-01,2026-02-27,N,",
            "PQ-5,I-5,YRO,2025-09-25,2025-10-01,2026-03-02,N,"));
        await fixture.IngestAsync(provider, "yot-accommodation", Csv("yot_case_ref,start_date,end_date,accommodation_type,suitability",
            "PQ-1,2025-01-01,,LIVING_WITH_PARENTS,SUITABLE",
            "PQ-2,2025-01-01,,LIVING_WITH_FAMILY,SUITABLE",
            "PQ-3,2025-01-01,,FOSTER_CARE,SUITABLE",
            "PQ-4,2025-01-01,,TEMPORARY_ACCOMMODATION,UNSUITABLE",
            "PQ-5,2025-01-01,,LIVING_WITH_PARENTS,UNSUITABLE"));
        await fixture.DrainQueueAsync();   // the queue-triggered recompute, as in production
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonElement> KpisJsonAsync(params string[] args)
    {
        // The verb's own arguments, parsed by the CLI's parser, then run over this fixture's storage.
        var parse = Program.BuildCommands(TextWriter.Null).Parse(["kpis", "--yot", Yot, "--period", Period, "--json", .. args]);
        Assert.Empty(parse.Errors);
        var output = new StringWriter();
        var request = new KpisRequest(Yot, Period, Json: true, All: args.Contains("--all"), Suppressed: args.Contains("--suppressed"));
        var exit = await KpisCommand.ShowAsync(fixture.Pipeline.Get<KpiStore>(), fixture.Pipeline.Get<KpiRecomputer>(),
            new DisclosureOptions(),
            request, output, TextWriter.Null, default);
        Assert.Equal(ExitCodes.Success, exit);
        return JsonDocument.Parse(output.ToString()).RootElement.Clone();
    }

    private async Task<string> DownloadAsync(string yot)
    {
        var path = Path.Combine(Path.GetTempPath(), $"yjp-test-{Guid.NewGuid():N}.parquet");
        await File.WriteAllBytesAsync(path, await fixture.DownloadAsync(StorageNames.KpisContainer, KpiStore.BlobName(yot, Period)));
        return path;
    }

    private static List<(string Id, long? Numerator, long? Denominator, double? Value, bool Suppressed)> Headlines(string parquet)
    {
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText =
            $"SELECT kpi_id, numerator, denominator, value, suppressed FROM read_parquet('{parquet}') WHERE breakdown = 'all' AND " +
            $"\"group\" = 'all' ORDER BY kpi_id";
        using var reader = cmd.ExecuteReader();
        var rows = new List<(string, long?, long?, double?, bool)>();
        while (reader.Read())
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetDouble(3), reader.GetBoolean(4)));
        return rows;
    }

    private static (string Id, long? Numerator, long? Denominator, double? Value, bool Suppressed) Figures(JsonElement k) =>
        (k.GetProperty("id").GetString()!,
         k.GetProperty("numerator").ValueKind == JsonValueKind.Null ? null : k.GetProperty("numerator").GetInt64(),
         k.GetProperty("denominator").ValueKind == JsonValueKind.Null ? null : k.GetProperty("denominator").GetInt64(),
         k.GetProperty("value").ValueKind == JsonValueKind.Null ? null : k.GetProperty("value").GetDouble(),
         k.GetProperty("suppressed").GetBoolean());

    [Fact]
    public async Task The_results_file_read_with_DuckDB_gives_the_figures_pipeline_kpis_json_prints()
    {
        var parquet = Headlines(await DownloadAsync(Yot));
        var json = await KpisJsonAsync("--all");

        Assert.Equal(Yot, json.GetProperty("yot").GetString());
        Assert.Equal(Period, json.GetProperty("period").GetString());
        var printed = json.GetProperty("kpis").EnumerateArray().Select(Figures).OrderBy(k => k.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(parquet, printed);

        // The hand-worked figures themselves: 3 of 5 suitably housed at the end; 0 of 5 in suitable ETE; no OOCD ended.
        Assert.Contains(("kpi1-accommodation", (long?)3, (long?)5, (double?)0.6, false), parquet);
        Assert.Contains(("kpi2-ete", (long?)0, (long?)5, (double?)0.0, false), parquet);
        Assert.Contains(("kpi6-oocd", (long?)0, (long?)0, (double?)null, false), parquet);
    }

    [Fact]
    public async Task Without_all_the_json_holds_the_headlines_only()
    {
        var ids = (await KpisJsonAsync()).GetProperty("kpis").EnumerateArray().Select(k => k.GetProperty("id").GetString()!).ToList();
        Assert.Contains("kpi1-accommodation", ids);
        Assert.DoesNotContain("kpi1-accommodation-start", ids);
        Assert.All(ids, id => Assert.True(KpiCatalogue.IsHeadline(id)));
    }

    [Fact]
    public async Task Withheld_missing_and_zero_stay_three_states_through_Parquet_the_table_and_json()
    {
        var store = fixture.Pipeline.Get<KpiStore>();
        var computed = (await store.ReadAsync(Yot, Period, default))!;
        var released = DisclosureControl.Apply(computed, new DisclosureOptions()) with { Yot = Released };
        await store.WriteAsync(released, default);

        // Parquet, read by DuckDB: withheld = suppressed with no numbers (NULL, so a SUM cannot take it for 0);
        // missing = denominator 0, value NULL; zero = numerator 0, value 0.
        var parquet = Headlines(await DownloadAsync(Released));
        Assert.Contains(("kpi1-accommodation", (long?)null, (long?)null, (double?)null, true), parquet);
        Assert.Contains(("kpi6-oocd", (long?)0, (long?)0, (double?)null, false), parquet);
        Assert.Contains(("kpi2-ete", (long?)0, (long?)5, (double?)0.0, false), parquet);

        // The KpiResults table, read back.
        var table = (await store.ReadAsync(Released, Period, default))!;
        KpiResult Kpi(string id) => Assert.Single(table.Kpis, k => k.Id == id);
        Assert.Equal((true, (double?)null), (Kpi("kpi1-accommodation").Suppressed, Kpi("kpi1-accommodation").Value));
        Assert.Equal((false, 0L, (double?)null), (Kpi("kpi6-oocd").Suppressed, Kpi("kpi6-oocd").Denominator, Kpi("kpi6-oocd").Value));
        Assert.Equal((false, 0L, 5L, (double?)0.0), (Kpi("kpi2-ete").Suppressed, Kpi("kpi2-ete").Numerator, Kpi("kpi2-ete").Denominator,
            Kpi("kpi2-ete").Value));
        // Its breakdown groups too: kpi1's sexes (2 female, 3 male) are both small, both withheld, no numbers kept.
        Assert.All(Kpi("kpi1-accommodation").Breakdowns["sex"], g =>
            Assert.Equal((true, 0L, 0L), (g.Suppressed, g.Numerator, g.Denominator)));

        // pipeline kpis --suppressed --json.
        var json = (await KpisJsonAsync("--suppressed")).GetProperty("kpis").EnumerateArray().Select(Figures).ToList();
        Assert.Contains(("kpi1-accommodation", (long?)null, (long?)null, (double?)null, true), json);
        Assert.Contains(("kpi6-oocd", (long?)0, (long?)0, (double?)null, false), json);
        Assert.Contains(("kpi2-ete", (long?)0, (long?)5, (double?)0.0, false), json);
        var groups = (await KpisJsonAsync("--suppressed")).GetProperty("kpis").EnumerateArray()
            .Single(k => k.GetProperty("id").GetString() == "kpi1-accommodation").GetProperty("breakdowns").GetProperty("sex")
                .EnumerateArray().ToList();
        Assert.All(groups, g => Assert.Equal((JsonValueKind.Null, JsonValueKind.Null, true),
            (g.GetProperty("numerator").ValueKind, g.GetProperty("value").ValueKind, g.GetProperty("suppressed").GetBoolean())));
    }

    [Fact]
    public async Task The_table_shows_c_for_withheld_x_for_missing_and_0_percent_for_zero()
    {
        var output = new StringWriter();
        var exit = await KpisCommand.ShowAsync(fixture.Pipeline.Get<KpiStore>(), fixture.Pipeline.Get<KpiRecomputer>(),
            new DisclosureOptions(),
            new KpisRequest(Yot, Period, Suppressed: true), output, TextWriter.Null, default);
        Assert.Equal(ExitCodes.Success, exit);
        var lines = output.ToString().Split('\n');
        string Line(string id) => lines[Array.FindIndex(lines, l => l.Contains($"[{id}]", StringComparison.Ordinal)) - 1];
        Assert.Matches(@"\sc\s+c\s+c\s*$", Line("kpi1-accommodation"));
        Assert.Matches(@"\s0\s+0\s+x\s*$", Line("kpi6-oocd"));
        Assert.Matches(@"\s0\s+5\s+0\.0%\s*$", Line("kpi2-ete"));
        Assert.Contains(KpiCatalogue.Title("kpi1-accommodation"), Line("kpi1-accommodation"));
        Assert.DoesNotContain("[kpi1-accommodation-start]", output.ToString());   // headlines only without --all
    }
}
