using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace YouthJustice.Pipeline.Api.Pages;

/// <summary>
/// The sender pages the pipeline generates from the drop schemas (<c>pipeline docs</c>, schemas/docs/), shown in the
/// provider pages as they are in the repository: Markdown rendered with raw HTML disabled, GOV.UK classes added, and
/// links between the pages pointed at the pages' own routes.
/// </summary>
public static class SenderPageMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseGenericAttributes().DisableHtml()
        .Build();

    public static Markup Render(string markdown, Func<string, string?> rewriteLink)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var node in document.Descendants())
        {
            switch (node)
            {
                case HeadingBlock h:
                    h.GetAttributes().AddClass(h.Level switch { 1 => "govuk-heading-l", 2 => "govuk-heading-m", _ => "govuk-heading-s" });
                    break;
                case ParagraphBlock p when p.Parent is MarkdownDocument:
                    p.GetAttributes().AddClass("govuk-body");
                    break;
                case ListBlock l:
                    l.GetAttributes().AddClass(l.IsOrdered ? "govuk-list govuk-list--number" : "govuk-list govuk-list--bullet");
                    break;
                case Table t:
                    t.GetAttributes().AddClass("govuk-table pages-sender-table");
                    break;
                case TableRow r:
                    r.GetAttributes().AddClass("govuk-table__row");
                    foreach (var cell in r.OfType<TableCell>()) cell.GetAttributes()
                        .AddClass(r.IsHeader ? "govuk-table__header" : "govuk-table__cell");
                    break;
                case FencedCodeBlock or CodeBlock:
                    ((Block)node).GetAttributes().AddClass("pages-code");
                    break;
                case LinkInline link:
                    link.GetAttributes().AddClass("govuk-link");
                    if (link.Url is { } url) link.Url = rewriteLink(url);
                    break;
            }
        }
        return new Markup(document.ToHtml(Pipeline));
    }
}
