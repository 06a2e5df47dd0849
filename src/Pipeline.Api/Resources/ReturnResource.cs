using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Storage;
using YouthJustice.Pipeline.Submissions;

namespace YouthJustice.Pipeline.Api.Resources;

/// <summary>The YJB returns of a YOT and quarter: every version built, its state and what changed.</summary>
public sealed class ReturnResource : IApiResource
{
    private readonly SubmissionLedger _ledger;

    public ReturnResource(PipelineStorage storage)
    {
        _ledger = new SubmissionLedger(storage);
        Endpoints =
        [
            new("GetSubmissions", ApiRoutes.Submissions,
                "The YJB returns of a YOT and quarter: every version, its state (built, superseded), what changed and why.",
                ApiRoles.Aggregates, [], SubmissionsAsync),
        ];
    }

    public IReadOnlyList<ApiEndpoint> Endpoints { get; }

    private async Task<ApiResult> SubmissionsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var yot = request.Path("yot");
        if (!Quarter.TryParse(request.Path("period"), out var quarter)) return ApiResult.BadPeriod(request.Path("period"));
        if (request.Caller!.ViewOf(yot) == AggregateView.None) return ApiResult.NotYourYot(yot);
        var versions = await _ledger.ListAsync(yot, quarter.ToString(), cancellationToken);
        if (versions.Count == 0) return ApiResult.NotFound($"No return built for {yot} in {quarter}.");
        return ApiResult.Ok(new { yot, period = quarter.ToString(), versions }, versions.Count);
    }
}
