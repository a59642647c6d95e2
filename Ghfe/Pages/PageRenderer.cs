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

    private static readonly string[] Names = [LayoutName, PartsName, "usage", "history", "routing", "explain", "deliveries", "job"];

    private readonly IReadOnlyDictionary<string, Template> _templates;

    private PageRenderer(IReadOnlyDictionary<string, Template> templates) => _templates = templates;

    public static string ShippedDirectory => Path.Combine(AppContext.BaseDirectory, "templates");

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
        if (renderer.RenderOne(PartsName, new ScriptObject()).Length > 0)
        {
            throw new InvalidOperationException($"page template {Path.Combine(directory, PartsName)}.html must only define functions, and writes text");
        }

        return renderer;
    }

    /// <summary>Renders the page's template with <paramref name="model"/>, then the layout around it.</summary>
    /// <param name="token">The pages token when it came in the query string: links to other pages carry it (<c>token</c>; <c>token_query</c> "?token=…", <c>token_param</c> "&amp;token=…").</param>
    public string Render(string page, object model, Func<RawHtml, Layout> layout, string? token = null)
    {
        var body = new RawHtml(RenderOne(page, model, token));
        return RenderOne(LayoutName, layout(body), token);
    }

    private string RenderOne(string name, object model, string? token = null)
    {
        var globals = new ScriptObject
        {
            ["token"] = token ?? string.Empty,
            ["token_query"] = Links.TokenQuery(token),
            ["token_param"] = token is null ? string.Empty : $"&token={Uri.EscapeDataString(token)}",
        };
        globals.Import(model);
        var context = new HtmlTemplateContext();
        context.PushGlobal(globals);
        if (name != PartsName)
        {
            _templates[PartsName].Render(context);
        }

        return _templates[name].Render(context);
    }
}
