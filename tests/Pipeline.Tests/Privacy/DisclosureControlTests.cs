using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Privacy;

namespace YouthJustice.Pipeline.Tests.Privacy;

/// <summary>Small-number suppression (docs/kpis.md §5) on hand-built KPI sets: primary, secondary, and the check before release.</summary>
public sealed class DisclosureControlTests
{
    private static readonly DisclosureOptions Default = new();

    private static KpiGroup G(string group, long n, long d) => new() { Group = group, Numerator = n, Denominator = d };

    private static KpiSet Set(params KpiResult[] kpis) =>
        new() { Yot = "yot-dc", Period = "2026-Q2", PeriodLabel = "2026/27 Q1", EngineVersion = "test", Kpis = kpis };

    private static KpiResult Kpi(string id, long n, long d, params (string Name, KpiGroup[] Groups)[] breakdowns) => new()
    {
        Id = id, Numerator = n, Denominator = d,
        Breakdowns =
            new SortedDictionary<string, IReadOnlyList<KpiGroup>>(
            breakdowns.ToDictionary(b => b.Name, b => (IReadOnlyList<KpiGroup>)b.Groups)),
    };

    private static KpiResult Only(KpiSet set) => Assert.Single(set.Kpis);

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    [InlineData(5, false)]
    public void A_headline_numerator_from_1_to_4_is_withheld_but_not_0_or_5(long numerator, bool withheld)
    {
        var k = Only(DisclosureControl.Apply(Set(Kpi("kpi1-accommodation", numerator, 20)), Default));
        Assert.Equal(withheld, k.Suppressed);
        // Withheld: no numbers leave. Published: the figures as computed (0 stays a real zero, value 0).
        Assert.Equal(withheld ? (0L, 0L, (double?)null) : (numerator, 20L, numerator / 20.0), (k.Numerator, k.Denominator, k.Value));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(4, true)]
    [InlineData(5, false)]
    public void A_denominator_from_1_to_4_is_withheld_and_0_stays_missing(long denominator, bool withheld)
    {
        var k = Only(DisclosureControl.Apply(Set(Kpi("kpi2-ete", 0, denominator)), Default));
        Assert.Equal(withheld, k.Suppressed);
        if (denominator == 0) Assert.Null(k.Value);          // missing: published, no value, not withheld
        if (denominator == 5) Assert.Equal(0.0, k.Value);    // zero: a real 0
    }

    [Fact]
    public void A_lone_withheld_group_takes_the_next_smallest_with_it()
    {
        // Headline 25 of 40. Groups 3, 10, 12 (sum 25): 3 is withheld (1–4); with the total published, 25 − 10 − 12 = 3
        // would give it back, so the next-smallest, 10, is withheld too. 12 stays.
        var set = Set(Kpi("kpi1-accommodation", 25, 40, ("ethnicity", [G("Asian", 3, 6), G("Black", 10, 16), G("White", 12, 18)])));

        var k = Only(DisclosureControl.Apply(set, Default));

        Assert.False(k.Suppressed);
        Assert.Equal((25L, 40L), (k.Numerator, k.Denominator));
        Assert.Equal([("Asian", true, 0L, 0L), ("Black", true, 0L, 0L), ("White", false, 12L, 18L)],
            k.Breakdowns["ethnicity"].Select(g => (g.Group, g.Suppressed, g.Numerator, g.Denominator)));
    }

    [Fact]
    public void A_group_withheld_for_its_denominator_also_needs_a_second()
    {
        // Numerators 0, 9, 6 — none from 1 to 4 — but "Female" has a denominator of 2: withheld. With the headline
        // published, 28 − 15 − 11 = 2 (and 15 − 9 − 6 = 0) would give it back, so the next-smallest group by
        // denominator (Unknown, 11) goes too.
        var set = Set(Kpi("kpi2-ete", 15, 28, ("sex", [G("Female", 0, 2), G("Male", 9, 15), G("Unknown", 6, 11)])));

        var groups = Only(DisclosureControl.Apply(set, Default)).Breakdowns["sex"];

        Assert.Equal([("Female", true), ("Male", false), ("Unknown", true)], groups.Select(g => (g.Group, g.Suppressed)));
    }

    [Fact]
    public void Two_withheld_groups_need_no_secondary_suppression()
    {
        // 2 and 3 are both withheld: the total gives only their sum (5), so 10 and 12 stay published.
        var set =
            Set(Kpi("kpi1-accommodation", 27, 40, ("ethnicity",
            [G("Asian", 2, 4), G("Black", 10, 15), G("Mixed", 3, 4), G("White", 12, 17)])));

        var groups = Only(DisclosureControl.Apply(set, Default)).Breakdowns["ethnicity"];

        Assert.Equal([("Asian", true), ("Black", false), ("Mixed", true), ("White", false)], groups.Select(g => (g.Group, g.Suppressed)));
    }

