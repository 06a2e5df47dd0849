using Azure;
using Azure.Data.Tables;
using YouthJustice.Pipeline.Storage;

namespace YouthJustice.Pipeline.Agreements;

/// <summary>The <c>Agreements</c> table: one row per agreement, PartitionKey = provider id, RowKey = agreement id.</summary>
public sealed class AgreementStore(PipelineStorage storage)
{
    private readonly TableClient _table = storage.Table(StorageNames.AgreementsTable);

    public async Task UpsertAsync(Agreement agreement, CancellationToken cancellationToken)
    {
        // The ids become table keys and storage paths: an agreement built in code is held to the same rule as a file.
        if (!NameRules.IsId(agreement.Provider.Id) || !NameRules.IsId(agreement.Yot))
            throw new InvalidAgreementException(agreement.Id, [$"provider.id and yot: use {NameRules.IdRule}"]);
        var entity = new TableEntity(agreement.Provider.Id, agreement.Id)
        {
            ["Yot"] = agreement.Yot,
            ["ValidFrom"] = agreement.ValidFrom.ToString("O"),
            ["ValidTo"] = agreement.ValidTo.ToString("O"),
            ["Document"] = AgreementDocument.Serialize(agreement),
        };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<Agreement>> ForProviderAsync(string providerId, CancellationToken cancellationToken)
    {
        var result = new List<Agreement>();
        await foreach (var e in _table.QueryAsync<TableEntity>(e => e.PartitionKey == providerId, cancellationToken: cancellationToken))
            result.Add(FromEntity(e));
        return result;
    }

    public async Task<IReadOnlyList<Agreement>> AllAsync(CancellationToken cancellationToken)
    {
        var result = new List<Agreement>();
        await foreach (var e in _table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
            result.Add(FromEntity(e));
        return result;
    }

    /// <summary>Loads every <c>*.json</c> agreement in a folder; all are checked before any is stored.</summary>
    public async Task<IReadOnlyList<Agreement>> LoadDirectoryAsync(string directory, CancellationToken cancellationToken)
    {
        var agreements = new List<Agreement>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
            agreements.Add(AgreementDocument.Parse(await File.ReadAllTextAsync(file, cancellationToken), Path.GetFileName(file)));
        foreach (var a in agreements) await UpsertAsync(a, cancellationToken);
        return agreements;
    }

    private static Agreement FromEntity(TableEntity e) =>
        AgreementDocument.Parse(e.GetString("Document") ?? throw new RequestFailedException($"Agreement {e.RowKey} has no document."),
            e.RowKey);
}
