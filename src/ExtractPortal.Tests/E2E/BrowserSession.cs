using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace ExtractPortal.Tests.E2E;

/// <summary>Debian's Chromium driven by Playwright (no browser download), plus helpers for the portal's pages.</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private static readonly string[] Args =
        ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly IPlaywright _playwright;
    public IBrowser Browser { get; }

    private BrowserSession(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public static async Task<BrowserSession> StartAsync()
    {
        if (!File.Exists(ChromiumPath)) throw new InvalidOperationException($"{ChromiumPath} is missing: run scripts/install-test-deps.sh (apt-get install chromium)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Args = Args, Headless = true });
        return new BrowserSession(playwright, browser);
    }

    /// <summary>A fresh browser context (own cookies) signed in through the development sign-in page.</summary>
    public async Task<IPage> SignInAsync(Uri baseAddress, string role)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = baseAddress.ToString().TrimEnd('/'), AcceptDownloads = true, ViewportSize = new() { Width = 1400, Height = 900 } });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/runs");
        await WaitForUrlAsync(page, url => url.Contains("/signin"));
        await page.GetByTestId($"signin-{role}").ClickAsync();
        await WaitForUrlAsync(page, url => url.Contains("/runs") && !url.Contains("/signin"));
        await WaitForCircuitAsync(page);
        return page;
    }

    /// <summary>
    /// Waits until the page's URL matches (navigation committed), not for the document's "load" event:
    /// the portal rewrites its URL in place (filters live in the query string), and a same-document URL
    /// change during a "load" wait can leave Playwright waiting for a load that never comes. Readiness is
    /// the circuit marker (<see cref="WaitForCircuitAsync"/>). On timeout, says where the page is.
    /// </summary>
    public static async Task WaitForUrlAsync(IPage page, Func<string, bool> matches)
    {
        try
        {
            await page.WaitForURLAsync(matches, new() { Timeout = 60_000, WaitUntil = WaitUntilState.Commit });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"the page stayed at {page.Url}: {e.Message}", e);
        }
    }

    /// <summary>Waits until the Blazor circuit is interactive (the layout sets a marker after its first interactive render).</summary>
    public static Task WaitForCircuitAsync(IPage page) =>
        page.Locator("#circuit-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    public static async Task GotoAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await WaitForCircuitAsync(page);
    }

    /// <summary>The input of a MudBlazor field carrying a data-testid (on the input itself or on its wrapper).</summary>
    public static ILocator Field(IPage page, string testId) =>
        page.Locator($"input[data-testid='{testId}'], textarea[data-testid='{testId}'], [data-testid='{testId}'] input, [data-testid='{testId}'] textarea").First;

    public static string RepositoryRoot
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "ExtractPortal.sln"))) folder = folder.Parent;
            return folder?.FullName ?? AppContext.BaseDirectory;
        }
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(RepositoryRoot, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    /// <summary>Runs axe on the page; fails on serious or critical violations.</summary>
    public static async Task AssertAccessibleAsync(IPage page, string name)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        var report = string.Join("\n", serious.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}"));
        Assert.True(serious.Count == 0, $"axe found serious violations on {name}:\n{report}");
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
