using YouthJustice.Pipeline.Drops.Validation;

namespace YouthJustice.Pipeline.Agreements;

/// <summary>The first check of every drop: is there an agreement that lets this provider send this drop type today?</summary>
public static class AgreementGate
{
    public sealed record Decision(Agreement? Agreement, Rule? Refusal, string? Message)
    {
        public bool Allowed => Agreement is not null;
    }

    public static Decision Check(IReadOnlyList<Agreement> providerAgreements, string providerId, string dropType, DateOnly arrivedOn)
    {
        if (providerAgreements.Count == 0)
            return new(null, RuleCatalogue.AgreementUnknownProvider,
                $"No information-sharing agreement is registered for provider '{providerId}'.");

        var covering = providerAgreements.Where(a => a.Covering(dropType) is not null).ToList();
        if (covering.Count == 0)
            return new(null, RuleCatalogue.AgreementDropTypeNotCovered,
                $"The agreement(s) of '{providerId}' ({string.Join(", ", providerAgreements.Select(a => a.Id))}) do not cover drop type " +
                    $"'{dropType}'.");

        // Several may cover the type across renewals: the one in force wins; the latest start breaks a tie.
        var inForce = covering.Where(a => a.InForceOn(arrivedOn)).OrderByDescending(a => a.ValidFrom)
            .ThenBy(a => a.Id, StringComparer.Ordinal).FirstOrDefault();
        if (inForce is null)
            return new(null, RuleCatalogue.AgreementNotInForce,
                $"No agreement covering '{dropType}' is in force on {arrivedOn:yyyy-MM-dd}: " +
                string.Join(", ", covering.Select(a => $"{a.Id} runs {a.ValidFrom:yyyy-MM-dd} to {a.ValidTo:yyyy-MM-dd}")) + ".");

        return new(inForce, null, null);
    }
}
