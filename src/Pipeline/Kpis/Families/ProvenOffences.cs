using YouthJustice.Pipeline.Kpis.Data;
using YouthJustice.Pipeline.Kpis.Population;

namespace YouthJustice.Pipeline.Kpis.Families;

/// <summary>
/// The rules KPI 9 and the national indicators share about proven offences (docs/kpis.md §2): whose offences count, the
/// child's age for an outcome, what kind of outcome an offence had, and breakdown profiles for offending children
/// (who need not be in a KPI population).
/// </summary>
internal static class ProvenOffences
{
    public const string PreCourt = "PRE_COURT";

    /// <summary>An offence with the child and the intervention it was dealt with by (null when none is named or known).</summary>
    public sealed record Offence(OffenceRecord Record, ChildRecord Child, InterventionRecord? Intervention)
    {
        public string ChildId => Record.ChildId;

        /// <summary>
        /// The day the child's age is judged on (docs/kpis.md §2, KPI 9): the offence date for a pre-court outcome (the child
        /// must have been of criminal age when offending), the outcome date for a court outcome (youth court jurisdiction).
        /// </summary>
        public DateOnly AgeDay => Record.OutcomeGroup == PreCourt ? Record.OffenceDate : Record.OutcomeDate;

        public int? Age => Child.AgeOn(AgeDay);

        /// <summary>Local resident (§1: other areas' children are left out) and aged 10–17 on <see cref="AgeDay"/>.</summary>
        public bool Counts => Child.LocalResident && Age is >= 10 and <= 17;

        /// <summary>
        /// The kind of outcome, for the national indicators, which count only cautions and court outcomes (the PNC's
        /// "formal" disposals). Told by the disposal type of the intervention the offence names; where it names none
        /// the YOT has sent, by outcome group: FIRST_TIER, COMMUNITY and CUSTODY are court outcomes, while PRE_COURT cannot
        /// tell a caution from a community resolution and so is <see cref="OutcomeKind.NotFormal"/> (never over-counted).
        /// An intervention changed on appeal (§1: left out of KPIs) gives <see cref="OutcomeKind.NotFormal"/> too.
        /// </summary>
        public OutcomeKind Kind => Intervention switch
        {
            { ChangedOnAppeal: true } => OutcomeKind.NotFormal,
            { DisposalType: var d } when OrderTypes.IsCustody(d) => OutcomeKind.Custody,
            { DisposalType: var d } when OrderTypes.IsCourt(d) => OutcomeKind.CourtNonCustodial,
            { DisposalType: "YOUTH_CAUTION" or "YOUTH_CONDITIONAL_CAUTION" } => OutcomeKind.Caution,
            not null => OutcomeKind.NotFormal,
            null => Record.OutcomeGroup switch
            {
                "CUSTODY" => OutcomeKind.Custody,
                "FIRST_TIER" or "COMMUNITY" => OutcomeKind.CourtNonCustodial,
                _ => OutcomeKind.NotFormal,
            },
        };

        public bool IsFormal => Kind != OutcomeKind.NotFormal;

        public IEnumerable<string> Sources => Intervention is null
            ? [Record.DropId, Child.DropId]
            : [Record.DropId, Child.DropId, Intervention.DropId];
    }

    public enum OutcomeKind { NotFormal, Caution, CourtNonCustodial, Custody }

    /// <summary>Every offence of a known child, joined to its intervention by child and intervention id; in a fixed order.</summary>
    public static IReadOnlyList<Offence> All(YotData data)
    {
        var interventions = data.Interventions.ToDictionary(i => (i.ChildId, i.InterventionId));
        return [.. data.Offences
            .Where(o => data.Children.ContainsKey(o.ChildId))
            .Select(o => new Offence(o, data.Children[o.ChildId],
                o.InterventionId is { } id && interventions.TryGetValue((o.ChildId, id), out var i) ? i : null))
            .OrderBy(o => o.ChildId, StringComparer.Ordinal).ThenBy(o => o.Record.OutcomeDate)
                .ThenBy(o => o.Record.OffenceId, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Breakdown profiles for offending children: each child's counted order (§1: one per child, the most serious) among
    /// the interventions their <paramref name="offences"/> name. A child none of whose offences names a counted
    /// intervention has no profile and is counted in the headline only.
    /// </summary>
    public static IReadOnlyDictionary<string, ChildProfile> Profiles(YotData data, IEnumerable<Offence> offences, DateOnly until) =>
        Profiles(data, offences.Where(o => o.Intervention is not null).Select(o => (o.ChildId, o.Intervention!.InterventionId)), until);

    /// <summary>As above, from the (child, intervention id) pairs that put each child in the measure.</summary>
    public static IReadOnlyDictionary<string, ChildProfile> Profiles(YotData data,
        IEnumerable<(string ChildId, string InterventionId)> interventions, DateOnly until)
    {
        var named = interventions.ToHashSet();
        var orders = KpiPopulations.OneOrderPerChild(KpiPopulations.Counted(data)
            .Where(c => named.Contains((c.ChildId, c.Intervention.InterventionId))));
        return ChildProfiles.For(orders, data, until);
    }
}
