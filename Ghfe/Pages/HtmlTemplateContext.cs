using System.Net;
using Scriban;
using Scriban.Parsing;

namespace Ghfe.Pages;

/// <summary>
/// Escaping by construction: every value a template writes is HTML-encoded (quotes included,
/// so attributes are safe too) unless it is a <see cref="RawHtml"/>. No template can forget.
/// Literal template text is not a value and is written as it is.
/// </summary>
public sealed class HtmlTemplateContext : TemplateContext
{
    public HtmlTemplateContext()
    {
        StrictVariables = true;
        EnableRelaxedMemberAccess = false;

        // The templates are ours and the data is what the database holds: a busy hour has
        // more than Scriban's default 1,000 iterations, and the page must still render.
        LoopLimit = int.MaxValue;
    }

    public override TemplateContext Write(SourceSpan span, object? textAsObject) => textAsObject switch
    {
        null => this,
        RawHtml raw => Write(raw.Html),
        _ => Write(WebUtility.HtmlEncode(ObjectToString(textAsObject))),
    };
}
