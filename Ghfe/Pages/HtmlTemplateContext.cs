using System.Net;
using Ghfe.Webhook;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Ghfe.Pages;

/// <summary>
/// Escaping by construction: every value a template writes is HTML-encoded (quotes included,
/// so attributes are safe too) unless it is a <see cref="RawHtml"/>. No template can forget.
/// Literal template text is not a value and is written as it is.
/// <para>
/// Bounded by construction too, and never cut mid-tag: a value longer than
/// <see cref="MaxValueLength"/> is shortened (ending in "…"), and once the page holds
/// <see cref="PageBudget"/> characters every loop stops at its next row, so the template still
/// closes its tables and the document. <see cref="RowsCut"/> and <see cref="ValuesCut"/> say so.
/// (Scriban's own output limit would instead drop whatever follows the limit, closing tags and all.)
/// </para>
/// </summary>
public sealed class HtmlTemplateContext : TemplateContext
{
    /// <summary>Characters a page's body may hold before its loops stop; a full page of 500 ordinary deliveries takes under a quarter of it (455,000).</summary>
    public const int PageBudget = 2 * 1024 * 1024;

    /// <summary>Longer than any name, label or link GitHub sends, a page's longest own link included.</summary>
    public const int MaxValueLength = 4000;

    public HtmlTemplateContext()
    {
        StrictVariables = true;
        EnableRelaxedMemberAccess = false;

        // The templates are ours and the data is what the database holds: a busy hour has
        // more than Scriban's default 1,000 iterations, and the page must still render.
        LoopLimit = int.MaxValue;
        OutputLimit = 0;
    }

    public bool RowsCut { get; private set; }

    public bool ValuesCut { get; private set; }

    public override TemplateContext Write(SourceSpan span, object? textAsObject) => textAsObject switch
    {
        null => this,
        RawHtml raw => Write(raw.Html),
        DeliveryOutcome outcome => Write(WebUtility.HtmlEncode(outcome.Wire())),
        _ => Write(WebUtility.HtmlEncode(Shortened(textAsObject as string ?? ObjectToString(textAsObject) ?? string.Empty))),
    };

    protected override bool OnStepLoop(ScriptLoopStatementBase loop)
    {
        if (Output is StringBuilderOutput output && output.Builder.Length > PageBudget)
        {
            RowsCut = true;
            return false;
        }

        return base.OnStepLoop(loop);
    }

    private string Shortened(string text)
    {
        if (text.Length <= MaxValueLength)
        {
            return text;
        }

        ValuesCut = true;
        var cut = char.IsHighSurrogate(text[MaxValueLength - 1]) ? MaxValueLength - 1 : MaxValueLength;
        return string.Concat(text.AsSpan(0, cut), "…");
    }
}
