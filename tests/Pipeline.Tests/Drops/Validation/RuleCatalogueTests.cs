using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using YouthJustice.Pipeline.Curated;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Drops.Validation;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Tests.Infrastructure;
using Xunit.Abstractions;
using static YouthJustice.Pipeline.Tests.Infrastructure.TestData;

namespace YouthJustice.Pipeline.Tests.Drops.Validation;

/// <summary>
/// Every rule of the complete catalogue (<see cref="RuleIndex.All"/>: the gate's own rules and every rule the drop
/// schemas declare) can fail, against real Azurite: one case per rule, each a small mutation of that drop type's
/// accepted example (schemas/examples/), with the line, field and severity the receipt must show.
/// </summary>
/// <remarks>
/// The positive side of each rule is the examples themselves: <see cref="SchemaExamplesTests"/> sends every example
/// unchanged and asserts it is accepted with no error, so every rule here is shown both passing and failing.
/// Mutations are written in a small language applied to the example text by <see cref="Mutate"/>:
/// <c>L2 upn=X12; urn=</c> sets cells on physical line 2 (header = line 1); <c>copy L2 [cells]</c> appends a copy of
/// line 2 (with changes) as the last line; <c>every line cells</c>; <c>remove column c</c>; <c>rename column c to d</c>;
/// <c>extra cell L3</c>; <c>blank line 1</c>; <c>header only</c>; <c>empty</c>; <c>semicolons</c>;
/// <c>windows-1252 L3 cells</c> (set, then save in Windows-1252); <c>as provider p</c>; <c>as type t</c>.
/// A value <c>x×n</c> is n copies of x.
/// </remarks>
public sealed class RuleCatalogueTests(PipelineFixture fixture, ITestOutputHelper output) : IClassFixture<PipelineFixture>
{
    public enum Expect { Error, Query, Refused }

    private const Expect E = Expect.Error, Q = Expect.Query, R = Expect.Refused;

