using System.Text;
using Microsoft.Extensions.DependencyInjection;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Local.Demo;
using YouthJustice.Pipeline.Local;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Reporting;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Submissions;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Reporting;

/// <summary>
/// The board pack and the YJB return a board and the YJB would get from the demo YOT's data, byte for byte against the
/// copies in <c>Fixtures/golden/</c>: a change in which drop types feed a KPI (the pack's "limited by missing data"
/// marks) or in how a return row is split (start / end / during) shows here as a diff. The clock is fixed so the
/// pack's "days ago" and the return's build time do not move. When an output is meant to change, run the test with
/// <c>UPDATE_GOLDEN=1</c> and review the diff of the golden files.
/// </summary>
public sealed partial class DemoOutputsTests(DemoOutputsTests.Demo demo) : IClassFixture<DemoOutputsTests.Demo>
{
    private static readonly DateTimeOffset Now = new(2026, 7, 20, 9, 0, 0, TimeSpan.Zero);

    private LocalPipeline Pipeline => demo.Pipeline;

    /// <summary>The demo's agreements, population and drops, ingested once for the class at <see cref="Now"/>.</summary>
    public sealed class Demo : IAsyncLifetime
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("demo-golden-").FullName;
        private LocalPipeline? _pipeline;

        public LocalPipeline Pipeline => _pipeline ?? throw new InvalidOperationException("Not started.");

        public async Task InitializeAsync()
        {
            _pipeline = await LocalPipeline.StartAsync(inMemory: false,
                overrides: new Dictionary<string, string?>
                {
                    ["DataStorage:ConnectionString"] = await TestStorage.NewAccountAsync(),
                    ["Pseudonymisation:Key"] = PipelineFixture.TestKey,
                    ["Pseudonymisation:KeyVersion"] = "test-v1",
                },
                configure: s => s.AddSingleton<TimeProvider>(new ManualClock(Now)));
            foreach (var a in DemoData.Agreements()) await Pipeline.Get<AgreementStore>().UpsertAsync(a, default);
            using (var population = new MemoryStream(Encoding.UTF8.GetBytes(DemoData.PopulationCsv)))
                Assert.Equal(ExitCodes.Success, await PopulationCommand.LoadAsync(Pipeline, population, TextWriter.Null, TextWriter.Null,
                    default));
            foreach (var d in DemoData.Write(_folder))
                await IngestCommand.UploadAndIngestAsync(Pipeline, d.Path, d.Provider, d.DropType, default);
            await LocalQueueWorker.DrainAsync(Pipeline.Storage, Pipeline.Get<KpiRecomputer>(), default);
        }

        public async Task DisposeAsync()
        {
            if (_pipeline is not null)
            {
                await TestStorage.DeleteAllAsync(_pipeline.Storage);
                await _pipeline.DisposeAsync();
            }
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_demo_board_packs_are_unchanged()
    {
        var builder = Pipeline.Get<BoardPackBuilder>();
        AssertGolden("board-pack.html", await builder.BuildAsync(DemoData.Yot, DemoData.Period, new BoardPackOptions()));
        AssertGolden("board-pack.published.html", await builder.BuildAsync(DemoData.Yot, DemoData.Period,
            new BoardPackOptions { Publish = true }));
    }

    [Fact]
    public async Task The_demo_return_is_unchanged()
    {
        var outcome = await Pipeline.Get<QuarterlyReturns>().BuildAsync(DemoData.Yot, DemoData.Period, Now, "golden", default);
        var submissions = Pipeline.Storage.Container(StorageNames.SubmissionsContainer);
        foreach (var (blob, name) in new[]
                 {
                     (QuarterlyReturns.ReturnBlob(DemoData.Yot, outcome.Period, outcome.Version), "return.json"),
                     (QuarterlyReturns.CsvBlob(DemoData.Yot, outcome.Period, outcome.Version), "return.csv"),
                 })
            AssertGolden(name, (await submissions.GetBlobClient(blob).DownloadContentAsync()).Value.Content.ToString());
    }

    /// <summary>Compares with the golden copy; with <c>UPDATE_GOLDEN=1</c>, writes it into the source tree instead.</summary>
    private static void AssertGolden(string name, string actual)
    {
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(RepositoryPaths.Root, "tests", "Pipeline.Tests", "Fixtures", "golden", name), actual);
            return;
        }
        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "golden", name));
        Assert.Equal(WithoutArrivalDates(expected), WithoutArrivalDates(actual));
    }

    /// <summary>
    /// When a provider's last drop arrived is storage's own clock (the blob's and ledger row's times), which the fixed
    /// clock cannot set: the day the test runs. Everything else in the outputs must match to the byte.
    /// </summary>
    private static string WithoutArrivalDates(string text) => ArrivalDate().Replace(text, "(arrival date)");

    [System.Text.RegularExpressions.GeneratedRegex(@"\d{4}-\d{2}-\d{2} \(\d+ days? ago\)")]
    private static partial System.Text.RegularExpressions.Regex ArrivalDate();
}
