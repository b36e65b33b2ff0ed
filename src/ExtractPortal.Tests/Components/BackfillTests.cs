using Bunit;
using ExtractPortal.Components.Pages.Backfills;
using ExtractPortal.Features.Access;
using ExtractPortal.Features.Backfills;
using ExtractPortal.Features.Runs;
using ExtractPortal.Tests.Support;
using MudBlazor;

namespace ExtractPortal.Tests.Components;

public sealed class BackfillTests : PortalComponentTest
{
    private async Task<IRenderedComponent<MudDialogProvider>> OpenDialogAsync(string? from = null)
    {
        var provider = Ctx.Render<MudDialogProvider>();
        var parameters = new DialogParameters<BackfillDialog> { { x => x.From, from } };
        await provider.InvokeAsync(() => Service<IDialogService>().ShowAsync<BackfillDialog>("Re-run / backfill", parameters, BackfillDialog.Options));
        provider.WaitForAssertion(() => provider.Find("[data-testid=backfill-preview]"));
        return provider;
    }

    private static void Fill(IRenderedComponent<MudDialogProvider> cut, string testId, string value)
    {
        var field = cut.Find($"input[data-testid={testId}], [data-testid={testId}] input, textarea[data-testid={testId}], [data-testid={testId}] textarea");
        try { field.Change(value); }
        catch (MissingEventHandlerException) { field.Input(value); }   // fields bound on input (Immediate)
    }

    [Fact]
    public async Task Shows_exactly_which_months_will_run_then_starts_them_with_the_reason()
    {
        StoreSeeder.Publish(Folder.StoreRoot, "2026-02", "run-old", ("Coral Bank", StoreSeeder.Csv("Coral Bank", "2026-02", 2)));
        SignInAs(Roles.Operator);
        var cut = await OpenDialogAsync("2026-01");
        Fill(cut, "backfill-to", "2026-03");
        Fill(cut, "backfill-reason", "ODS corrected for Q1");
        Assert.True(cut.Find("[data-testid=backfill-confirm]").HasAttribute("disabled"));   // nothing confirmed before the months are shown
        cut.Find("[data-testid=backfill-preview]").Click();
        cut.WaitForAssertion(() => Assert.Contains("2 of 3 month(s) will run: 2026-01, 2026-03", cut.Find("[data-testid=backfill-plan-summary]").TextContent));
        Assert.Equal("false", cut.Find("[data-testid=backfill-plan] tr[data-month='2026-02']").GetAttribute("data-will-run"));

        cut.Find("[data-testid=backfill-confirm]").Click();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=backfill-results] li").Count));
        var runs = await Service<IRunStore>().QueryAsync(new RunQuery(), default);
        Assert.Equal(2, runs.TotalCount);
        Assert.All(runs.Items, r => Assert.Equal("ODS corrected for Q1", r.Reason));
        Assert.All(runs.Items, r => Assert.Equal("olivia.operator", r.TriggeredBy));
    }

    [Fact]
    public async Task Refuses_months_that_have_not_ended()
    {
        SignInAs(Roles.Operator);
        var cut = await OpenDialogAsync("2026-11");
        Fill(cut, "backfill-reason", "too early");
        cut.Find("[data-testid=backfill-preview]").Click();
        cut.WaitForAssertion(() => Assert.Contains("2026-11 has not ended yet", cut.Find("[data-testid=backfill-plan-error]").TextContent));
        Assert.True(cut.Find("[data-testid=backfill-confirm]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_reason_is_required()
    {
        SignInAs(Roles.Operator);
        var cut = await OpenDialogAsync("2026-01");
        cut.Find("[data-testid=backfill-preview]").Click();
        cut.WaitForAssertion(() => Assert.Contains("1 of 1", cut.Find("[data-testid=backfill-plan-summary]").TextContent));
        Assert.True(cut.Find("[data-testid=backfill-confirm]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_month_already_running_keeps_its_run_and_the_dialog_links_to_it()
    {
        var active = await Service<IRunStore>().StartOrGetActiveAsync(new NewRun("2026-05", "bob.operator", "first", null), default);
        SignInAs(Roles.Operator);
        var cut = await OpenDialogAsync("2026-05");
        Fill(cut, "backfill-reason", "again");
        cut.Find("[data-testid=backfill-preview]").Click();
        cut.WaitForAssertion(() => Assert.Contains($"already queued as run {active.Run.RunId}", cut.Find("[data-testid=backfill-plan]").TextContent));
        Assert.Contains($"/runs/{active.Run.RunId}", cut.Find("[data-testid=backfill-plan]").InnerHtml);
        Assert.True(cut.Find("[data-testid=backfill-confirm]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Support_cannot_plan_even_if_the_dialog_is_reached()
    {
        SignInAs(Roles.Support);
        var cut = await OpenDialogAsync("2026-01");
        cut.Find("[data-testid=backfill-preview]").Click();
        cut.WaitForAssertion(() => Assert.Contains("operators only", cut.Find("[data-testid=backfill-error]").TextContent));
    }

    [Fact]
    public async Task The_backfill_page_shows_progress_and_offers_rerun_of_failed_months()
    {
        SignInAs(Roles.Operator);
        var service = Service<BackfillService>();
        var user = TestUsers.Operator;
        var plan = await service.PlanAsync(user, "2026-01", "2026-02", BackfillMode.All);
        var started = await service.StartAsync(user, plan, "q1");
        var store = Service<IRunStore>();
        await store.MarkRunningAsync(started.Runs[0].Run.RunId, default);
        await store.CompleteAsync(started.Runs[0].Run.RunId, RunState.Succeeded, null, default);
        await store.MarkRunningAsync(started.Runs[1].Run.RunId, default);
        await store.CompleteAsync(started.Runs[1].Run.RunId, RunState.Failed, "boom", default);

        var provider = Ctx.Render<MudDialogProvider>();
        var cut = Ctx.Render<BackfillPage>();
        cut.WaitForAssertion(() => Assert.Contains("1 of 2 months done, 1 failed", cut.Find("[data-testid=backfill-progress]").TextContent));
        cut.Find("[data-testid=rerun-failed]").Click();
        cut.WaitForAssertion(() => Assert.Contains("reason is required", cut.Find("[data-testid=backfill-message]").TextContent));
        cut.Find("[data-testid=backfill] input").Change("retry after the ODS fix");
        cut.Find("[data-testid=rerun-failed]").Click();
        cut.WaitForAssertion(() => Assert.Contains("Re-running 1 failed month(s)", cut.Find("[data-testid=backfill-message]").TextContent));
        cut.WaitForAssertion(() => Assert.Contains("1 in progress", cut.Find("[data-testid=backfill-progress]").TextContent));
    }

    [Fact]
    public void The_backfill_page_has_an_empty_state()
    {
        SignInAs(Roles.Operator);
        Ctx.Render<MudDialogProvider>();
        var cut = Ctx.Render<BackfillPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=backfills-empty]"));
    }
}
