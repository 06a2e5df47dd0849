using Azure.Data.Tables;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Cli;
using YouthJustice.Pipeline.Cli.Commands;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;

namespace YouthJustice.Pipeline.Tests.Audit;

/// <summary>The Audit table is append-only: a step is recorded once and never overwritten; events add rows; the reader filters by time and
/// subject.</summary>
public sealed class AuditLogTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private AuditLog Audit => fixture.Pipeline.Get<AuditLog>();
    private static readonly DateTimeOffset Day = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_step_recorded_again_keeps_its_first_row_unchanged()
    {
        var first = new AuditEntry("audit-test-step", "1-gate", "school-x", "accepted", "ISA-x", 10, Day);
        Assert.True(await Audit.AppendAsync(first, default));
        Assert.False(await Audit.AppendAsync(first with { Action = "rewritten", Rows = 99, At = Day.AddHours(1) }, default));
        Assert.Equal(first, Assert.Single(await Audit.ForSubjectAsync(first.Subject, default)));
    }

    [Fact]
    public async Task Events_add_a_row_each_even_at_the_same_moment()
    {
        var e = new AuditEntry("audit-test-events", "GET /kpis", "analyst:yot-a", "read KPI results", null, 10, Day);
        await Audit.AppendEventAsync(e, default);
        await Audit.AppendEventAsync(e, default);
        await Audit.AppendEventAsync(e with { At = Day.AddSeconds(1) }, default);
        var rows = await Audit.ForSubjectAsync(e.Subject, default);
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal("GET /kpis", r.Step));
        var keys = new List<string>();
        await foreach (var row in fixture.Storage.Table(StorageNames.AuditTable)
            .QueryAsync<TableEntity>(x => x.PartitionKey == e.Subject)) keys.Add(row.RowKey);
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys); // time-ordered keys
        Assert.All(keys, k => Assert.DoesNotContain("/", k));
    }

    [Fact]
    public async Task The_reader_filters_by_time_and_subject_oldest_first()
    {
        await Audit.AppendAsync(new AuditEntry("audit-test-range-a", "s2", "p", "later", null, 2, Day.AddDays(2)), default);
        await Audit.AppendAsync(new AuditEntry("audit-test-range-a", "s1", "p", "earlier", null, 1, Day.AddDays(1)), default);
        await Audit.AppendAsync(new AuditEntry("audit-test-range-b", "s1", "p", "other subject", null, 1, Day.AddDays(1)), default);
        await Audit.AppendAsync(new AuditEntry("audit-test-range-a", "s0", "p", "before", null, 0, Day.AddDays(-1)), default);

        var a = await Audit.QueryAsync(Day, null, "audit-test-range-a", default);
        Assert.Equal(["earlier", "later"], a.Select(r => r.Action));
        var window = await Audit.QueryAsync(Day, Day.AddDays(2), null, default);
        Assert.Equal(["earlier", "other subject"], window.Where(r => r.Subject.StartsWith("audit-test-range", StringComparison.Ordinal))
            .Select(r => r.Action).Order());

        var output = new StringWriter();
        Assert.Equal(ExitCodes.Success, await AuditCommand.ShowAsync(Audit, "2026-03-03", "2026-03-03", "audit-test-range-a", json: false,
            output, TextWriter.Null, default));
        Assert.Contains("earlier", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("later", output.ToString(), StringComparison.Ordinal);
    }
}
