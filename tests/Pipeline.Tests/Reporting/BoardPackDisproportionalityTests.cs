using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Kpis.Families;
using YouthJustice.Pipeline.Reporting;

namespace YouthJustice.Pipeline.Tests.Reporting;

/// <summary>
/// The same groups, 8 of 10 against White's 2 of 20: counted in children the difference is significant (z = 3.83); counted
/// in hours or sessions, one child's hours move together, so the board pack must not claim significance from them.
/// </summary>
public sealed class BoardPackDisproportionalityTests
{
    private static readonly KpiGroup[] Groups =
    [
        new() { Group = "Black or Black British", Numerator = 8, Denominator = 10 },
        new() { Group = BoardPackDisproportionality.EthnicityReference, Numerator = 2, Denominator = 20 },
    ];

    [Fact]
    public void Children_get_a_significance_test()
    {
        var black = BoardPackDisproportionality.Indices(EteKpi.Id, ChildProfiles.Ethnicity, Groups)[0];

        Assert.Equal(8.0, black.Rri!.Value, 6);
        Assert.True(black.Significant);
    }

    [Theory]
    [InlineData(EteKpi.HoursAttended)]
    [InlineData(KpiIds.SchoolAttendance)]
    [InlineData(AttendanceMeasures.SessionsLostPtt)]
    [InlineData(CollegeMeasures.Attendance)]
    public void Hours_and_sessions_get_a_rate_index_but_no_test(string kpiId)
    {
        var black = BoardPackDisproportionality.Indices(kpiId, ChildProfiles.Ethnicity, Groups)[0];

        Assert.Equal(8.0, black.Rri!.Value, 6);
        Assert.Null(black.Significant);
        Assert.False(BoardPackDisproportionality.Testable(kpiId));
    }
}