    /// <summary>rule, drop type, mutation of its example, expected severity, physical line, field (null: none).</summary>
    public static TheoryData<string, string, string, Expect, int?, string?> Cases => new()
    {
        // The agreement gate and the drop type: the example unchanged, sent where it may not go.
        { "agreement-unknown-provider",     "school-attendance", "as provider nobody",                       R, null, null },
        { "agreement-drop-type-not-covered", "school-attendance", "as provider uncovered",                   R, null, null },
        { "agreement-not-in-force",         "school-attendance", "as provider expired",                      R, null, null },
        { "drop-type-unknown",              "school-attendance", "as type school-attendence",                R, null, null },
        // Whole-file rules (HostileInputTests covers each with more shapes of file).
        { "file-empty",                     "school-attendance", "empty",                                    R, null, null },
        { "file-no-rows",                   "school-attendance", "header only",                              R, null, null },
        { "file-not-utf8",                  "school-attendance", "windows-1252 L3 legal_forename=Zoë",       R, 3, null },
        { "file-not-csv",                   "school-attendance", "semicolons",                               R, 1, null },
        { "header-missing",                 "school-attendance", "blank line 1",                             R, 1, null },
        { "header-duplicate-column",        "school-attendance", "rename column legal_surname to UPN",       R, 1, null },
        { "required-column-missing",        "school-attendance", "remove column urn",                        R, 1, "urn" },
        { "csv-quote-invalid",              "school-attendance", "L3 legal_surname=\"Ashworth",              R, 3, null },
        { "line-too-long",                  "school-attendance", "L3 attendance_code=x×1100000",             R, 3, null },
        { "row-error-threshold-exceeded",   "school-attendance", "every line attendance_code=Z9",            R, null, null },
        // Row rules built into the gate.
        { "row-column-count",               "school-attendance", "extra cell L3",                            E, 3, null },
        { "required-value-missing",         "school-attendance", "L2 urn=",                                  E, 2, "urn" },
        { "date-invalid",                   "school-attendance", "L2 session_date=2026-04-31",               E, 2, "session_date" },
        { "date-in-future",                 "school-attendance", "L2 session_date=2099-01-05",               E, 2, "session_date" },
        { "date-on-weekend",                "school-attendance", "L2 session_date=2026-04-18",               E, 2, "session_date" },
        { "date-of-birth-impossible",       "school-attendance", "L2 date_of_birth=1990-01-01",              E, 2, "date_of_birth" },
        { "upn-format",                     "school-attendance", "L2 upn=X12",                               E, 2, "upn" },
        { "upn-check-letter",               "school-attendance", "L2 upn=A873401211043",                     E, 2, "upn" },
        { "urn-format",                     "school-attendance", "L2 urn=13921",                             E, 2, "urn" },
        { "uln-format",                     "college-enrolment", "L2 uln=512873401",                         E, 2, "uln" },
        { "uln-check-digit",                "college-enrolment", "L2 uln=5128734013",                        E, 2, "uln" },
        { "ukprn-format",                   "college-enrolment", "L2 ukprn=20004512",                        E, 2, "ukprn" },
        { "yot-case-ref-format",            "yot-accommodation", "L2 yot_case_ref=Y×31",                     E, 2, "yot_case_ref" },
        { "text-too-long",                  "yot-interventions", "L2 intervention_id=I×51",                  E, 2, "intervention_id" },
        { "flag-invalid",                   "yot-children",      "L2 local_resident=maybe",                  E, 2, "local_resident" },
        { "integer-invalid",                "yot-offences",      "L2 seriousness_score=six",                 E, 2, "seriousness_score" },
        { "number-invalid",                 "yot-ete",           "L2 hours_offered=25h",                     E, 2, "hours_offered" },
        { "end-before-start",               "yot-interventions", "L4 end_date=2026-04-01",                   E, 4, "end_date" },
        { "postcode-format",                "yot-children",      "L2 postcode=NOT A POSTCODE",               Q, 2, "postcode" },
        { "age-outside-youth-justice-range", "yot-children",     $"L2 date_of_birth={NineYearsAgo}",         Q, 2, "date_of_birth" },
        // Rules the schemas declare: code lists with their own rule, ranges, x-rules.
        { "accommodation-type-unknown",     "yot-accommodation", "L2 accommodation_type=HOSTEL",             E, 2, "accommodation_type" },
        { "suitability-unknown",            "yot-accommodation", "L2 suitability=OK",                        E, 2, "suitability" },
        { "suitability-unknown",            "yot-ete",           "L2 suitability=OK",                        E, 2, "suitability" },
        { "accommodation-suitability-contradicts-type", "yot-accommodation", "L8 suitability=SUITABLE",      Q, 8, "suitability" },
        { "actual-end-before-start",        "college-enrolment", "L9 actual_end_date=2025-09-01",            E, 9, "actual_end_date" },
        { "actual-end-date-missing",        "college-enrolment", "L9 actual_end_date=",                      E, 9, "actual_end_date" },
        { "aim-level-unknown",              "college-enrolment", "L2 aim_level=9",                           E, 2, "aim_level" },
        { "completion-status-unknown",      "college-enrolment", "L2 completion_status=4",                   E, 2, "completion_status" },
        { "learning-aim-period-duplicate",  "college-enrolment", "copy L2",                                  E, 14, "uln" },
        { "learning-hours-out-of-range",    "college-enrolment", "L2 planned_hours=2001",                    E, 2, "planned_hours" },
        { "learning-outcome-unknown",       "college-enrolment", "L9 outcome=5",                             E, 9, "outcome" },
        { "period-end-before-start",        "college-enrolment", "L2 period_end=2026-03-31",                 E, 2, "period_end" },
        { "planned-end-before-start",       "college-enrolment", "L2 planned_end_date=2026-04-01",           E, 2, "planned_end_date" },
        { "withdraw-reason-missing",        "college-enrolment", "L2 completion_status=3; actual_end_date=2026-06-01", Q, 2,
            "withdraw_reason" },
        // Queries keep their row, so their cases are rows that link to the cohort (line 10's learner is not a YOT child).
        { "withdraw-reason-unknown",        "college-enrolment", "L9 completion_status=3; withdraw_reason=99", Q, 9, "withdraw_reason" },
        { "attendance-code-unknown",        "school-attendance", "L2 attendance_code=Z9",                    E, 2, "attendance_code" },
        { "session-unknown",                "school-attendance", "L2 session=EVE",                           E, 2, "session" },
        { "session-mark-duplicate",         "school-attendance", "copy L2",                                  E, 20, "upn" },
        { "board-sector-unknown",           "board-attendance",  "L2 sector=FIRE",                           E, 2, "sector" },
        { "board-senior-without-attendance", "board-attendance", "L5 senior=Y",                              Q, 5, "senior" },
        { "care-status-unknown",            "yot-care-status",   "L2 status=ADOPTED",                        E, 2, "status" },
        { "care-status-overlap",            "yot-care-status",   "copy L3 start_date=2026-06-01",            E, 10, "start_date" },
        { "child-duplicate",                "yot-children",      "copy L2",                                  E, 13, "yot_case_ref" },
        { "sex-unknown",                    "yot-children",      "L2 sex=3",                                 E, 2, "sex" },
        { "ethnicity-unknown",              "yot-children",      "L2 ethnicity=XXXX",                        E, 2, "ethnicity" },
        { "disposal-type-unknown",          "yot-interventions", "L2 disposal_type=ASBO",                    E, 2, "disposal_type" },
        { "intervention-id-duplicate",      "yot-interventions", "copy L2",                                  E, 13, "intervention_id" },
        { "oocd-completed-missing",         "yot-interventions", "L3 oocd_completed=",                       E, 3, "oocd_completed" },
        { "ete-provision-type-unknown",     "yot-ete",           "L2 provision_type=HOME",                   E, 2, "provision_type" },
        { "ete-hours-out-of-range",         "yot-ete",           "L2 hours_offered=61",                      E, 2, "hours_offered" },
        { "ete-hours-out-of-range",         "yot-ete",           "L2 hours_attended=-1",                     E, 2, "hours_attended" },
        { "exclusion-category-unknown",     "school-exclusions", "L2 category=EXPELLED",                     E, 2, "category" },
        { "exclusion-reason-unknown",       "school-exclusions", "L2 reason=XX",                             Q, 2, "reason" },
        { "exclusion-sessions-missing",     "school-exclusions", "L2 sessions=",                             E, 2, "sessions" },
        { "exclusion-sessions-out-of-range", "school-exclusions", "L2 sessions=91",                          E, 2, "sessions" },
        { "exclusion-duplicate",            "school-exclusions", "copy L2",                                  E, 9, "upn" },
        { "health-area-unknown",            "yot-health",        "L2 area=PHYSICAL",                         E, 2, "area" },
        { "health-intervention-type-unknown", "yot-health",      "L2 intervention_type=THERAPY",             E, 2, "intervention_type" },
        { "health-intervention-type-not-mental-health", "yot-health", "L2 intervention_type=TARGETED_INTERVENTION", E, 2,
            "intervention_type" },
        { "health-intervention-type-not-substance-misuse", "yot-health", "L3 intervention_type=GETTING_HELP", E, 3, "intervention_type" },
        { "health-referred-before-screened", "yot-health",       "L2 date_referred=2026-04-13",              E, 2, "date_referred" },
        { "health-offered-before-referred", "yot-health",        "L2 date_offered=2026-04-15",               E, 2, "date_offered" },
        { "health-attendance-end-before-start", "yot-health",    "L3 date_attended_end=2026-04-30",          E, 3, "date_attended_end" },
        { "offence-category-unknown",       "yot-offences",      "L2 category=ARSON",                        E, 2, "category" },
        { "outcome-group-unknown",          "yot-offences",      "L2 outcome_group=COURT",                   E, 2, "outcome_group" },
        { "seriousness-score-out-of-range", "yot-offences",      "L2 seriousness_score=9",                   E, 2, "seriousness_score" },
        { "outcome-before-offence",         "yot-offences",      "L2 outcome_date=2026-02-20",               E, 2, "outcome_date" },
        { "offence-id-duplicate",           "yot-offences",      "copy L2",                                  E, 15, "offence_id" },
        { "year-group-unknown",             "school-roll",       "L2 year_group=15",                         E, 2, "year_group" },
        { "sen-provision-unknown",          "school-roll",       "L2 sen_provision=S",                       E, 2, "sen_provision" },
        { "pupil-duplicate",                "school-roll",       "copy L2",                                  E, 9, "upn" },
        { "off-roll-before-on-roll",        "school-roll",       "L8 off_roll_date=2022-09-01",              E, 8, "off_roll_date" },
        { "off-roll-reason-missing",        "school-roll",       "L2 off_roll_date=2026-06-24",              Q, 2, "off_roll_reason" },
        { "ptt-start-date-missing",         "school-roll",       "L4 ptt_start_date=",                       E, 4, "ptt_start_date" },
        { "ptt-end-before-start",           "school-roll",       "L4 ptt_planned_end_date=2026-04-01",       E, 4, "ptt_planned_end_date" },
        { "ptt-hours-out-of-range",         "school-roll",       "L4 ptt_hours_per_week=41",                 E, 4, "ptt_hours_per_week" },
        { "plan-type-unknown",              "yot-send",          "L2 plan_type=SEN",                         E, 2, "plan_type" },
        { "send-plan-type-missing",         "yot-send",          "L3 plan_type=",                            E, 3, "plan_type" },
        // Line 6's record now runs past the start of line 7's: the later row is the one refused.
        { "send-records-overlap",           "yot-send",          "L6 end_date=2026-05-25",                   E, 7, "start_date" },
        { "victim-type-unknown",            "yot-victims",       "L2 victim_type=PERSON",                    E, 2, "victim_type" },
        { "victim-duplicate",               "yot-victims",       "copy L2",                                  E, 11, "offence_id" },
    };

