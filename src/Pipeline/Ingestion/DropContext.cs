using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Privacy;

namespace YouthJustice.Pipeline.Ingestion;

/// <summary>
/// Everything the row-level processing of one drop needs to know, settled by the gate. Not the drop id: that is a hash of
/// every byte, known only when the rows have been read (<see cref="DropDownload"/>).
/// </summary>
public sealed record DropContext(
    string Provider,
    string DropType,
    DropSchema Schema,
    Agreement Agreement,
    AgreedDropType Terms,
    DateTimeOffset ReceivedAt,
    Pseudonymiser Pseudonymiser)
{
    public string Yot => Agreement.Yot;
    public DateOnly ArrivedOn => DateOnly.FromDateTime(ReceivedAt.UtcDateTime);
}
