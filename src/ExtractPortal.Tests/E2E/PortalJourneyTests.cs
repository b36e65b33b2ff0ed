using ExtractPortal.Features.Access;
using ExtractPortal.Features.Runs;
using ExtractPortal.Local;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Rendering;
using ExtractPortal.Pipeline.Sources;
using ExtractPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static ExtractPortal.Tests.E2E.BrowserSession;

namespace ExtractPortal.Tests.E2E;

/// <summary>The portal in a real browser: Debian's Chromium against the app on a free 127.0.0.1 port.</summary>
[Collection("browser")]
public sealed class PortalJourneyTests
{
    private static ExtractMonth LastMonth => ExtractMonth.PreviousOf(DateOnly.FromDateTime(DateTime.UtcNow));

    [Fact]
    public async Task Operator_runs_a_month_and_auditor_downloads_the_exact_file()
    {
        await using var app = PortalApp.Start();
        await using var browser = await StartAsync();
        var month = LastMonth.ToString();

        // Operator: the empty runs page, then a run for last month through the dialog.
        var op = await browser.SignInAsync(app.BaseAddress, Roles.Operator);
        await op.GetByTestId("runs-empty").WaitForAsync();
        await Assertions.Expect(op.GetByTestId("env-badge")).ToContainTextAsync("LOCAL");
        await Assertions.Expect(op.GetByTestId("signed-in-user")).ToContainTextAsync("operator");
        await AssertAccessibleAsync(op, "runs (empty)");

        await op.GetByTestId("open-backfill").ClickAsync();
        await Field(op, "backfill-from").FillAsync(month);
        await Field(op, "backfill-from").PressAsync("Tab");
        await Field(op, "backfill-reason").FillAsync("first extract of the month (end-to-end test)");
        await op.GetByTestId("backfill-preview").ClickAsync();
        await Assertions.Expect(op.GetByTestId("backfill-plan-summary")).ToContainTextAsync($"1 of 1 month(s) will run: {month}");
        await ScreenshotAsync(op, "backfill-dialog");
        await AssertAccessibleAsync(op, "backfill dialog");
        await op.GetByTestId("backfill-confirm").ClickAsync();
        var result = op.Locator($"[data-testid=backfill-results] li[data-month='{month}']");
        await result.WaitForAsync();
        var runId = await result.GetAttributeAsync("data-run-id");
        Assert.StartsWith("run-", runId);
        await op.GetByTestId("backfill-close").ClickAsync();

        // Watch it finish on the run's page (live state and log tail).
        await GotoAsync(op, $"/runs/{runId}");
        await Assertions.Expect(op.GetByTestId("run-state")).ToHaveTextAsync("succeeded", new() { Timeout = 120_000 });
        await Assertions.Expect(op.GetByTestId("log-view")).ToContainTextAsync("run succeeded");
        await Assertions.Expect(op.GetByTestId("control-totals")).ToBeVisibleAsync();
        await ScreenshotAsync(op, "run-detail");
        await AssertAccessibleAsync(op, "run detail");

        // The runs page: the finished run, its chart, and a filtered view reproduced from its URL.
        await GotoAsync(op, $"/runs?state=succeeded&month={month}");
        await Assertions.Expect(op.Locator("[data-testid=runs-grid] tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(op.Locator("[data-testid=runs-grid]")).ToContainTextAsync(runId!);
        await ScreenshotAsync(op, "runs");
        await AssertAccessibleAsync(op, "runs");
        await GotoAsync(op, "/runs?state=failed");
        await op.GetByTestId("runs-empty").WaitForAsync();

        // The extracts matrix and an extract view.
        await GotoAsync(op, "/extracts");
        var cell = op.Locator($"[data-testid=extracts-matrix] td[data-month='{month}'][data-status='published'] a").First;
        await cell.WaitForAsync();
        await ScreenshotAsync(op, "extracts");
        await AssertAccessibleAsync(op, "extracts");
        await cell.ClickAsync();
        await op.GetByTestId("preview").WaitForAsync();
        await Assertions.Expect(op.GetByTestId("download-auditors-only")).ToBeVisibleAsync();
        var extractUrl = new Uri(op.Url).PathAndQuery;
        await GotoAsync(op, "/backfill");
        await op.Locator("[data-testid=backfill]").First.WaitForAsync();
        await Assertions.Expect(op.GetByTestId("backfill-progress").First).ToContainTextAsync("1 of 1 months done");
        await ScreenshotAsync(op, "backfill");
        await AssertAccessibleAsync(op, "backfill");

        // Auditor: the same extract, downloaded, byte for byte the store's file; then the audit trail.
        var auditor = await browser.SignInAsync(app.BaseAddress, Roles.Auditor);
        await GotoAsync(auditor, extractUrl);
        await auditor.GetByTestId("preview").WaitForAsync();
        var sha = (await auditor.GetByTestId("extract-sha256").InnerTextAsync()).Trim();
        await ScreenshotAsync(auditor, "extract-view");
        await AssertAccessibleAsync(auditor, "extract view");
        var download = await auditor.RunAndWaitForDownloadAsync(() => auditor.GetByTestId("download").ClickAsync());
        var saved = Path.Combine(app.DataFolder, "downloaded.csv");
        await download.SaveAsAsync(saved);
        var token = extractUrl.Split('/')[2];
        var stored = await File.ReadAllBytesAsync(Path.Combine(app.StoreRoot, ExtractKeys.FileKey(token, LastMonth)));
        Assert.Equal(stored, await File.ReadAllBytesAsync(saved));
        Assert.Equal(Path.GetFileName(ExtractKeys.FileKey(token, LastMonth)), download.SuggestedFilename);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stored)), sha);

