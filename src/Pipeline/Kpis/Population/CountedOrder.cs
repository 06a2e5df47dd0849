using YouthJustice.Pipeline.Kpis.Data;

namespace YouthJustice.Pipeline.Kpis.Population;

/// <summary>
/// A child's counted intervention: the one that puts the child in a KPI population, with what every KPI needs to
/// judge it (its order-type group, the child's age at its start, the days "at start" and "at end" are judged on).
/// </summary>
public sealed record CountedOrder(ChildRecord Child, InterventionRecord Intervention, int AgeAtStart)
{
    public string ChildId => Child.ChildId;
    public string OrderGroup => OrderTypes.GroupOf(Intervention.DisposalType);
    public bool IsCourt => OrderTypes.IsCourt(Intervention.DisposalType);
    public DateOnly Start => Intervention.Start;
    public DateOnly? End => Intervention.End;

    /// <summary>The day "at start" is judged on: the start, or for a custodial sentence the day before it (docs/kpis.md §1).</summary>
    public DateOnly AtStartDay => OrderTypes.IsCustody(Intervention.DisposalType) ? Intervention.Start.AddDays(-1) : Intervention.Start;
}
