namespace YouthJustice.Pipeline.Ingestion;

/// <summary>
/// An upload whose path is not <c>{provider}/{dropType}/{file}</c> under <see cref="Storage.NameRules"/>. Thrown before
/// the blob is read or anything is written: no receipt, ledger row or audit row can be keyed on a name that could leave
/// its folder or break a table key. The upload itself stays where it is, and retention lists it for review.
/// </summary>
public sealed class InvalidDropPathException(string message) : ArgumentException(message);
