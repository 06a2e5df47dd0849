using YouthJustice.Pipeline.Kpis.Data;
using YouthJustice.Pipeline.Kpis.Population;

namespace YouthJustice.Pipeline.Kpis.Families;

/// <summary>
/// KPI 2 (docs/kpis.md §2): children with an order ending in suitable education, training or employment at the end of it,
/// with the sub-measures the YJB asks for: at start, school age vs above, full/part time and hour bands by hours
/// <em>offered</em> summed over the open records, hours attended ÷ offered, and by provision type. By order type is the
/// "order-type" breakdown every child-level KPI carries.
/// </summary>
public sealed class EteKpi : IKpiFamily
{
    public const string Id = "kpi2-ete";
    public const string AtStart = Id + "-start";
    public const string SchoolAge = Id + "-school-age";
    public const string AboveSchoolAge = Id + "-above-school-age";
    public const string FullTime = Id + "-full-time";
    public const string PartTime = Id + "-part-time";
    public const string HoursAttended = Id + "-hours-attended";
    public const string Band1To15 = Id + "-hours-1-15";
    public const string Band16To24 = Id + "-hours-16-24";
    public const string Band25Plus = Id + "-hours-25-plus";
    public const string ByProvision = Id + "-by-provision";
    public const string ProvisionDimension = "provision-type";

    /// <summary>The provision type that records the child is in no ETE at all.</summary>
    public const string None = "NONE";

