using System.Globalization;

namespace YouthJustice.Pipeline.Periods;

/// <summary>A calendar quarter, written <c>YYYY-Qn</c> (Q1 = January to March).</summary>
public readonly record struct Quarter(int Year, int Number) : IComparable<Quarter>
{
    public DateOnly Start => new(Year, (Number - 1) * 3 + 1, 1);
    public DateOnly End => Start.AddMonths(3).AddDays(-1);

    /// <summary>The YJB's financial-year label: 2026-Q2 (April–June 2026) is "2026/27 Q1".</summary>
    public string FinancialYearLabel
    {
        get
        {
            var fyStart = Number == 1 ? Year - 1 : Year;
            var fq = Number == 1 ? 4 : Number - 1;
            return $"{fyStart}/{(fyStart + 1) % 100:00} Q{fq}";
        }
    }

    public static Quarter Of(DateOnly day) => new(day.Year, (day.Month - 1) / 3 + 1);

    public bool Contains(DateOnly day) => day >= Start && day <= End;

    public Quarter Previous() => Number == 1 ? new(Year - 1, 4) : new(Year, Number - 1);

    public static bool TryParse(string? text, out Quarter quarter)
    {
        quarter = default;
        if (text is null || text.Length != 7 || text[4] != '-' || (text[5] != 'Q' && text[5] != 'q')) return false;
        if (!int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)) return false;
        var n = text[6] - '0';
        if (n is < 1 or > 4) return false;
        quarter = new Quarter(year, n);
        return true;
    }

    public static Quarter Parse(string text) => TryParse(text, out var q) ? q : throw new FormatException(NotAQuarter(text));

    /// <summary>What every front end says of a period that is not a quarter.</summary>
    public static string NotAQuarter(string text) => $"'{text}' is not a quarter; write it as YYYY-Qn, e.g. 2026-Q2.";

    public int CompareTo(Quarter other) => (Year, Number).CompareTo((other.Year, other.Number));

    public override string ToString() => $"{Year:0000}-Q{Number}";

    public static bool operator <(Quarter a, Quarter b) => a.CompareTo(b) < 0;
    public static bool operator >(Quarter a, Quarter b) => a.CompareTo(b) > 0;
    public static bool operator <=(Quarter a, Quarter b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Quarter a, Quarter b) => a.CompareTo(b) >= 0;
}