    /// <summary>
    /// Rules of the catalogue with no case, each with why. The completeness test fails for any other rule without one.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> NoCase = new Dictionary<string, string>
    {
        // Nothing in the gate reports it: a rule that throws propagates out of DropIngestor.IngestAsync (the blob
        // trigger retries, then poisons), so it cannot be made to fail from a file without injecting a fault.
        // A rule that crashes refuses the drop with rule-failed (tests/Pipeline.Tests/Ingestion/RuleFailedTests.cs): no mutation of
        // a valid file makes a correct rule crash.
        ["rule-failed"] = "needs a faulty rule, not a faulty file",
        // The fallbacks for a coded or ranged field whose schema names no rule of its own. Every such field names one
        // today (asserted below), so these cannot fire; a field without its own rule would need a case here.
        ["code-unknown"] = "every coded field names its own rule",
        ["value-out-of-range"] = "every ranged field names its own rule",
    };

    private const string Yot = "yot-rules";
    // yot-children cases go to a YOT of their own, so that no mutated child reaches the cohort the other cases link to.
    private const string ChildrenYot = "yot-rules-children";

    private static string NineYearsAgo => DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-9).ToString("yyyy-MM-dd");

    private static readonly ConditionalWeakTable<PipelineFixture, Sent> SentBy = new();

    /// <summary>Each case is sent once per fixture; both theories read its receipt (the same file twice is a duplicate).</summary>
    private sealed class Sent
    {
        public Task? Setup;
        public readonly Dictionary<string, Task<(Receipt Receipt, byte[] Content)>> Receipts = new(StringComparer.Ordinal);
    }

    // ---------------------------------------------------------------------------------------------------- failing

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_rule_fails_on_its_mutation(string rule, string dropType, string mutation, Expect expect, int? line,
        string? field)
    {
        var (receipt, _) = await SendAsync(dropType, mutation);
        var all = string.Join("; ", receipt.Errors.Select(e => $"line {e.Line} {e.Field} {e.Rule} {e.Severity}: {e.Message}"));

        if (expect == R)
        {
            Assert.True(receipt.Status == ReceiptStatus.Rejected, $"{receipt.Status}: {all}");
            var refusal = Refusal(receipt, rule);
            if (line is { } l)
                Assert.True(refusal.Line == l || (refusal.Line is null
                    && refusal.Message.Contains($"line {l}", StringComparison.OrdinalIgnoreCase)),
                    $"The refusal does not name line {l}: line {refusal.Line}, '{refusal.Message}'");
            Assert.Equal(field, refusal.Field);
            Assert.Equal(0, receipt.Rows.Accepted);
            Assert.DoesNotContain(await fixture.BlobNamesAsync(StorageNames.CuratedContainer), n => n.Contains(receipt.DropId));
            Assert.Contains($"{receipt.DropId}/report.json",
                await fixture.BlobNamesAsync(StorageNames.QuarantineContainer, receipt.DropId + "/"));
            return;
        }

        Assert.True(receipt.Status == ReceiptStatus.AcceptedWithErrors, $"{receipt.Status}: {all}");
        var error = RowFinding(receipt, rule, line!.Value);
        Assert.Equal(field, error.Field);
        Assert.Equal(expect == Q ? RuleSeverity.Query : RuleSeverity.Error, error.Severity);
        Assert.Contains(rule, receipt.RulesRun);
        Assert.True(receipt.ErrorCounts.GetValueOrDefault(rule) >= 1, $"no count for {rule}");

        // An error refuses its row and only that row; a query keeps it (every query case is a row that links).
        var curated = await CuratedLinesAsync(receipt, dropType);
        if (expect == E)
        {
            Assert.Equal(1, receipt.Rows.Rejected);
            Assert.DoesNotContain(line.Value, curated);
        }
        else
        {
            Assert.Equal(0, receipt.Rows.Rejected);
            Assert.Contains(line.Value, curated);
        }
    }

    // ---------------------------------------------------------------------------------------------------- messages

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_message_names_its_field_and_no_identifier(string rule, string dropType, string mutation, Expect expect,
        int? line, string? field)
    {
        var (receipt, content) = await SendAsync(dropType, mutation);
        var error = expect == R ? Refusal(receipt, rule) : RowFinding(receipt, rule, line!.Value);

        output.WriteLine($"{rule} line {error.Line} field {error.Field} value {error.Value}: {error.Message}");
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        if (field is not null)
        {
            Assert.Contains(field, error.Message);
        }
        // No UPN, ULN, case reference, name, date of birth or postcode of the file, as sent or as mutated.
        foreach (var identifier in PersonalValues(dropType, content))
        {
            Assert.DoesNotContain(identifier, error.Message);
            Assert.NotEqual(identifier, error.Value);
        }
    }

    [Fact]
    public void Every_rule_says_how_to_fix_it_in_plain_words()
    {
        // Menu paths ("File > Save As") and quotes ("") are what a sender types or clicks; braces and the like are not.
        var codeSymbols = new Regex(@"[{}\[\]`\\|]|=>|==|&&|\bnull\b");
        Assert.All(RuleIndex.All(SchemaCatalogue.Default), entry =>
        {
            var (code, fix) = (entry.Rule.Code, entry.Rule.Fix);
            Assert.False(string.IsNullOrWhiteSpace(fix), $"{code}: no fix");
            Assert.False(codeSymbols.IsMatch(fix), $"{code}: fix has code symbols: {fix}");
            Assert.True(fix.Length <= 200, $"{code}: fix is {fix.Length} characters");
            Assert.False(string.IsNullOrWhiteSpace(entry.Rule.Checks), $"{code}: no checks text");
        });
    }

    // ---------------------------------------------------------------------------------------------------- completeness

    [Fact]
    public void Every_rule_in_the_catalogue_has_a_case_and_every_case_is_a_rule_of_its_drop_type()
    {
        var catalogue = RuleIndex.All(SchemaCatalogue.Default).ToDictionary(e => e.Rule.Code);
        var cases = Cases.Select(c => (Rule: (string)c[0], DropType: (string)c[1], Expect: (Expect)c[3])).ToList();

        var untested = catalogue.Keys.Except(cases.Select(c => c.Rule)).Except(NoCase.Keys).Order().ToList();
        Assert.True(untested.Count == 0, $"Rules without a case in {nameof(Cases)}: {string.Join(", ", untested)}");
        Assert.All(NoCase.Keys, code => Assert.True(catalogue.ContainsKey(code), $"{code} is allow-listed but not in the catalogue"));
        Assert.All(NoCase.Keys, code => Assert.DoesNotContain(code, cases.Select(c => c.Rule)));

        foreach (var (rule, dropType, expect) in cases)
        {
            Assert.True(catalogue.TryGetValue(rule, out var entry), $"{rule} is not in the catalogue");
            Assert.True(entry!.DropTypes.Count == 0 || entry.DropTypes.Contains(dropType), $"{rule} does not apply to {dropType}");
            var severity = entry.Rule.Scope == RuleScope.Drop ? R : entry.Rule.Severity == RuleSeverity.Query ? Q : E;
            Assert.True(severity == expect, $"{rule}: the catalogue says {severity}, the case expects {expect}");
        }

        // Why code-unknown and value-out-of-range have no case: every coded and every ranged field names its own rule.
        foreach (var dropType in SchemaCatalogue.Default.DropTypes)
            foreach (var f in SchemaCatalogue.Default.Get(dropType).Fields)
            {
                if (f.Constraints.Enum is not null || f.Constraints.CodeList is not null)
                    Assert.True(f.CodeRule is not null, $"{dropType}.{f.Name} reports code-unknown: add a case for it");
                if (f.Constraints.Minimum is not null || f.Constraints.Maximum is not null)
                    Assert.True(f.RangeRule is not null, $"{dropType}.{f.Name} reports value-out-of-range: add a case for it");
            }
    }

    [Fact]
    public void The_mutation_helper_does_what_it_says()
    {
        var example = "a,b,c\n1,2,3\n4,5,6\n";
        Assert.Equal("a,b,c\n1,X,3\n4,5,6\n", Text(Mutate(example, "L2 b=X")));
        Assert.Equal("a,b,c\n1,2,3\n4,5,6\n1,2,Y\n", Text(Mutate(example, "copy L2 c=Y")));
        Assert.Equal("a,c\n1,3\n4,6\n", Text(Mutate(example, "remove column b")));
        Assert.Equal("a,B,c\n1,2,3\n4,5,6\n", Text(Mutate(example, "rename column b to B")));
        Assert.Equal("a,b,c\n1,2,3,extra\n4,5,6\n", Text(Mutate(example, "extra cell L2")));
        Assert.Equal("a,b,c\n1,2,Z\n4,5,Z\n", Text(Mutate(example, "every line c=Z")));
        Assert.Equal("a,b,c\n1,xxx,3\n4,5,6\n", Text(Mutate(example, "L2 b=x×3")));
        Assert.Equal("\na,b,c\n1,2,3\n4,5,6\n", Text(Mutate(example, "blank line 1")));
        Assert.Equal("a,b,c\n", Text(Mutate(example, "header only")));
        Assert.Equal("a;b;c\n1;2;3\n4;5;6\n", Text(Mutate(example, "semicolons")));
        Assert.Equal(new byte[] { (byte)'1', (byte)',', 0xEB }, Mutate(example, "windows-1252 L2 b=ë").Content[6..9]);
        Assert.Equal("rules-p", Mutate(example, "as provider p").Provider);
        Assert.Equal("t", Mutate(example, "as type t").DropType);
        Assert.Throws<ArgumentException>(() => Mutate(example, "L2 nope=1"));

        static string Text((byte[] Content, string? Provider, string? DropType) m) => Encoding.UTF8.GetString(m.Content);
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private static RowError Refusal(Receipt receipt, string rule) =>
        Assert.Single(receipt.Errors, e => e.Rule == rule && e.Severity == RuleSeverity.Error);

    private static RowError RowFinding(Receipt receipt, string rule, int line)
    {
        var found = receipt.Errors.Where(e => e.Rule == rule && e.Line == line).ToList();
        Assert.True(found.Count == 1,
            $"Expected one {rule} on line {line}; the receipt has: " +
                $"{string.Join("; ", receipt.Errors.Select(e => $"line {e.Line} {e.Field} {e.Rule}"))}");
        return found[0];
    }

    private static string Provider(string dropType) => $"rules-{dropType}";

    private static string ExamplePath(string dropType) => Path.Combine(AppContext.BaseDirectory, "schemas", "examples", $"{dropType}.csv");

    /// <summary>Agreements for every drop type, and the YOT's children (the cohort education rows link to).</summary>
    private static async Task SetUpAsync(PipelineFixture f)
    {
        foreach (var dropType in SchemaCatalogue.Default.DropTypes)
            await f.AddAgreementAsync(Agreement(Provider(dropType), dropType == ChildrenType ? ChildrenYot : Yot, [dropType],
                kind: ProviderKindOf(dropType)));
        await f.AddAgreementAsync(Agreement("rules-cohort", Yot, [ChildrenType], kind: "yot"));
        await f.AddAgreementAsync(Agreement("rules-uncovered", Yot, ["board-attendance"], kind: "board-secretariat"));
        await f.AddAgreementAsync(Agreement("rules-expired", Yot, ["school-attendance"], from: new DateOnly(2020, 4, 1),
            to: new DateOnly(2025, 3, 31)));
        var cohort = await f.IngestAsync("rules-cohort", ChildrenType, await File.ReadAllBytesAsync(ExamplePath(ChildrenType)),
            "cohort.csv");
        Assert.Equal(ReceiptStatus.Accepted, cohort.Status);
    }

    private const string ChildrenType = "yot-children";

    private async Task<(Receipt Receipt, byte[] Content)> SendAsync(string dropType, string mutation)
    {
        var sent = SentBy.GetValue(fixture, _ => new Sent());
        Task<(Receipt, byte[])> task;
        lock (sent)
        {
            sent.Setup ??= SetUpAsync(fixture);
            var key = $"{dropType}|{mutation}";
            if (!sent.Receipts.TryGetValue(key, out task!))
                sent.Receipts[key] = task = SendOnceAsync(sent.Setup, dropType, mutation);
        }
        return await task;
    }

    private async Task<(Receipt, byte[])> SendOnceAsync(Task setup, string dropType, string mutation)
    {
        await setup;
        var (content, provider, folder) = Mutate(await File.ReadAllTextAsync(ExamplePath(dropType)), mutation);
        // Named by a hash of the mutation: the mutation's own text holds identifiers, and file names reach the ledger.
        var name =
            $"case-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(mutation)))[..12]}.csv";
        var receipt = await fixture.IngestAsync(provider ?? Provider(dropType), folder ?? dropType, content, name);
        return (receipt, content);
    }

    /// <summary>The physical lines of the rows a drop wrote to curated.</summary>
    private async Task<List<int>> CuratedLinesAsync(Receipt receipt, string dropType)
    {
        var table = await CuratedTable.ReadAsync(fixture.Storage.Container(StorageNames.CuratedContainer),
            CuratedLayout.DropTypePrefix(dropType, dropType == ChildrenType ? ChildrenYot : Yot),
                [CuratedLayout.Line, CuratedLayout.DropId], default);
        return [.. Enumerable.Range(0, table.RowCount)
            .Where(r => table.Text(CuratedLayout.DropId, r) == receipt.DropId)
            .Select(r => table.Integer(CuratedLayout.Line, r)!.Value)];
    }

    /// <summary>The cells of the file's personal columns (3 characters or more), as sent.</summary>
    private static IEnumerable<string> PersonalValues(string dropType, byte[] content)
    {
        var schema = SchemaCatalogue.Default.Get(dropType);
        var lines = Encoding.UTF8.GetString(content).Split('\n').Where(l => l.Length > 0).ToList();
        if (lines.Count == 0) return [];
        var header = lines[0].Split(',');
        var personal = Enumerable.Range(0, header.Length).Where(i => schema.Field(header[i].Trim()) is { Privacy: not null }).ToList();
        return lines.Skip(1).Select(l => l.Split(','))
            .SelectMany(cells => personal.Where(i => i < cells.Length).Select(i => cells[i].Trim().Trim('"')))
            .Where(v => v.Length >= 3).Distinct();
    }

    /// <summary>Applies a mutation (see the class remarks) to an example's text: the bytes to send, and where to send them.</summary>
    internal static (byte[] Content, string? Provider, string? DropType) Mutate(string example, string mutation)
    {
        var newline = example.Contains("\r\n") ? "\r\n" : "\n";
        var lines = example.Split(newline).ToList();
        if (lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        Assert.DoesNotContain('"', example);   // the examples have no quoted cells: a split on commas is exact
        var header = lines[0].Split(',').ToList();
        var encoding = Encoding.UTF8;

        int Column(string name) => header.IndexOf(name) is var i and >= 0 ? i : throw new ArgumentException($"No column {name}");
        string Set(string line, string assignments)
        {
            var cells = line.Split(',');
            foreach (var a in assignments.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var at = a.IndexOf('=');
                var value = a[(at + 1)..];
                if (Regex.Match(value, "^(.)×([0-9]+)$") is { Success: true } repeat)
                    value = new string(repeat.Groups[1].Value[0], int.Parse(repeat.Groups[2].Value));
                cells[Column(a[..at].Trim())] = value;
            }
            return string.Join(',', cells);
        }

        Match m;
        if ((m = Regex.Match(mutation, @"^as provider (\S+)$")).Success) return (encoding.GetBytes(example), $"rules-{m.Groups[1].Value}",
            null);
        if ((m = Regex.Match(mutation, @"^as type (\S+)$")).Success) return (encoding.GetBytes(example), null, m.Groups[1].Value);
        if (mutation == "empty") return ([], null, null);
        if (mutation == "header only") lines = [lines[0]];
        else if (mutation == "blank line 1") lines.Insert(0, "");
        else if (mutation == "semicolons") lines = [.. lines.Select(l => l.Replace(',', ';'))];
        else if ((m = Regex.Match(mutation, @"^remove column (\S+)$")).Success)
        {
            var c = Column(m.Groups[1].Value);
            lines = [.. lines.Select(l => string.Join(',', l.Split(',').Where((_, i) => i != c)))];
        }
        else if ((m = Regex.Match(mutation, @"^rename column (\S+) to (\S+)$")).Success)
        {
            header[Column(m.Groups[1].Value)] = m.Groups[2].Value;
            lines[0] = string.Join(',', header);
        }
        else if ((m = Regex.Match(mutation, @"^extra cell L(\d+)$")).Success) lines[int.Parse(m.Groups[1].Value) - 1] += ",extra";
        else if ((m = Regex.Match(mutation, @"^every line (.+)$")).Success)
            lines = [lines[0], .. lines.Skip(1).Select(l => Set(l, m.Groups[1].Value))];
        else if ((m = Regex.Match(mutation, @"^copy L(\d+)(?: (.+))?$")).Success)
            lines.Add(Set(lines[int.Parse(m.Groups[1].Value) - 1], m.Groups[2].Value));
        else if ((m = Regex.Match(mutation, @"^(windows-1252 )?L(\d+) (.+)$")).Success)
        {
            var at = int.Parse(m.Groups[2].Value) - 1;
            lines[at] = Set(lines[at], m.Groups[3].Value);
            // Latin-1 and Windows-1252 agree on every letter used here.
            if (m.Groups[1].Success) encoding = Encoding.Latin1;
        }
        else throw new ArgumentException($"Unknown mutation '{mutation}'");

        return (encoding.GetBytes(string.Join(newline, lines) + newline), null, null);
    }
}
