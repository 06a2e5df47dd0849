namespace YouthJustice.Pipeline.Kpis.Population;

/// <summary>Disposal types, their order-type group (the YJB template's columns) and their seriousness (docs/kpis.md §1).</summary>
public static class OrderTypes
{
    public const string Prevention = "PREVENTION";

    // Groups, as the YJB summary template heads its columns.
    public const string NonSubstantiveOocd = "Non-substantive out-of-court disposal";
    public const string YouthCaution = "Youth caution";
    public const string YouthConditionalCaution = "Youth conditional caution";
    public const string ReferralOrder = "Referral order";
    public const string Yro = "Youth rehabilitation order";
    public const string Custody = "Custodial sentence";

    public static IReadOnlyList<string> Groups { get; } = [NonSubstantiveOocd, YouthCaution, YouthConditionalCaution, ReferralOrder, Yro,
        Custody];

    /// <summary>The six out-of-court disposal types with YJS involvement (KPI 6's population).</summary>
    public static IReadOnlySet<string> OutOfCourt { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "COMMUNITY_RESOLUTION_WITH_YJS_INVOLVEMENT", "NFA_OUTCOME_22_WITH_YJS_INVOLVEMENT",
        "NFA_OUTCOME_22_DEFERRED_PROSECUTION_WITH_YJS_INVOLVEMENT", "NFA_OUTCOME_20_21_WITH_YJS_INVOLVEMENT",
        "YOUTH_CAUTION", "YOUTH_CONDITIONAL_CAUTION",
    };

    public static bool IsCustody(string disposal) => disposal.StartsWith("CUSTODY_", StringComparison.Ordinal);

    public static bool IsCourt(string disposal) => disposal is "REFERRAL_ORDER" or "YRO" || IsCustody(disposal);

    public static string GroupOf(string disposal) => disposal switch
    {
        "YOUTH_CAUTION" => YouthCaution,
        "YOUTH_CONDITIONAL_CAUTION" => YouthConditionalCaution,
        "REFERRAL_ORDER" => ReferralOrder,
        "YRO" => Yro,
        _ when IsCustody(disposal) => Custody,
        _ => NonSubstantiveOocd,
    };

    /// <summary>Higher is more serious: custody > YRO > referral order > youth conditional caution > youth caution > other
    /// out-of-court.</summary>
    public static int Seriousness(string disposal) => disposal switch
    {
        _ when IsCustody(disposal) => 5,
        "YRO" => 4,
        "REFERRAL_ORDER" => 3,
        "YOUTH_CONDITIONAL_CAUTION" => 2,
        "YOUTH_CAUTION" => 1,
        _ => 0,
    };
}