    [Fact]
    public void Ties_for_next_smallest_are_broken_by_group_name()
    {
        var set = Set(Kpi("kpi1-accommodation", 23, 36, ("age-group", [G("z-small", 3, 5), G("b", 10, 15), G("a", 10, 16)])),
            Kpi("kpi2-ete", 23, 35, ("age-group", [G("z-small", 3, 5), G("b", 10, 15), G("a", 10, 15)])));

        var released = DisclosureControl.Apply(set, Default);

        // By denominator first (b has 15 < 16), then by name when the figures tie (a before b).
        Assert.Equal(["b", "z-small"], released.Kpis[0].Breakdowns["age-group"].Where(g => g.Suppressed).Select(g => g.Group).Order());
        Assert.Equal(["a", "z-small"], released.Kpis[1].Breakdowns["age-group"].Where(g => g.Suppressed).Select(g => g.Group).Order());
    }

    [Fact]
    public void Empty_groups_are_not_chosen_to_hide_a_withheld_one_while_others_are_left()
    {
        // "Unknown" has no one in it: withholding it would hide nothing, so the smallest group with children goes.
        var set = Set(Kpi("kpi1-accommodation", 20, 30, ("sex", [G("Female", 2, 3), G("Male", 18, 27), G("Unknown", 0, 0)])));

        var groups = Only(DisclosureControl.Apply(set, Default)).Breakdowns["sex"];

        Assert.Equal([("Female", true), ("Male", true), ("Unknown", false)], groups.Select(g => (g.Group, g.Suppressed)));
    }

    [Fact]
    public void A_withheld_headline_withholds_its_small_groups_and_keeps_zeros()
    {
        var set = Set(Kpi("kpi3-send", 3, 12, ("sex", [G("Female", 0, 5), G("Male", 3, 7)])));

        var k = Only(DisclosureControl.Apply(set, Default));

        Assert.True(k.Suppressed);
        Assert.Equal([("Female", false, 0L, 5L), ("Male", true, 0L, 0L)],
            k.Breakdowns["sex"].Select(g => (g.Group, g.Suppressed, g.Numerator, g.Denominator)));
    }

    [Fact]
    public void Board_attendance_counts_sectors_not_people_and_is_not_withheld()
    {
        var released = DisclosureControl.Apply(Set(Kpi("kpi8-board-attendance", 3, 5), Kpi("kpi8-board-attendance-senior", 2, 10)),
            Default);
        Assert.Equal([(3L, 5L, false), (2L, 10L, false)], released.Kpis.Select(k => (k.Numerator, k.Denominator, k.Suppressed)));
    }

    [Fact]
    public void Nhs_style_withholds_1_to_7_and_rounds_the_rest_to_5()
    {
        var set = Set(Kpi("kpi1-accommodation", 7, 40), Kpi("kpi2-ete", 12, 43), Kpi("kpi3-send", 0, 8));

        var released = DisclosureControl.Apply(set, DisclosureOptions.Nhs);

        Assert.True(released.Kpis[0].Suppressed);
        Assert.Equal((10L, 45L, 10.0 / 45), (released.Kpis[1].Numerator, released.Kpis[1].Denominator, released.Kpis[1].Value!.Value));
        Assert.Equal((0L, 10L, false), (released.Kpis[2].Numerator, released.Kpis[2].Denominator, released.Kpis[2].Suppressed));
    }

    [Fact]
    public void The_check_before_release_catches_a_lone_withheld_group()
    {
        var computed = Set(Kpi("kpi1-accommodation", 25, 40, ("ethnicity", [G("Asian", 3, 6), G("Black", 10, 16), G("White", 12, 18)])));
        // A pattern that withholds only the small group: 25 − 10 − 12 gives it back.
        var bad = Set(Kpi("kpi1-accommodation", 25, 40, ("ethnicity",
            [new KpiGroup { Group = "Asian", Suppressed = true }, G("Black", 10, 16), G("White", 12, 18)])));

        var ex = Assert.Throws<DisclosureException>(() => DisclosureControl.Verify(computed, bad, Default));
        Assert.Equal(("kpi1-accommodation", "ethnicity"), (ex.KpiId, ex.Breakdown));
        Assert.DoesNotContain("12", ex.Message);   // names the table, never a figure

        // And what Apply releases passes the same check.
        DisclosureControl.Verify(computed, DisclosureControl.Apply(computed, Default), Default);
    }

