using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Drops.Validation;

namespace YouthJustice.Pipeline.Tests.Drops.Validation;

/// <summary>
/// The rule kinds of <c>x-rules</c> on a schema made for the test, so each kind's edge is shown without depending on
/// a published schema's choices (those are covered by the drop-type tests).
/// </summary>
public sealed class RowRulesTests
{
    private static readonly DropField Pupil = new() { Name = "pupil" };
    private static readonly DropField Day = new() { Name = "day", Type = "date" };
    private static readonly DropField Session = new() { Name = "session" };
    private static readonly DropField Start = new() { Name = "start_date", Type = "date" };
    private static readonly DropField End = new() { Name = "end_date", Type = "date" };
    private static readonly DropField Category = new() { Name = "category" };
    private static readonly DropField Sessions = new() { Name = "sessions", Type = "integer" };
    private static readonly DropField Plan = new() { Name = "formal_plan", Type = "boolean" };

    [Fact]
    public void One_row_per_pupil_day_and_session_even_when_days_arrive_out_of_order()
    {
        var rules =
            Compile([Pupil, Day, Session], new CrossFieldRule { Rule = "mark-duplicate", Kind = RuleKinds.Unique,
            Fields = ["pupil", "day", "session"] });
        var log = new ErrorLog();
        var lines = new (string Pupil, DateOnly Day, string Session)[]
        {
            ("P1", new(2026, 5, 4), "AM"),   // 2
            ("P1", new(2026, 5, 4), "PM"),   // 3
            ("P2", new(2026, 5, 4), "AM"),   // 4
            ("P1", new(2025, 9, 1), "AM"),   // 5: far earlier than the first day seen: the day set grows backwards
            ("P1", new(2026, 5, 4), "AM"),   // 6: duplicate of line 2
            ("P1", new(2025, 9, 1), "AM"),   // 7: duplicate of line 5
            ("P1", new(2027, 7, 1), "AM"),   // 8: far later
            ("P1", new(2027, 7, 1), "AM"),   // 9: duplicate of line 8
        };
        var failed = new List<int>();
        for (var i = 0; i < lines.Length; i++)
        {
            CellValue[] row = [CellValue.OfText(lines[i].Pupil), new() { Present = true, Date = lines[i].Day },
                CellValue.OfText(lines[i].Session)];
            if (rules.Check(row, false, i + 2, log)) failed.Add(i + 2);
        }
        Assert.Equal([6, 7, 9], failed);
        Assert.Equal(3, log.Counts["mark-duplicate"]);
        Assert.Contains("2026-05-04", log.First[0].Message);
    }

    [Fact]
    public void A_rejected_row_does_not_make_the_next_one_a_duplicate()
    {
        var rules = Compile([Pupil], new CrossFieldRule { Rule = "pupil-duplicate", Kind = RuleKinds.Unique, Fields = ["pupil"] });
        var log = new ErrorLog();
        Assert.True(rules.Check([CellValue.OfText("P1")], rowAlreadyBad: true, 2, log));
        Assert.False(rules.Check([CellValue.OfText("P1")], false, 3, log));
        Assert.True(rules.Check([CellValue.OfText("P1")], false, 4, log));
        Assert.Contains("Line 3", log.First.Single().Message);
    }

    [Fact]
    public void Periods_of_the_same_child_must_not_overlap_and_an_open_end_runs_on()
    {
        var rules =
            Compile([Pupil, Start, End], new CrossFieldRule { Rule = "send-overlap", Kind = RuleKinds.NoOverlap, Fields = ["pupil"],
            Start = "start_date", End = "end_date" });
        var log = new ErrorLog();
        Assert.False(rules.Check(Period("C1", new(2026, 1, 1), new(2026, 3, 31)), false, 2, log));
        Assert.False(rules.Check(Period("C1", new(2026, 4, 1), null), false, 3, log));             // starts the day after: fine
        Assert.False(rules.Check(Period("C2", new(2026, 2, 1), new(2026, 2, 2)), false, 4, log));  // another child
        Assert.True(rules.Check(Period("C1", new(2027, 1, 1), new(2027, 1, 2)), false, 5, log));   // inside the open period of line 3
        Assert.Contains("line 3", log.First.Single().Message);
    }

    [Fact]
    public void Conditional_rules_apply_only_when_their_conditions_hold()
    {
        var rules = Compile([Category, Sessions, Plan, End],
            new CrossFieldRule { Rule = "sessions-missing", Kind = RuleKinds.RequiredWhen, Field = "sessions",
                When = [new RuleCondition { Field = "category", In = ["SUSPENSION"] }] },
            new CrossFieldRule { Rule = "category-when-ended", Kind = RuleKinds.AllowedWhen, Field = "category", In = ["PERMANENT"],
                When = [new RuleCondition { Field = "end_date", Present = true }] },
            new CrossFieldRule { Rule = "plan-contradiction", Kind = RuleKinds.NotWhen, Field = "category", In = ["PERMANENT"],
                Severity = "query", When = [new RuleCondition { Field = "formal_plan", In = ["Y"] }] });
        var log = new ErrorLog();
        CellValue None = default;
        CellValue Flag(bool b) => new() { Present = true, Flag = b };
        CellValue Ended = new() { Present = true, Date = new DateOnly(2026, 5, 1) };

        Assert.True(rules.Check([CellValue.OfText("SUSPENSION"), None, None, None], false, 2, log));                  // sessions missing
        Assert.False(rules.Check([CellValue.OfText("SUSPENSION"), CellValue.OfInteger(2), None, None], false, 3, log));
        Assert.False(rules.Check([CellValue.OfText("PERMANENT"), None, None, None], false, 4, log));                  // not a suspension
        // only PERMANENT may end
        Assert.True(rules.Check([CellValue.OfText("SUSPENSION"), CellValue.OfInteger(2), None, Ended], false, 5, log));
        // a query keeps the row
        Assert.False(rules.Check([CellValue.OfText("PERMANENT"), None, Flag(true), None], false, 6, log));
        Assert.Equal([(2, "sessions-missing"), (5, "category-when-ended"), (6, "plan-contradiction")],
            log.First.Select(e => (e.Line!.Value, e.Rule)));
        Assert.Equal(RuleSeverity.Query, log.First[^1].Severity);
    }

    [Fact]
    public void A_rule_whose_fields_are_not_shared_is_skipped_with_the_reason()
    {
        var rules =
            Compile([Start], new CrossFieldRule { Rule = "end-before-start", Kind = RuleKinds.Order, Start = "start_date",
            End = "end_date" });
        Assert.Empty(rules.Run);
        var (rule, reason) = Assert.Single(rules.Skipped);
        Assert.Equal("end-before-start", rule);
        Assert.Contains("end_date", reason);
    }

    private static CellValue[] Period(string child, DateOnly start, DateOnly? end) =>
        [CellValue.OfText(child), new() { Present = true, Date = start }, end is { } e ? new() { Present = true, Date = e } : default];

    private static RowRules Compile(DropField[] fields, params CrossFieldRule[] rules)
    {
        var schema = new DropSchema { Name = "test", Fields = fields, Rules = rules };
        return RowRules.Compile(schema, [.. fields.Select(f => new FieldCheck(f, SchemaCatalogue.Default))]);
    }
}
