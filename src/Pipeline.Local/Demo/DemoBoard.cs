namespace YouthJustice.Pipeline.Local.Demo;

/// <summary>
/// The YOT management board's attendance from July 2024 to June 2026, sent by the board secretariat: one row per
/// sector per meeting (quarterly, with an extra meeting in 2026-Q2). Probation sent only a delegate in 2026-Q2, the
/// local violence reduction partnership joined as a new partner in April 2026, and education sent a delegate to
/// most meetings of 2024/25.
/// </summary>
internal static class DemoBoard
{
    public const string Provider = "demo-yot-board";
    public const string Name = "Northbridge Youth Justice Management Board secretariat";
    public static readonly string[] Columns = ["meeting_date", "sector", "attended", "senior", "new_partner"];
    private static readonly string[] Statutory = ["CHILDRENS_SOCIAL_CARE", "EDUCATION", "POLICE", "PROBATION", "HEALTH"];

    private static readonly DateOnly[] Meetings =
    [
        new(2024, 9, 12), new(2024, 12, 12), new(2025, 3, 13), new(2025, 6, 12), new(2025, 9, 11), new(2025, 12, 11),
        new(2026, 3, 12), new(2026, 4, 16), new(2026, 6, 18),
    ];

    public static DemoDrop Write(string directory, int seed)
    {
        var rng = new DemoRandom(seed);
        var rows = new List<string[]>();
        foreach (var meeting in Meetings)
        {
            foreach (var sector in Statutory)
            {
                var attended = rng.Chance(0.9);
                var senior = attended && rng.Chance(0.8);
                if (sector == "PROBATION" && meeting >= new DateOnly(2026, 4, 1)) (attended, senior) = (true, false); // a delegate only
                if (sector == "EDUCATION" && meeting < new DateOnly(2025, 6, 1)) senior = false;
                if (sector == "CHILDRENS_SOCIAL_CARE" || (sector == "POLICE" && meeting >= new DateOnly(2026, 4, 1))) (attended, senior) =
                    (true, true);
                if (sector == "HEALTH" && meeting == new DateOnly(2026, 6, 18)) (attended, senior) = (false, false);
                rows.Add([DemoCsv.Date(meeting), sector, DemoCsv.Flag(attended), DemoCsv.Flag(senior), "N"]);
            }
            // Other partners (the voluntary sector, the violence reduction partnership): one row per meeting.
            var joined = meeting == new DateOnly(2026, 4, 16);
            rows.Add([DemoCsv.Date(meeting), "OTHER", "Y", DemoCsv.Flag(joined || rng.Chance(0.5)), DemoCsv.Flag(joined)]);
        }
        // Minuted as senior though the apology was recorded: a query for the secretariat.
        rows[rows.FindIndex(r => r[0] == "2025-03-13" && r[1] == "HEALTH")] = ["2025-03-13", "HEALTH", "N", "Y", "N"];
        return DemoCsv.Write(directory, Provider, "board-attendance", "board-attendance-2024-07-to-2026-06", Columns, rows);
    }
}