    [Fact]
    public void The_check_catches_a_small_count_left_published_and_numbers_left_in_a_withheld_cell()
    {
        var computed = Set(Kpi("kpi1-accommodation", 3, 40));
        Assert.Throws<DisclosureException>(() => DisclosureControl.Verify(computed, computed, Default));
        var leaky = Set(Kpi("kpi1-accommodation", 3, 40) with { Suppressed = true });
        Assert.Throws<DisclosureException>(() => DisclosureControl.Verify(computed, leaky, Default));
    }

    [Theory]
    [InlineData(5, 8, true)]      // "5 of 8 in suitable education" tells that 3 were not
    [InlineData(16, 20, true)]    // all but 4
    [InlineData(15, 20, false)]   // all but 5
    [InlineData(20, 20, false)]   // all: the complement is 0, which discloses nobody
    [InlineData(9, 7, false)]     // more than the denominator (hours, offences per child): no complement to protect
    public void A_headline_whose_complement_is_from_1_to_4_is_withheld(long numerator, long denominator, bool withheld)
    {
        var k = Only(DisclosureControl.Apply(Set(Kpi("kpi2-ete", numerator, denominator)), Default));
        Assert.Equal(withheld, k.Suppressed);
        Assert.Equal(withheld ? (0L, 0L) : (numerator, denominator), (k.Numerator, k.Denominator));
    }

    [Fact]
    public void A_group_withheld_for_its_complement_takes_the_next_smallest_with_it()
    {
        // Headline 25 of 40 (15 not). Asian 6 of 8: 2 not — withheld, though neither 6 nor 8 is small. With the headline
        // published, 40 − 14 − 18 = 8 and 25 − 9 − 10 = 6 would give it back, so the next-smallest, Black (9 of 14), goes
        // too. The withheld pair shows only 15 of 22 together.
        var set = Set(Kpi("kpi2-ete", 25, 40, ("ethnicity", [G("Asian", 6, 8), G("Black", 9, 14), G("White", 10, 18)])));

        var k = Only(DisclosureControl.Apply(set, Default));

        Assert.Equal((25L, 40L, false), (k.Numerator, k.Denominator, k.Suppressed));
        Assert.Equal([("Asian", true, 0L, 0L), ("Black", true, 0L, 0L), ("White", false, 10L, 18L)],
            k.Breakdowns["ethnicity"].Select(g => (g.Group, g.Suppressed, g.Numerator, g.Denominator)));
    }

    [Fact]
    public void A_headline_withheld_for_its_complement_leaves_no_breakdown_that_adds_back_to_it()
    {
        // 17 of 20: 3 not. Female 10 of 10 (none not) is published; Male 7 of 10 (3 not) is withheld, so the breakdown does
        // not give the headline back, and without the headline nothing gives Male back.
        var set = Set(Kpi("kpi1-accommodation", 17, 20, ("sex", [G("Female", 10, 10), G("Male", 7, 10)])));

        var k = Only(DisclosureControl.Apply(set, Default));

        Assert.True(k.Suppressed);
        Assert.Equal([("Female", false), ("Male", true)], k.Breakdowns["sex"].Select(g => (g.Group, g.Suppressed)));
        DisclosureControl.Verify(set, DisclosureControl.Apply(set, Default), Default);
    }

    [Fact]
    public void The_check_before_release_catches_a_published_complement()
    {
        var headline = Set(Kpi("kpi2-ete", 5, 8));
        var ex = Assert.Throws<DisclosureException>(() => DisclosureControl.Verify(headline, headline, Default));
        Assert.Equal(("kpi2-ete", (string?)null), (ex.KpiId, ex.Breakdown));

        var group = Set(Kpi("kpi2-ete", 25, 40, ("sex", [G("Female", 6, 8), G("Male", 19, 32)])));
        var published = Set(Kpi("kpi2-ete", 25, 40, ("sex", [G("Female", 6, 8), G("Male", 19, 32)])));
        Assert.Equal("sex", Assert.Throws<DisclosureException>(() => DisclosureControl.Verify(group, published, Default)).Breakdown);
    }

    [Fact]
    public void Nhs_style_withholds_a_complement_from_1_to_7()
    {
        var released = DisclosureControl.Apply(Set(Kpi("kpi1-accommodation", 33, 40), Kpi("kpi2-ete", 32, 40)), DisclosureOptions.Nhs);
        Assert.Equal([true, false], released.Kpis.Select(k => k.Suppressed));
    }

    [Fact]
    public void Applying_leaves_the_computed_set_unchanged()
    {
        var set = Set(Kpi("kpi1-accommodation", 3, 40));
        DisclosureControl.Apply(set, Default);
        Assert.Equal(3L, Only(set).Numerator);
        Assert.False(Only(set).Suppressed);
    }
}
