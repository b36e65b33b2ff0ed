using Bunit;
using ExtractPortal.Components.Pages.Runs;
using ExtractPortal.Features.Access;
using ExtractPortal.Features.Runs;
using ExtractPortal.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ExtractPortal.Tests.Components;

public sealed class RunsPageTests : PortalComponentTest
{
    private async Task<string> SeedAsync(string month, RunState state, string by = "olivia.operator")
    {
        var store = Service<IRunStore>();
        Clock.Now = Clock.Now.AddMinutes(1);   // distinct start times: newest first is deterministic
        var run = await store.StartOrGetActiveAsync(new NewRun(month, by, $"reason for {month}", null), default);
        if (state is RunState.Queued) return run.Run.RunId;
        await store.MarkRunningAsync(run.Run.RunId, default);
        if (state is not RunState.Running) await store.CompleteAsync(run.Run.RunId, state, state == RunState.Failed ? "boom" : null, default);
        return run.Run.RunId;
    }

    [Fact]
    public async Task Lists_runs_with_state_who_and_why_and_the_operator_can_start_one()
    {
        await SeedAsync("2026-01", RunState.Succeeded);
        await SeedAsync("2026-02", RunState.Failed);
        await SeedAsync("2026-03", RunState.Running, "bob.operator");
        SignInAs(Roles.Operator);
        var cut = Ctx.Render<RunsPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=runs-grid] tbody tr").Count));
        Assert.Equal(["running", "failed", "succeeded"], cut.FindAll(".state-chip").Select(c => c.GetAttribute("data-state")));
        Assert.Contains("reason for 2026-02", cut.Markup);
        Assert.Contains("bob.operator", cut.Markup);
        Assert.NotEmpty(cut.FindAll("[data-testid=open-backfill]"));
        Assert.Contains("role=\"img\"", cut.Markup);   // the durations chart
    }

    [Fact]
    public async Task Support_sees_runs_but_no_start_button()
    {
        await SeedAsync("2026-01", RunState.Succeeded);
        SignInAs(Roles.Support);
        var cut = Ctx.Render<RunsPage>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=runs-grid] tbody tr")));
        Assert.Empty(cut.FindAll("[data-testid=open-backfill]"));
    }

    [Fact]
    public async Task Filters_come_from_the_url_and_changes_go_back_into_it()
    {
        await SeedAsync("2026-01", RunState.Succeeded);
        await SeedAsync("2026-02", RunState.Failed);
        await SeedAsync("2026-03", RunState.Failed, "bob.operator");
        SignInAs(Roles.Support);
        Navigate("/runs?state=failed&by=bob");
        var cut = Ctx.Render<RunsPage>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=runs-grid] tbody tr")));
        Assert.Contains("2026-03", cut.Find("[data-testid=runs-grid] tbody").TextContent);

        cut.Find("input[data-testid=filter-month], [data-testid=filter-month] input").Change("2026-02");
        var nav = Service<NavigationManager>();
        cut.WaitForAssertion(() => Assert.Contains("month=2026-02", nav.Uri));
        Assert.Contains("state=failed", nav.Uri);
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=runs-empty]")));   // bob has no failed run of 2026-02
    }

    [Fact]
    public async Task Only_rows_of_active_runs_refresh_and_they_do_by_themselves()
    {
        var done = await SeedAsync("2026-01", RunState.Succeeded);
        var running = await SeedAsync("2026-02", RunState.Running);
        RunsPage.PollInterval = TimeSpan.FromMilliseconds(100);
        SignInAs(Roles.Support);
        var cut = Ctx.Render<RunsPage>();
        cut.WaitForAssertion(() => Assert.Equal(["running", "succeeded"], cut.FindAll(".state-chip").Select(c => c.GetAttribute("data-state"))));
        await Service<IRunStore>().ReportProgressAsync(running, "Publishing", "publishing 2026-02", 0, default);
        cut.WaitForAssertion(() => Assert.Contains("running: publishing", cut.Find("[data-testid=runs-grid] tbody tr").TextContent));
        await Service<IRunStore>().CompleteAsync(running, RunState.Succeeded, null, default);
        cut.WaitForAssertion(() => Assert.Equal(["succeeded", "succeeded"], cut.FindAll(".state-chip").Select(c => c.GetAttribute("data-state"))));
        Assert.NotNull(done);
    }

    [Fact]
    public async Task Sorting_is_done_by_the_store_and_kept_in_the_url()
    {
        var store = Service<IRunStore>();
        foreach (var (month, seconds) in new[] { ("2026-01", 5), ("2026-02", 50), ("2026-03", 20) })
        {
            Clock.Now = Clock.Now.AddMinutes(1);
            var run = await store.StartOrGetActiveAsync(new NewRun(month, "o", "r", null), default);
            await store.MarkRunningAsync(run.Run.RunId, default);
            Clock.Now = Clock.Now.AddSeconds(seconds);
            await store.CompleteAsync(run.Run.RunId, RunState.Succeeded, null, default);
        }
        SignInAs(Roles.Support);
        var cut = Ctx.Render<RunsPage>();
        string Months() => string.Join(" ", cut.FindAll("[data-testid=runs-grid] tbody tr").Select(r => r.Children[2].TextContent.Trim()));
        cut.WaitForAssertion(() => Assert.Equal("2026-03 2026-02 2026-01", Months()));
        var header = cut.FindAll("th").First(th => th.TextContent.Contains("Duration"));
        header.QuerySelector("button.sort-direction-icon")!.Click();   // the header's Sort button (a real, focusable button)
        cut.WaitForAssertion(() => Assert.Contains("sort=duration", Service<NavigationManager>().Uri));
        cut.WaitForAssertion(() => Assert.True(Months() is "2026-01 2026-03 2026-02" or "2026-02 2026-03 2026-01", Months()));
    }

    [Fact]
    public void Shows_the_empty_state()
    {
        SignInAs(Roles.Support);
        var cut = Ctx.Render<RunsPage>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=runs-empty]")));
        Assert.Single(cut.FindAll("[data-testid=chart-empty]"));
    }

    [Fact]
    public void Shows_an_error_when_the_history_cannot_be_read()
    {
        Ctx.Services.AddScoped<IRunService, BrokenRunService>();
        SignInAs(Roles.Support);
        var cut = Ctx.Render<RunsPage>();
        cut.WaitForAssertion(() => Assert.Contains("could not be loaded", cut.Find("[data-testid=runs-error]").TextContent));
    }

    private sealed class BrokenRunService : IRunService
    {
        private static Exception Broken => new SqliteException("database is locked", 5);
        public Task<RunPage> ListAsync(System.Security.Claims.ClaimsPrincipal user, RunQuery query, CancellationToken ct = default) => throw Broken;
        public Task<RunRecord?> GetAsync(System.Security.Claims.ClaimsPrincipal user, string runId, CancellationToken ct = default) => throw Broken;
        public Task<IReadOnlyList<RunRecord>> RefreshAsync(System.Security.Claims.ClaimsPrincipal user, IReadOnlyCollection<string> runIds, CancellationToken ct = default) => throw Broken;
        public Task<IReadOnlyList<RunRecord>> RecentFinishedAsync(System.Security.Claims.ClaimsPrincipal user, int count, CancellationToken ct = default) => throw Broken;
        public Task<IReadOnlyList<StartResult>> StartAsync(System.Security.Claims.ClaimsPrincipal user, IReadOnlyList<ExtractPortal.Pipeline.Months.ExtractMonth> months, string reason, string? backfillId = null, CancellationToken ct = default) => throw Broken;
        public Task<RunRecord?> CancelAsync(System.Security.Claims.ClaimsPrincipal user, string runId, CancellationToken ct = default) => throw Broken;
        public Task<LogPage> ReadLogTailAsync(System.Security.Claims.ClaimsPrincipal user, string runId, string? beforeCursor, int maxLines, CancellationToken ct = default) => throw Broken;
        public Task<LogPage> ReadLogNewAsync(System.Security.Claims.ClaimsPrincipal user, string runId, string afterCursor, int maxLines, CancellationToken ct = default) => throw Broken;
        public Task<Stream?> OpenLogAsync(System.Security.Claims.ClaimsPrincipal user, string runId, CancellationToken ct = default) => throw Broken;
    }
}
