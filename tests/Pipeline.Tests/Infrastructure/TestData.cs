using System.Text;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Drops.Validation;

namespace YouthJustice.Pipeline.Tests.Infrastructure;

/// <summary>Agreements, identifiers and CSV files for tests, built by hand so tests do not lean on the demo generator.</summary>
public static class TestData
{
    public static readonly DateOnly LongAgo = new(2020, 1, 1);
    public static readonly DateOnly FarAhead = new(2030, 12, 31);

    /// <summary>
    /// The row path's context for a drop type made up by a test (<paramref name="schema"/>), sent by provider "p" under an
    /// agreement sharing every column of it, pseudonymised with the test key.
    /// </summary>
    public static Pipeline.Ingestion.DropContext RowPathContext(DropSchema schema)
    {
        var agreement = Agreement("p", "y", ["yot-children"], kind: "yot") with
        {
            DropTypes = [new AgreedDropType { DropType = schema.Name, Columns = [.. schema.Fields.Select(f => f.Name)] }],
        };
        var pseudonymiser = new Pipeline.Privacy.Pseudonymiser(Microsoft.Extensions.Options.Options.Create(
            new Pipeline.Privacy.PseudonymisationOptions { Key = PipelineFixture.TestKey }));
        return new Pipeline.Ingestion.DropContext("p", schema.Name, schema, agreement, agreement.DropTypes[0], DateTimeOffset.UtcNow,
            pseudonymiser);
    }

    /// <summary>The kind of provider that sends a drop type, as its agreement names it.</summary>
    public static string ProviderKindOf(string dropType) => dropType switch
    {
        _ when dropType.StartsWith("yot-", StringComparison.Ordinal) => "yot",
        _ when dropType.StartsWith("school-", StringComparison.Ordinal) => "school",
        "college-enrolment" => "college",
        _ => "board-secretariat",
    };

    /// <summary>An agreement covering every column of each drop type named (optionally leaving some out).</summary>
    public static Agreement Agreement(string provider, string yot, string[] dropTypes, string kind = "school",
        DateOnly? from = null, DateOnly? to = null, double threshold = 0.5, string[]? withhold = null,
        IReadOnlyDictionary<string, string>? aliases = null) => new()
    {
        Id = $"ISA-{provider}",
        Provider = new AgreementProvider { Id = provider, Kind = kind, Name = $"Test {provider}" },
        Yot = yot,
        Purpose = "Monitoring education outcomes of children known to the YOT.",
        LawfulBasis = "Crime and Disorder Act 1998 s.115; UK GDPR Art. 6(1)(e)",
        ValidFrom = from ?? LongAgo,
        ValidTo = to ?? FarAhead,
        DropTypes = dropTypes.Select(t => new AgreedDropType
        {
            DropType = t,
            Columns = SchemaCatalogue.Default.Get(t).Fields.Select(f => f.Name).Except(withhold ?? []).ToList(),
            HeaderAliases = aliases,
        }).ToList(),
        Retention = new RetentionPolicy { RawDropDays = 30, QuarantineDays = 30, CuratedDays = 2555 },
        RowErrorThreshold = threshold,
    };

    /// <summary>A valid UPN: LA 931, establishment 4000, year 12, the serial given, with its check letter.</summary>
    public static string Upn(int serial)
    {
        var twelve = $"931400012{serial:000}";
        return UpnCheck.CheckLetter(twelve) + twelve;
    }

    /// <summary>The same UPN with a check letter that does not match.</summary>
    public static string UpnWithWrongCheckLetter(int serial)
    {
        var good = Upn(serial);
        var wrong = good[0] == 'A' ? 'B' : 'A';
        return wrong + good[1..];
    }

    public static string Csv(params string[] lines) => string.Join("\r\n", lines) + "\r\n";

    public const string ChildrenHeader =
        "yot_case_ref,upn,uln,legal_surname,legal_forename,date_of_birth,sex,ethnicity,postcode,local_resident";
    public const string InterventionsHeader =
        "yot_case_ref,intervention_id,disposal_type,legal_outcome_date,start_date,end_date,changed_on_appeal,oocd_completed";
    public const string OffencesHeader =
        "yot_case_ref,offence_id,intervention_id,offence_date,outcome_date,category,seriousness_score,outcome_group";
    public const string VictimsHeader = "yot_case_ref,offence_id,victim_id,victim_type,consented_to_contact,view_sought_before_decision," +
        "progress_requested,progress_provided,support_requested,support_information_provided,engaged_with_rj";
    public const string AttendanceHeader = "upn,legal_surname,legal_forename,date_of_birth,urn,session_date,session,attendance_code";

    /// <summary>Session marks for one pupil: one row per code, on consecutive sessions from a Monday.</summary>
    public static IEnumerable<string> Marks(string upn, string surname, string dob, string urn, DateOnly monday, params string[] codes)
    {
        for (var i = 0; i < codes.Length; i++)
        {
            var day = monday.AddDays(i / 2 % 5 + i / 10 * 7);
            yield return $"{upn},{surname},Alex,{dob},{urn},{day:yyyy-MM-dd},{(i % 2 == 0 ? "AM" : "PM")},{codes[i]}";
        }
    }

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
