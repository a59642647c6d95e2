using Microsoft.Playwright;

namespace Ghfe.Tests.Support;

/// <summary>Debian's Chromium, headless, driven by Playwright (no browser download), and the folder its screenshots go to.</summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private const string Executable = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    /// <summary>TestResults/screenshots at the repository's root, made when the browser starts.</summary>
    public static string Screenshots => Path.Combine(RepositoryRoot.Path, "TestResults", "screenshots");

    public IBrowser Browser { get; }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: apt-get install chromium (.ci/run does)");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Executable,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
            Directory.CreateDirectory(Screenshots);
            return new HeadlessChromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
