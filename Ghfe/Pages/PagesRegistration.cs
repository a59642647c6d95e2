using Ghfe.Hosting;

namespace Ghfe.Pages;

public static class PagesRegistration
{
    /// <summary>
    /// Parses every template of <c>templates/</c> once, at start-up: a missing or broken one stops
    /// start-up with one line naming it, rather than failing the first request for its page.
    /// </summary>
    public static IServiceCollection AddPages(this IServiceCollection services)
    {
        PageRenderer pages;
        try
        {
            pages = PageRenderer.Load(PageRenderer.ShippedDirectory);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            throw new StartupException(e.Message);
        }

        return services.AddSingleton(pages);
    }
}
