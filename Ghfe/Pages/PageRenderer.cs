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

    private static readonly string[] Names = [LayoutName, PartsName, "usage", "history", "routing", "explain", "deliveries"];

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
    public string Render(string page, object model, Func<RawHtml, Layout> layout)
    {
        var body = new RawHtml(RenderOne(page, model));
        return RenderOne(LayoutName, layout(body));
    }

    private string RenderOne(string name, object model)
    {
        var globals = new ScriptObject();
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
