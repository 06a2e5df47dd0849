using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Kpis;

/// <summary>
/// The set-up of every class that reads <see cref="UnitsScenario"/>: the scenario is sent and computed once per class
/// (the class's account starts empty), then each test reads what is stored.
/// </summary>
public abstract class UnitsScenarioTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    protected PipelineFixture Fixture { get; } = fixture;

    public async Task InitializeAsync()
    {
        if ((await Fixture.BlobNamesAsync(StorageNames.KpisContainer)).Count == 0) await UnitsScenario.LoadAsync(Fixture);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
