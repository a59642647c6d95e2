using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Scriban;
using Scriban.Runtime;

namespace Ghfe.Pages;

/// <summary>
/// The Scriban templates of <c>templates/</c>, parsed once (a parsed Template is thread-safe);
/// each render gets its own <see cref="HtmlTemplateContext"/> (a context is not).
/// </summary>
public sealed class PageRenderer
{
    public const string LayoutName = "layout";

    /// <summary>Functions every page may call (job_link, status_badge, label_list); they write nothing when defined.</summary>
    public const string PartsName = "parts";

    private static readonly string[] Names = [LayoutName, PartsName, "usage", "history", "routing", "explain", "deliveries", "delivery", "job", "error", "setup"];

    private readonly IReadOnlyDictionary<string, Template> _templates;

    private PageRenderer(IReadOnlyDictionary<string, Template> templates)
    {
        _templates = templates;
        ContentSecurityPolicy = PolicyFor(RenderOne(LayoutName, new Layout("", "", "", 0, "", "", "", "", "", "", new RawHtml(""))).Html);
    }

    public static string ShippedDirectory => Path.Combine(AppContext.BaseDirectory, "templates");

    /// <summary>
    /// The pages' Content-Security-Policy: no script at all, the layout's own style sheet by its
    /// hash (no inline style attribute), forms and images from ghfe only, and never in a frame.
    /// </summary>
    public string ContentSecurityPolicy { get; }

    /// <summary>Parses every page template; a missing or broken one is an exception naming it and where.</summary>
    public static PageRenderer Load(string directory)
    {
        var templates = new Dictionary<string, Template>(StringComparer.Ordinal);
        foreach (var name in Names)
        {
            var path = Path.Combine(directory, $"{name}.html");
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"page template {path} is missing");
            }

            var template = Template.Parse(File.ReadAllText(path), path);
            if (template.HasErrors)
            {
                throw new InvalidOperationException($"page template {path}: {string.Join("; ", template.Messages)}");
            }

            templates[name] = template;
        }

        var renderer = new PageRenderer(templates);
        if (renderer.RenderOne(PartsName, new ScriptObject()).Html.Length > 0)
        {
            throw new InvalidOperationException($"page template {Path.Combine(directory, PartsName)}.html must only define functions, and writes text");
        }

        return renderer;
    }

    /// <summary>Renders the page's template with <paramref name="model"/>, then the layout around it.</summary>
    /// <param name="token">The pages token when it came in the query string: links to other pages carry it (<c>token</c>; <c>token_query</c> "?token=…", <c>token_param</c> "&amp;token=…").</param>
    public string Render(string page, object model, Func<RawHtml, Layout> layout, string? token = null)
    {
        var (body, context) = RenderOne(page, model, token);
        return RenderOne(LayoutName, layout(new RawHtml(ShortenedNotice(context.RowsCut, context.ValuesCut) + body)), token).Html;
    }

    /// <summary>What a page says at its top when <see cref="HtmlTemplateContext"/> had to shorten it; nothing when it did not.</summary>
    private static string ShortenedNotice(bool rowsCut, bool valuesCut)
    {
        var values = string.Create(CultureInfo.InvariantCulture, $"values over {HtmlTemplateContext.MaxValueLength:N0} characters end in “…”");
        var what = (rowsCut, valuesCut) switch
        {
            (false, false) => null,
            (true, false) => string.Create(CultureInfo.InvariantCulture, $"it was too long to show whole (over {HtmlTemplateContext.PageBudget:N0} characters), so its lists stop after the rows that fit"),
            (true, true) => string.Create(CultureInfo.InvariantCulture, $"it was too long to show whole (over {HtmlTemplateContext.PageBudget:N0} characters), so its lists stop after the rows that fit, and {values}"),
            (false, true) => values,
        };
        return what is null
            ? string.Empty
            : $"<p class=\"card shortened\" role=\"status\">This page is shortened: {what}. Narrow the filter or ask for fewer rows (per_page) to see the rest; the JSON variant has every row and value whole.</p>\n";
    }

    private static string PolicyFor(string layout)
    {
        var styles = Regex.Matches(layout, "<style>(.*?)</style>", RegexOptions.Singleline)
            .Select(style => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style.Groups[1].Value)))}'")
            .DefaultIfEmpty("'none'");
        return $"default-src 'none'; style-src {string.Join(' ', styles)}; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    }

    private (string Html, HtmlTemplateContext Context) RenderOne(string name, object model, string? token = null)
    {
        var globals = new ScriptObject
        {
            ["token"] = token ?? string.Empty,
            ["token_query"] = Links.TokenQuery(token),
            ["token_param"] = token is null ? string.Empty : $"&token={Uri.EscapeDataString(token)}",
        };
        globals.Import("image_name", new Func<string?, RawHtml>(ImageName.Breakable));
        globals.Import(model);
        var context = new HtmlTemplateContext();
        context.PushGlobal(globals);
        if (name != PartsName)
        {
            _templates[PartsName].Render(context);
        }

        return (_templates[name].Render(context), context);
    }
}