    private static readonly IReadOnlyList<string> From = DropTypes.CaseloadAnd(DropTypes.YotEte);

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new(Id, 200, "Suitable education, training or employment at the end of the order") { Sources = From, Split = KpiSplit.End },
        new(AtStart, 201, "Suitable ETE at the start of the order", Headline: false, Parent: Id) { Sources = From, Split = KpiSplit.Start },
        new(SchoolAge, 202, "Suitable ETE at the end: children of school age", Headline: false, Parent: Id) { Sources = From,
            Split = KpiSplit.End },
        new(AboveSchoolAge, 203, "Suitable ETE at the end: children above school age", Headline: false, Parent: Id) { Sources = From,
            Split = KpiSplit.End },
        new(FullTime, 204, "Full-time ETE at the end (hours offered: 25+ school age, 16+ above), of children in ETE", Headline: false,
            Parent: Id) { Sources = From, Split = KpiSplit.End },
        new(PartTime, 205, "Part-time ETE at the end (fewer hours offered than full time), of children in ETE", Headline: false,
            Parent: Id) { Sources = From, Split = KpiSplit.End },
        new(HoursAttended, 206, "Hours attended ÷ hours offered a week at the end", Headline: false, Parent: Id,
            Units: KpiUnits.Hours) { Sources = From, Split = KpiSplit.End },
        new(Band1To15, 207, "1–15 hours offered a week at the end, of children in ETE", Headline: false, Parent: Id) { Sources = From,
            Split = KpiSplit.End },
        new(Band16To24, 208, "16–24 hours offered a week at the end, of children in ETE", Headline: false, Parent: Id) { Sources = From,
            Split = KpiSplit.End },
        new(Band25Plus, 209, "25 or more hours offered a week at the end, of children in ETE", Headline: false,
            Parent: Id) { Sources = From, Split = KpiSplit.End },
        new(ByProvision, 210, "Suitable ETE at the end, by provision type", Headline: false, Parent: Id) { Sources = From,
            Split = KpiSplit.End },
    ];

    /// <summary>
    /// A suitable record: recorded SUITABLE, and not <c>NONE</c> — being in no ETE is never "in suitable ETE", whatever
    /// the suitability column says.
    /// </summary>
    public static bool IsSuitable(EteRecord r) => r.Suitability == EpisodeRules.Suitable && r.ProvisionType != None;

    /// <summary>In ETE: at least one open record that is some provision (not <c>NONE</c>).</summary>
    public static bool InEte(IEnumerable<EteRecord> open) => open.Any(r => r.ProvisionType != None);

    public Task<IReadOnlyList<KpiResult>> ComputeAsync(KpiContext context, CancellationToken cancellationToken)
    {
        var orders = context.OrdersEnding.Values.ToList();
        var profiles = context.OrdersEndingProfiles;
        var byChild = context.Data.Ete.ToLookup(r => r.ChildId, StringComparer.Ordinal);

        // §1 at end: open on the counted order's end date; at start: on its start, the day before for custody.
        var atEnd = orders.ToDictionary(o => o.ChildId, o => EpisodeRules.OpenOn(byChild, o.ChildId, o.End!.Value), StringComparer.Ordinal);
        var atStart = orders.ToDictionary(o => o.ChildId, o => EpisodeRules.OpenOn(byChild, o.ChildId, o.AtStartDay),
            StringComparer.Ordinal);
        // §1 "School age", judged on the day ETE is judged: the order's end.
        var schoolAge = orders.ToDictionary(o => o.ChildId, o => EpisodeRules.IsSchoolAge(o.Child, o.End!.Value), StringComparer.Ordinal);

        ChildCount Suitable(CountedOrder o, Dictionary<string, IReadOnlyList<EteRecord>> open) =>
            new(o.ChildId, EpisodeRules.AllSuitable(open[o.ChildId], IsSuitable) ? 1 : 0, 1);

        IEnumerable<string> Sources(IEnumerable<CountedOrder> children, Dictionary<string, IReadOnlyList<EteRecord>> open) =>
            KpiContext.Sources(children).Concat(children.SelectMany(o => open[o.ChildId].Select(r => r.DropId)));

        // Hours offered a week at the end, summed over every open record (docs/kpis.md §2); a record without hours adds none.
        var inEte = orders.Where(o => InEte(atEnd[o.ChildId])).ToList();
        var offered = inEte.ToDictionary(o => o.ChildId, o => atEnd[o.ChildId].Sum(r => r.HoursOffered ?? 0), StringComparer.Ordinal);
        ChildCount Hours(CountedOrder o, Func<double, bool, bool> test) =>
            new(o.ChildId, offered[o.ChildId] > 0 && test(offered[o.ChildId], schoolAge[o.ChildId]) ? 1 : 0, 1);
        static bool FullTimeHours(double hours, bool schoolAge) => hours >= (schoolAge ? 25 : 16);

        // Attended ÷ offered over the open records that record both, counted in whole minutes so fractions of hours stay
        // exact; every output shows them in hours (KpiUnits.Hours).
        static long Minutes(double hours) => (long)Math.Round(hours * 60, MidpointRounding.AwayFromZero);
        var hoursCounts = orders
            .Select(o => (Order: o, Records: atEnd[o.ChildId].Where(r => r.HoursOffered is > 0 && r.HoursAttended is not null).ToList()))
            .Where(x => x.Records.Count > 0)
            .ToList();

        var providedAtEnd = atEnd.ToDictionary(kv => kv.Key, kv => EpisodeRules.TypeGroup(kv.Value.Select(r => r.ProvisionType)),
            StringComparer.Ordinal);

        var schoolAgeOrders = orders.Where(o => schoolAge[o.ChildId]).ToList();
        var aboveOrders = orders.Where(o => !schoolAge[o.ChildId]).ToList();
        var endSources = Sources(orders, atEnd).ToList();
        var eteSources = Sources(inEte, atEnd).ToList();

        IReadOnlyList<KpiResult> results =
        [
            Breakdowns.Build(Id, orders.Select(o => Suitable(o, atEnd)), profiles, endSources),
            Breakdowns.Build(AtStart, orders.Select(o => Suitable(o, atStart)), profiles, Sources(orders, atStart)),
            Breakdowns.Build(SchoolAge, schoolAgeOrders.Select(o => Suitable(o, atEnd)), profiles, Sources(schoolAgeOrders, atEnd)),
            Breakdowns.Build(AboveSchoolAge, aboveOrders.Select(o => Suitable(o, atEnd)), profiles, Sources(aboveOrders, atEnd)),
            Breakdowns.Build(FullTime, inEte.Select(o => Hours(o, FullTimeHours)), profiles, eteSources),
            Breakdowns.Build(PartTime, inEte.Select(o => Hours(o, (h, s) => !FullTimeHours(h, s))), profiles, eteSources),
            Breakdowns.Build(HoursAttended, hoursCounts.Select(x => new ChildCount(x.Order.ChildId,
                    x.Records.Sum(r => Minutes(r.HoursAttended!.Value)), x.Records.Sum(r => Minutes(r.HoursOffered!.Value)))), profiles,
                KpiContext.Sources(hoursCounts.Select(x => x.Order)).Concat(hoursCounts.SelectMany(x => x.Records.Select(r => r.DropId)))),
            // Bands by hours offered: 1–15 is anything above 0 and under 16 (hours may be fractional).
            Breakdowns.Build(Band1To15, inEte.Select(o => Hours(o, (h, _) => h < 16)), profiles, eteSources),
            Breakdowns.Build(Band16To24, inEte.Select(o => Hours(o, (h, _) => h is >= 16 and < 25)), profiles, eteSources),
            Breakdowns.Build(Band25Plus, inEte.Select(o => Hours(o, (h, _) => h >= 25)), profiles, eteSources),
            Breakdowns.Build(ByProvision, orders.Select(o => Suitable(o, atEnd)),
                EpisodeRules.WithDimension(profiles, ProvisionDimension, providedAtEnd), endSources,
                    EpisodeRules.DimensionsPlus(ProvisionDimension)),
        ];
        return Task.FromResult(results);
    }
}
