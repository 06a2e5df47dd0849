namespace YouthJustice.Pipeline.Storage;

/// <summary>
/// Container, table and queue names (ARCHITECTURE.md §3). The Azure Functions attributes and the local runner both
/// use these constants, so the deployed triggers and the local host cannot drift apart.
/// </summary>
public static class StorageNames
{
    public const string DropsContainer = "drops";
    public const string QuarantineContainer = "quarantine";
    public const string ReceiptsContainer = "receipts";
    public const string CuratedContainer = "curated";
    public const string KpisContainer = "kpis";

    /// <summary>Each YOT's current view per drop type (a cache of the committed drops the KPI engine reads; rebuilt when
    /// missing).</summary>
    public const string CurrentContainer = "current";
    public const string SubmissionsContainer = "submissions";
    public const string ReportsContainer = "reports";

    public const string AgreementsTable = "Agreements";
    public const string DropsTable = "Drops";
    public const string KpiResultsTable = "KpiResults";
    public const string AuditTable = "Audit";

    /// <summary>The YJB returns' ledger: PartitionKey <c>{yot}|{period}</c>, RowKey <c>v{n:0000}</c>, one row per version.</summary>
    public const string SubmissionsTable = "Submissions";

    /// <summary>
    /// One row per pseudonymisation key version (PartitionKey <c>check</c>, RowKey the version): the check value of the
    /// key first used under that version, so a different key under the same label is caught before it writes a row.
    /// </summary>
    public const string PseudonymisationKeysTable = "PseudonymisationKeys";

    /// <summary>
    /// One row per YOT and quarter whose KPIs a drop (or retention) changed: PartitionKey the YOT, RowKey the quarter,
    /// <c>Requested</c> counting the changes asked for, <c>Computed</c> the last one whose results are stored.
    /// </summary>
    public const string KpiRecomputeTable = "KpiRecompute";

    /// <summary>Each YOT area's 10–17 population by year, with its source: PartitionKey the YOT, RowKey the year.</summary>
    public const string PopulationTable = "Population";

    public const string KpiRecomputeQueue = "kpi-recompute";

    /// <summary>Where the Functions queue trigger moves a <c>kpi-recompute</c> message that failed maxDequeueCount times.</summary>
    public const string KpiRecomputePoisonQueue = KpiRecomputeQueue + "-poison";

    /// <summary>
    /// Where the Functions blob trigger parks a drop that failed poisonBlobThreshold times (fixed by the blob
    /// extension, in the same storage account as the triggering blob).
    /// </summary>
    public const string BlobTriggerPoisonQueue = "webjobs-blobtrigger-poison";

    public static IReadOnlyList<string> Containers { get; } =
        [DropsContainer, QuarantineContainer, ReceiptsContainer, CuratedContainer, CurrentContainer, KpisContainer, SubmissionsContainer,
            ReportsContainer];

    public static IReadOnlyList<string> Tables { get; } = [AgreementsTable, DropsTable, KpiResultsTable, AuditTable, SubmissionsTable,
        PseudonymisationKeysTable, KpiRecomputeTable, PopulationTable];

    public static IReadOnlyList<string> Queues { get; } = [KpiRecomputeQueue];

    /// <summary>
    /// Filled only by the Functions runtime in Azure; the infrastructure creates them up front so their poison
    /// functions have a queue to listen on. The local runner neither creates nor reads them.
    /// </summary>
    public static IReadOnlyList<string> PoisonQueues { get; } = [KpiRecomputePoisonQueue, BlobTriggerPoisonQueue];
}

/// <summary>Trigger metadata shared by the Functions app and the local runner.</summary>
public static class Triggers
{
    /// <summary>Blob path of an upload: drops/{provider}/{dropType}/{name}.</summary>
    public const string DropBlobPath = StorageNames.DropsContainer + "/{provider}/{dropType}/{name}";

    /// <summary>The app setting holding the data storage connection (identity-based in Azure).</summary>
    public const string DataStorageConnection = "DataStorage";

    public const string IngestDropFunction = "IngestDrop";
    public const string ComputeKpisFunction = "ComputeKpis";

    /// <summary>Records a <c>kpi-recompute</c> message that kept failing (Azure only: the local runner has no poison queue).</summary>
    public const string ComputeKpisPoisonFunction = "ComputeKpisPoison";

    /// <summary>Records a drop the blob trigger gave up on (Azure only).</summary>
    public const string IngestDropPoisonFunction = "IngestDropPoison";

    /// <summary>The quarterly YJB returns (timer; schedule from <see cref="QuarterlyReturnsSchedule"/>).</summary>
    public const string SubmitKpiReturnsFunction = "SubmitKpiReturns";

    /// <summary>The configuration key of the quarterly returns' CRON expression (app setting Schedules__QuarterlyReturns).</summary>
    public const string QuarterlyReturnsSchedule = "Schedules:QuarterlyReturns";

    /// <summary>The timer trigger's binding expression: the schedule read from the app setting.</summary>
    public const string QuarterlyReturnsTimer = "%" + QuarterlyReturnsSchedule + "%";

    /// <summary>Blob folder of the YJB returns in the submissions container: yjb/{period}/{yot}/return-v{n}.json, .csv,
    /// manifest-v{n}.json.</summary>
    public const string YjbReturnsFolder = "yjb";

    /// <summary>Applies each agreement's retention, daily (timer; schedule from <see cref="RetentionSchedule"/>).</summary>
    public const string ApplyRetentionFunction = "ApplyRetention";

    /// <summary>The configuration key of the retention run's CRON expression (app setting Schedules__Retention).</summary>
    public const string RetentionSchedule = "Schedules:Retention";

    /// <summary>The retention timer's binding expression: the schedule read from the app setting.</summary>
    public const string RetentionTimer = "%" + RetentionSchedule + "%";

    /// <summary>The retention run's schedule when the setting is empty: 02:00 UTC every day.</summary>
    public const string RetentionDefaultSchedule = "0 0 2 * * *";

    /// <summary>The analysts' API (HTTP, ASP.NET Core integration): one function catching YouthJustice.Pipeline.Api.ApiRoutes, dispatched
    /// through the same handlers as <c>pipeline serve</c>.</summary>
    public const string QueryApiFunction = "QueryApi";
}
