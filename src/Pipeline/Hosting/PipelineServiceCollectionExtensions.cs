using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using YouthJustice.Pipeline.Agreements;
using YouthJustice.Pipeline.Audit;
using YouthJustice.Pipeline.Ingestion;
using YouthJustice.Pipeline.Kpis;
using YouthJustice.Pipeline.Privacy;
using YouthJustice.Pipeline.Quality;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Submissions;

namespace YouthJustice.Pipeline.Hosting;

/// <summary>Wires the pipeline's stages for any host: the Functions app, the local runner, the tests.</summary>
public static class PipelineServiceCollectionExtensions
{
    public static IServiceCollection AddPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName));
        services.AddOptions<PseudonymisationOptions>().Bind(configuration.GetSection(PseudonymisationOptions.SectionName));
        services.AddOptions<KpiOptions>().Bind(configuration.GetSection(KpiOptions.SectionName));
        services.AddOptions<DisclosureOptions>().Bind(configuration.GetSection(DisclosureOptions.SectionName));
        services.AddOptions<Ingestion.IngestionOptions>().Bind(configuration.GetSection(Ingestion.IngestionOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IFaultInjector, NoFaults>();
        services.AddSingleton(sp => PipelineStorage.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton<Pseudonymiser>();
        services.AddSingleton<AgreementStore>();
        services.AddSingleton<DropLedger>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<PoisonMessageRecorder>();
        services.AddSingleton<Linkage.CohortCache>();
        services.AddSingleton<DropIngestor>();
        services.AddSingleton<OrphanSweep>();
        services.AddSingleton<KpiEngine>();
        services.AddSingleton<KpiStore>();
        services.AddSingleton<KpiRecomputeMarkers>();
        services.AddSingleton<KpiRecomputer>();
        services.AddSingleton<AreaPopulationStore>();
        services.AddSingleton<QualityReporter>();
        services.AddSingleton<Reporting.BoardPackBuilder>();
        services.AddSingleton<SubmissionLedger>();
        services.AddSingleton<QuarterlyReturns>();
        services.AddSingleton<IScheduledJob>(sp => sp.GetRequiredService<QuarterlyReturns>());
        services.AddSingleton<Retention.RetentionJob>();
        services.AddSingleton<IScheduledJob>(sp => sp.GetRequiredService<Retention.RetentionJob>());
        return services;
    }
}
