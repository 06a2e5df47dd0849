using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Privacy;

namespace YouthJustice.Pipeline.Tests.Periods;

public sealed class PeriodAndGeneraliseTests
{
    [Theory]
    [InlineData("2026-Q1", "2025/26 Q4", "2026-01-01", "2026-03-31")]
    [InlineData("2026-Q2", "2026/27 Q1", "2026-04-01", "2026-06-30")]
    [InlineData("2026-Q4", "2026/27 Q3", "2026-10-01", "2026-12-31")]
    public void Quarters_carry_the_yjb_financial_year_label(string text, string label, string start, string end)
    {
        var q = Quarter.Parse(text);
        Assert.Equal(label, q.FinancialYearLabel);
        Assert.Equal(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), q.Start);
        Assert.Equal(DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture), q.End);
        Assert.Equal(text, q.ToString());
    }

    [Theory]
    [InlineData("2026-Q5")]
    [InlineData("2026Q1")]
    [InlineData("Q1-2026")]
    public void Malformed_quarters_are_refused(string text) => Assert.False(Quarter.TryParse(text, out _));

    [Fact]
    public void Age_is_in_completed_years()
    {
        var dob = new DateOnly(2010, 7, 2);
        Assert.Equal(15, Generalise.AgeOn(dob, new DateOnly(2026, 7, 1)));
        Assert.Equal(16, Generalise.AgeOn(dob, new DateOnly(2026, 7, 2)));
        Assert.Equal(16, Generalise.AgeOn(new DateOnly(2008, 2, 29), new DateOnly(2024, 2, 29)));
    }

    [Fact]
    public void Born_on_29_February_a_child_has_their_birthday_on_1_March_in_other_years()
    {
        var leapling = new DateOnly(2012, 2, 29);
        Assert.Equal(13, Generalise.AgeOn(leapling, new DateOnly(2026, 2, 28)));
        Assert.Equal(14, Generalise.AgeOn(leapling, new DateOnly(2026, 3, 1)));
        Assert.Equal(16, Generalise.AgeOn(leapling, new DateOnly(2028, 2, 29)));
    }

    [Theory]
    [InlineData("SW1A 1AA", "SW1A")]
    [InlineData("ls62ab", "LS6")]
    [InlineData("LS11 5QP", "LS11")]
    [InlineData("M1 1AE", "M1")]
    [InlineData("NOT A POSTCODE", null)]
    [InlineData("12345", null)]
    public void Postcodes_keep_only_their_district(string postcode, string? district) =>
        Assert.Equal(district, Generalise.PostcodeDistrict(postcode));
}