        await GotoAsync(auditor, "/audit");
        await Assertions.Expect(auditor.GetByTestId("audit-grid")).ToContainTextAsync("extract.downloaded");
        await Assertions.Expect(auditor.GetByTestId("audit-grid")).ToContainTextAsync("run.started");
        await ScreenshotAsync(auditor, "audit");
        await AssertAccessibleAsync(auditor, "audit");

        // Support: no Backfill or Audit in the navigation, and the audit page is refused.
        var support = await browser.SignInAsync(app.BaseAddress, Roles.Support);
        await Assertions.Expect(support.GetByRole(AriaRole.Link, new() { Name = "Audit" })).ToHaveCountAsync(0);
        await Assertions.Expect(support.GetByRole(AriaRole.Link, new() { Name = "Backfill" })).ToHaveCountAsync(0);
        await GotoAsync(support, "/audit");
        await Assertions.Expect(support.Locator("h1")).ToContainTextAsync("Not available for your role");
    }

    [Fact]
    public async Task Pages_are_reachable_and_usable_by_keyboard()
    {
        await using var app = PortalApp.Start();
        await using var browser = await StartAsync();
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString().TrimEnd('/') });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");
        await ScreenshotAsync(page, "signin");
        await AssertAccessibleAsync(page, "sign-in");
        // Sign in with the keyboard only: Tab to the operator's button, Enter.
        var reached = await TabUntilAsync(page, el => el.Contains("signin-operator"), 10);
        Assert.True(reached, "the operator sign-in button is not reachable by Tab");
        await page.Keyboard.PressAsync("Enter");
        await WaitForUrlAsync(page, url => url.Contains("/runs") && !url.Contains("/signin"));
        await WaitForCircuitAsync(page);
        await page.GetByTestId("runs-empty").WaitForAsync();

        var seen = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            seen.Add(await page.EvaluateAsync<string>("() => { const e = document.activeElement; return (e.getAttribute('data-testid') || '') + '|' + (e.getAttribute('href') || '') + '|' + (e.textContent || '').trim().slice(0, 40); }"));
        }
        var all = string.Join("\n", seen);
        foreach (var expected in new[] { "|/runs|", "|/extracts|", "|/backfill|", "open-backfill|", "Sign out" })
            Assert.Contains(expected, all);

        // Open the dialog from the keyboard and close it with Escape.
        await page.GetByTestId("open-backfill").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.GetByTestId("backfill-preview").WaitForAsync();
        await Field(page, "backfill-from").FocusAsync();   // keyboard focus inside the dialog
        // MudBlazor wires the dialog's Escape handler from JS just after it opens: allow it a moment.
        for (var attempt = 0; attempt < 10 && await page.GetByTestId("backfill-preview").CountAsync() > 0; attempt++)
        {
            await page.Keyboard.PressAsync("Escape");
            await page.WaitForTimeoutAsync(300);
        }
        await Assertions.Expect(page.GetByTestId("backfill-preview")).ToHaveCountAsync(0);

        await GotoAsync(page, "/access-denied");
        await ScreenshotAsync(page, "access-denied");
        await AssertAccessibleAsync(page, "access denied");
    }

    private static async Task<bool> TabUntilAsync(IPage page, Func<string, bool> match, int max)
    {
        for (var i = 0; i < max; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (match(await page.EvaluateAsync<string>("() => document.activeElement.outerHTML"))) return true;
        }
        return false;
    }

    [Fact]
    public async Task Two_browsers_clicking_at_once_get_the_same_run()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = PortalApp.Start(services =>
            services.AddSingleton<IOdsSourceProvider>(sp => new GatedSources(new OdsSourceProvider(
                sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ExtractPortal.Configuration.PortalOptions>>(), TimeProvider.System), gate.Task)));
        await using var browser = await StartAsync();
        var month = LastMonth.AddMonths(-1).ToString();

        var pages = new[] { await browser.SignInAsync(app.BaseAddress, Roles.Operator), await browser.SignInAsync(app.BaseAddress, Roles.Operator) };
        foreach (var page in pages)
        {
            await page.GetByTestId("open-backfill").ClickAsync();
            await Field(page, "backfill-from").FillAsync(month);
            await Field(page, "backfill-from").PressAsync("Tab");
            await Field(page, "backfill-reason").FillAsync("duplicate click test");
            await page.GetByTestId("backfill-preview").ClickAsync();
            await Assertions.Expect(page.GetByTestId("backfill-confirm")).ToBeEnabledAsync();
        }
        await Task.WhenAll(pages.Select(p => p.GetByTestId("backfill-confirm").ClickAsync()));

        var ids = new List<string?>();
        var already = new List<string?>();
        foreach (var page in pages)
        {
            var item = page.Locator($"[data-testid=backfill-results] li[data-month='{month}']");
            await item.WaitForAsync();
            ids.Add(await item.GetAttributeAsync("data-run-id"));
            already.Add(await item.GetAttributeAsync("data-already-active"));
        }
        Assert.Single(ids.Distinct());
        Assert.Equal(["false", "true"], already.Order());
        await ScreenshotAsync(pages[0], "duplicate-click");

        var store = app.Services.GetRequiredService<IRunStore>();
        Assert.Equal(1, (await store.QueryAsync(new RunQuery { Month = month }, CancellationToken.None)).TotalCount);
        gate.SetResult();
    }

    /// <summary>Holds runs before they read the ODS, so a run stays active while both browsers click.</summary>
    private sealed class GatedSources(IOdsSourceProvider inner, Task gate) : IOdsSourceProvider
    {
        public async Task<IOdsSource> GetAsync(CancellationToken ct)
        {
            await gate.WaitAsync(ct);
            return await inner.GetAsync(ct);
        }
    }
}

[CollectionDefinition("browser", DisableParallelization = true)]
public sealed class BrowserCollection;
