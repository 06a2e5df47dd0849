using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Drops.Schemas;
using YouthJustice.Pipeline.Privacy;

namespace YouthJustice.Pipeline.Ingestion;

/// <summary>Everything the row-level processing of one drop needs to know, settled by the gate.</summary>
public sealed record DropContext(
    string DropId,
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
