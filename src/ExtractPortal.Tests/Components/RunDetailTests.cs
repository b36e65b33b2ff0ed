using Bunit;
using ExtractPortal.Components.Pages.Runs;
using ExtractPortal.Features.Access;
using ExtractPortal.Features.Runs;
using ExtractPortal.Local;
using ExtractPortal.Tests.Support;

namespace ExtractPortal.Tests.Components;

public sealed class RunDetailTests : PortalComponentTest
{
    [Fact]
    public void Unknown_run_says_so()
    {
        SignInAs(Roles.Support);
        var cut = Ctx.Render<RunDetail>(p => p.Add(x => x.RunId, "run-nope"));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=run-not-found]")));
    }

    [Fact]
    public async Task A_failed_run_shows_its_full_error_data_quality_and_log_with_load_more()
    {
        var store = Service<IRunStore>();
        var run = (await store.StartOrGetActiveAsync(new NewRun("2026-03", "olivia.operator", "fix", null), default)).Run;
        await store.MarkRunningAsync(run.RunId, default);
        var error = "the business logic SQL failed: Binder Error: column \"amount\" not found\nsecond line of the error";
        await store.CompleteAsync(run.RunId, RunState.Failed, error, default);
        var logs = Service<LocalRunLogs>();
        for (var i = 1; i <= 450; i++) await logs.AppendAsync(run.RunId, $"log line {i}");

        SignInAs(Roles.Support);
        var cut = Ctx.Render<RunDetail>(p => p.Add(x => x.RunId, run.RunId));
        cut.WaitForAssertion(() => Assert.Equal(error, cut.Find("[data-testid=run-error] .error-text").TextContent));
        Assert.Equal("failed", cut.Find("[data-testid=run-state]").TextContent);
        Assert.Contains("--extract_months 2026-03", cut.Find("[data-testid=run-arguments]").TextContent);
        Assert.Single(cut.FindAll("[data-testid=no-manifests]"));
        Assert.Empty(cut.FindAll("[data-testid=cancel-run]"));
        Assert.Empty(cut.FindAll("[data-testid=rerun]"));   // support cannot re-run
        cut.WaitForAssertion(() => Assert.Equal(RunDetail.LogPageLines, cut.FindAll("[data-testid=log-view] div").Count));
        Assert.Equal($"/runs/{run.RunId}/log", cut.Find("[data-testid=log-download]").GetAttribute("href"));

        cut.Find("[data-testid=log-load-more]").Click();
        cut.WaitForAssertion(() => Assert.Equal(400, cut.FindAll("[data-testid=log-view] div").Count));
        cut.Find("[data-testid=log-load-more]").Click();
        cut.WaitForAssertion(() => Assert.Equal(450, cut.FindAll("[data-testid=log-view] div").Count));
        Assert.Equal("log line 1", cut.FindAll("[data-testid=log-view] div")[0].TextContent);
        Assert.Empty(cut.FindAll("[data-testid=log-load-more]"));
    }

    [Fact]
    public async Task A_published_run_shows_control_totals_and_data_quality()
    {
        var store = Service<IRunStore>();
        var run = (await store.StartOrGetActiveAsync(new NewRun("2026-03", "olivia.operator", "fix", null), default)).Run;
        await store.MarkRunningAsync(run.RunId, default);
        await store.CompleteAsync(run.RunId, RunState.Succeeded, null, default);
        StoreSeeder.Publish(Folder.StoreRoot, "2026-03", run.RunId, ("Coral Bank", StoreSeeder.Csv("Coral Bank", "2026-03", 3)));
        SignInAs(Roles.Operator);
        var cut = Ctx.Render<RunDetail>(p => p.Add(x => x.RunId, run.RunId));
        cut.WaitForAssertion(() => Assert.Contains("Loans read 10, used 8, left out 2", cut.Find("[data-testid=data-quality]").TextContent));
        Assert.Contains("Coral Bank", cut.Find("[data-testid=control-totals]").TextContent);
        Assert.Single(cut.FindAll("[data-testid=rerun]"));
    }

    [Fact]
    public async Task An_operator_can_cancel_an_active_run()
    {
        var run = (await Service<IRunStore>().StartOrGetActiveAsync(new NewRun("2026-04", "olivia.operator", "r", null), default)).Run;
        SignInAs(Roles.Operator);
        var cut = Ctx.Render<RunDetail>(p => p.Add(x => x.RunId, run.RunId));
        cut.WaitForAssertion(() => cut.Find("[data-testid=cancel-run]").Click());
        cut.WaitForAssertion(() => Assert.Equal("cancelled", cut.Find("[data-testid=run-state]").TextContent));
    }
}
