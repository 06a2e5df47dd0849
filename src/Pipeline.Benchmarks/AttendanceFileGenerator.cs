using System.Globalization;
using System.Text;
using YouthJustice.Pipeline.Drops.Validation;

namespace YouthJustice.Pipeline.Benchmarks;

/// <summary>
/// A school-attendance drop of N pupils × school days × 2 sessions, and the yot-children drop that puts every
/// pupil in the cohort (so every row is linked and written, the most work the path can do).
/// </summary>
public static class AttendanceFileGenerator
{
    public static (string Attendance, string Children, long Rows) Write(string directory, int pupils, int days)
    {
        Directory.CreateDirectory(directory);
        var attendance = Path.Combine(directory, $"attendance-{pupils}.csv");
        var children = Path.Combine(directory, $"children-{pupils}.csv");
        var random = new Random(42);
        var schoolDays = SchoolDays(new DateOnly(2025, 9, 1), days);
        string[] codes = ["/", "\\", "/", "\\", "/", "\\", "L", "I", "M", "O", "C2", "B", "#"];

        using (var c = new StreamWriter(children, false, new UTF8Encoding(false), 1 << 16))
        {
            c.Write("yot_case_ref,upn,uln,legal_surname,legal_forename,date_of_birth,sex,ethnicity,postcode,local_resident\r\n");
            for (var p = 0; p < pupils; p++)
                c.Write($"B-{p:000000},{Upn(p)},,Surname{p},Forename,{Dob(p):yyyy-MM-dd},{1 + p % 2},WBRI,LS6 2AB,Y\r\n");
        }

        long rows = 0;
        using (var w = new StreamWriter(attendance, false, new UTF8Encoding(false), 1 << 20))
        {
            w.Write("upn,legal_surname,legal_forename,date_of_birth,urn,session_date,session,attendance_code\r\n");
            for (var p = 0; p < pupils; p++)
            {
                var prefix = $"{Upn(p)},Surname{p},Forename,{Dob(p):yyyy-MM-dd},{100000 + p % 40},";
                foreach (var day in schoolDays)
                {
                    var date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    w.Write(prefix); w.Write(date); w.Write(",AM,"); w.Write(codes[random.Next(codes.Length)]); w.Write("\r\n");
                    w.Write(prefix); w.Write(date); w.Write(",PM,"); w.Write(codes[random.Next(codes.Length)]); w.Write("\r\n");
                    rows += 2;
                }
            }
        }
        return (attendance, children, rows);
    }

    // LA 931, establishment = pupil / 1000, year 12, serial = pupil % 1000: unique up to ten million pupils.
    private static string Upn(int p)
    {
        var twelve = $"931{p / 1000:0000}12{p % 1000:000}";
        return UpnCheck.CheckLetter(twelve) + twelve;
    }

    private static DateOnly Dob(int p) => new DateOnly(2010, 1, 1).AddDays(p % 2000);

    private static List<DateOnly> SchoolDays(DateOnly from, int count)
    {
        var days = new List<DateOnly>(count);
        for (var d = from; days.Count < count; d = d.AddDays(1))
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) days.Add(d);
        return days;
    }
}
