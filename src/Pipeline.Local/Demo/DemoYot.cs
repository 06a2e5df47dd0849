using System.Globalization;

namespace YouthJustice.Pipeline.Local.Demo;

/// <summary>The YOT's nine case-level drops, written from <see cref="DemoCohort"/>, each with a few deliberate mistakes.</summary>
internal static class DemoYot
{
    public static readonly string[] ChildrenColumns =
        ["yot_case_ref", "upn", "uln", "legal_surname", "legal_forename", "date_of_birth", "sex", "ethnicity", "postcode",
            "local_resident"];
    public static readonly string[] InterventionColumns =
        ["yot_case_ref", "intervention_id", "disposal_type", "legal_outcome_date", "start_date", "end_date", "changed_on_appeal",
            "oocd_completed"];
    public static readonly string[] OffenceColumns =
        ["yot_case_ref", "offence_id", "intervention_id", "offence_date", "outcome_date", "category", "seriousness_score", "outcome_group"];
    public static readonly string[] AccommodationColumns = ["yot_case_ref", "start_date", "end_date", "accommodation_type", "suitability"];
    public static readonly string[] EteColumns = ["yot_case_ref", "start_date", "end_date", "provision_type", "suitability",
        "hours_offered", "hours_attended"];
    public static readonly string[] SendColumns = ["yot_case_ref", "start_date", "end_date", "identified_need", "formal_plan", "plan_type"];
    public static readonly string[] HealthColumns =
        ["yot_case_ref", "area", "date_screened", "date_referred", "date_offered", "date_attended_start", "date_attended_end",
            "intervention_type"];
    public static readonly string[] CareColumns = ["yot_case_ref", "status", "start_date", "end_date"];
    public static readonly string[] VictimColumns =
    [
        "yot_case_ref", "offence_id", "victim_id", "victim_type", "consented_to_contact", "view_sought_before_decision",
            "progress_requested",
        "progress_provided", "support_requested", "support_information_provided", "engaged_with_rj",
    ];

    public static readonly (string DropType, string[] Columns)[] DropTypes =
    [
        ("yot-children", ChildrenColumns), ("yot-interventions", InterventionColumns), ("yot-offences", OffenceColumns),
        ("yot-accommodation", AccommodationColumns), ("yot-ete", EteColumns), ("yot-send", SendColumns), ("yot-health", HealthColumns),
        ("yot-care-status", CareColumns), ("yot-victims", VictimColumns),
    ];

    /// <summary>yot-children first (it defines the cohort), then interventions (offences refer to them), then the rest.</summary>
    public static IEnumerable<DemoDrop> Write(string directory, DemoCohort cohort, DemoRandom rng)
    {
        var children = cohort.Children;
        DemoDrop Drop(string dropType, string[] columns, List<string[]> rows, params Fault[] faults) =>
            DemoCsv.Write(directory, DemoData.Yot, dropType, dropType, columns, DemoCsv.Spoil(rng, rows, columns, faults));
        static string[] SpellRow(string caseRef, Spell s) => [caseRef, DemoCsv.Date(s.Start), DemoCsv.Date(s.End), s.Type, s.Suitability];

        yield return Drop("yot-children", ChildrenColumns, children.Select(c => new[]
            {
                c.CaseRef, c.Upn, c.Uln, c.Person.Surname, c.Person.Forename, DemoCsv.Date(c.Person.DateOfBirth, c.UkDateOfBirth),
                c.Person.Sex, c.Ethnicity, c.Postcode, DemoCsv.Flag(c.LocalResident),
            }).ToList(),
            new("upn", (upn, _) => DemoCsv.WrongCheckLetter(upn)),
            new("date_of_birth", (_, _) => "31/04/2011"),
            new("ethnicity", (_, _) => ""));

        var start = Array.IndexOf(InterventionColumns, "start_date");
        yield return Drop("yot-interventions", InterventionColumns, children.SelectMany(c => c.Interventions).Select(i => new[]
            {
                i.CaseRef, i.Id, i.Disposal.Code, DemoCsv.Date(i.OutcomeDate), DemoCsv.Date(i.Start), DemoCsv.Date(i.End),
                DemoCsv.Flag(i.ChangedOnAppeal), DemoCsv.Flag(i.OocdCompleted),
            }).ToList(),
            // Keyed in as the date the order was made rather than when it ended: a fortnight before the start.
            new("end_date", (_, row) => DemoCsv.Date(DemoCsv.ParseDate(row[start]).AddDays(-14))),
            new("legal_outcome_date", (_, _) => "2026-13-01"),
            new("disposal_type", (_, _) => ""));

        var offenceDate = Array.IndexOf(OffenceColumns, "offence_date");
        yield return Drop("yot-offences", OffenceColumns, cohort.Offences.Select(o => new[]
            {
                o.CaseRef, o.Id, o.InterventionId ?? "", DemoCsv.Date(o.OffenceDate), DemoCsv.Date(o.OutcomeDate), o.Category,
                o.Score.ToString(CultureInfo.InvariantCulture), o.OutcomeGroup,
            }).ToList(),
            new("seriousness_score", (_, _) => "9"),
            new("category", (_, _) => "ARSON"), // a Home Office offence group, not one of the YJB categories
            new("outcome_date", (_, row) => DemoCsv.Date(DemoCsv.ParseDate(row[offenceDate]).AddDays(-3))));

        yield return Drop("yot-accommodation", AccommodationColumns,
            children.SelectMany(c => c.Accommodation.Select(s => SpellRow(c.CaseRef, s))).ToList(),
            new("accommodation_type", (_, _) => "HOSTEL"),
            new("suitability", (_, _) => "SUITABLE_WITH_SUPPORT"));

        yield return Drop("yot-ete", EteColumns, children.SelectMany(c => c.Ete.Select(s => new[]
            {
                c.CaseRef, DemoCsv.Date(s.Start), DemoCsv.Date(s.End), s.Type, s.Suitability, DemoCsv.Number(s.HoursOffered),
                    DemoCsv.Number(s.HoursAttended),
            })).ToList(),
            new("hours_offered", (_, _) => "250"), // hours per term typed into the weekly column
            new("provision_type", (_, _) => "HOME_TUITION"));

        yield return Drop("yot-send", SendColumns, children.SelectMany(c => c.Send).Select(r => (string[])r.Clone()).ToList(),
            new Fault("plan_type", (_, _) => "")); // a formal plan without its type

        var area = Array.IndexOf(HealthColumns, "area");
        yield return Drop("yot-health", HealthColumns, children.SelectMany(c => c.Health).Select(r => (string[])r.Clone()).ToList(),
            // A substance misuse level recorded against a mental health screening.
            new("intervention_type", (_, row) => row[area] == "MENTAL_HEALTH" ? "TARGETED_INTERVENTION" : "GETTING_HELP"),
            new("date_referred", (cell, _) => DemoCsv.Date(DemoCsv.ParseDate(cell).AddYears(-1))));

        yield return Drop("yot-care-status", CareColumns, children.SelectMany(c => c.Care.Select(s => new[]
            {
                c.CaseRef, s.Type, DemoCsv.Date(s.Start), DemoCsv.Date(s.End),
            })).ToList(),
            new Fault("status", (_, _) => "CHILD_IN_CARE")); // not the code list's LOOKED_AFTER

        yield return Drop("yot-victims", VictimColumns, cohort.Victims.Select(r => (string[])r.Clone()).ToList(),
            new Fault("consented_to_contact", (_, _) => "maybe"));
    }
}
