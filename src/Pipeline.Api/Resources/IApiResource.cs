namespace YouthJustice.Pipeline.Api.Resources;

/// <summary>
/// One resource of the API (KPIs, a KPI's children, drops, receipts, returns, the board pack): its routes and their
/// handlers. What every request shares — the token, the checks of route values before any work, the audit row in every
/// outcome — is <see cref="PipelineApi"/>'s, so a handler only authorises the caller for its resource and answers.
/// </summary>
public interface IApiResource
{
    IReadOnlyList<ApiEndpoint> Endpoints { get; }
}
