using System.Text.Json;
using System.Text.Json.Serialization;

namespace YouthJustice.Pipeline.Drops.Schemas;

/// <summary>
/// What the gate's minimise step does with a field before anything is stored (<c>x-privacy.action</c> in a schema,
/// written in kebab case: <c>pseudonymise</c>, <c>remove</c>, <c>age</c>, <c>date-of-birth</c>, <c>postcode-district</c>).
/// An action the gate does not know refuses the schema when it loads: a field whose treatment nobody implemented must
/// not reach curated storage as sent.
/// </summary>
[JsonConverter(typeof(PrivacyActionConverter))]
public enum PrivacyAction
{
    /// <summary>A keyed pseudonym in the column <see cref="PrivacyTreatment.As"/>, under the key of <see
    /// cref="PrivacyTreatment.Domain"/>.</summary>
    Pseudonymise,

    /// <summary>Checked at the gate, then dropped: nothing of it is stored.</summary>
    Remove,

    /// <summary>A date of birth kept only as the age in whole years on the day the file arrived.</summary>
    Age,

    /// <summary>The date of birth and the age: the YOT's own children only (ages on other days need the date).</summary>
    DateOfBirth,

    /// <summary>A postcode kept only as its district (LS6 2AB → LS6).</summary>
    PostcodeDistrict,
}

/// <summary>The schema's kebab-case names; anything else is refused with the names that would be accepted.</summary>
public sealed class PrivacyActionConverter : JsonConverter<PrivacyAction>
{
    private static readonly Dictionary<string, PrivacyAction> Actions =
        Enum.GetValues<PrivacyAction>().ToDictionary(NameOf, StringComparer.Ordinal);

    /// <summary>The action as a schema writes it.</summary>
    public static string NameOf(PrivacyAction action) => JsonNamingPolicy.KebabCaseLower.ConvertName(action.ToString());

    public override PrivacyAction Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (name is not null && Actions.TryGetValue(name, out var action)) return action;
        throw new JsonException(
            $"'{name ?? reader.TokenType.ToString()}' is not a privacy action the gate knows; use one of " +
            $"{string.Join(", ", Actions.Keys)}.");
    }

    public override void Write(Utf8JsonWriter writer, PrivacyAction value, JsonSerializerOptions options) =>
        writer.WriteStringValue(NameOf(value));
}
