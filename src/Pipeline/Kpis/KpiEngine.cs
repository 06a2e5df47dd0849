using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Kpis;

/// <summary>Computes a YOT's KPI results for a quarter from curated data. Deterministic: same inputs, same results.</summary>
public sealed class KpiEngine(PipelineStorage storage)
{
    public const string Version = "kpi-engine/2026.11.1";

    public async Task<KpiSet> ComputeAsync(string yot, Quarter quarter, CancellationToken cancellationToken)
    {
        var caseload = await Caseload.LoadAsync(storage, yot, quarter, cancellationToken);
        var (attendance, attendanceDrops) = await AttendanceMeasures.ComputeAsync(storage, yot, quarter, caseload, AttendanceCodes.Default, cancellationToken);
        return new KpiSet
        {
            Yot = yot,
            Period = quarter.ToString(),
            PeriodLabel = quarter.FinancialYearLabel,
            EngineVersion = Version,
            SourceDrops = caseload.SourceDrops.Concat(attendanceDrops).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            Kpis = attendance,
        };
    }
}
