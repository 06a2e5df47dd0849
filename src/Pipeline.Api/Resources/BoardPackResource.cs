using YouthJustice.Pipeline.Periods;
using YouthJustice.Pipeline.Reporting;

namespace YouthJustice.Pipeline.Api.Resources;

/// <summary>
/// The board pack of a YOT and quarter, one self-contained HTML page: the YOT's analysts and board get the internal
/// pack unless they ask for the published one; the YJB always gets the published pack (small numbers withheld).
/// </summary>
public sealed class BoardPackResource : IApiResource
{
    private readonly BoardPackBuilder _boardPacks;

    public BoardPackResource(BoardPackBuilder boardPacks)
    {
        _boardPacks = boardPacks;
        Endpoints =
        [
            new("GetBoardPack", ApiRoutes.BoardPack,
                "The board pack of a YOT and quarter: one self-contained HTML page. The YJB, and anyone asking with publish=true, gets " +
                    "the published pack (small numbers withheld).",
                ApiRoles.Aggregates,
                    [new("publish", "true for the pack as it may be published (disclosure control applied).", Type: "boolean")],
                    BoardPackAsync),
        ];
    }

    public IReadOnlyList<ApiEndpoint> Endpoints { get; }

    private async Task<ApiResult> BoardPackAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var yot = request.Path("yot");
        if (!Quarter.TryParse(request.Path("period"), out var quarter)) return ApiResult.BadPeriod(request.Path("period"));
        var view = request.Caller!.ViewOf(yot);
        if (view == AggregateView.None) return ApiResult.NotYourYot(yot);
        var publish = view == AggregateView.Suppressed || string.Equals(request.Get("publish"), "true", StringComparison.OrdinalIgnoreCase);
        return ApiResult.Page(await _boardPacks.BuildAsync(yot, quarter, new BoardPackOptions { Publish = publish }, cancellationToken));
    }
}
