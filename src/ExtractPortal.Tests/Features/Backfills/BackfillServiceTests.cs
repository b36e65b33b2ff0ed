using ExtractPortal.Features.Access;
using ExtractPortal.Features.Backfills;
using ExtractPortal.Features.Runs;
using ExtractPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ExtractPortal.Tests.Features.Backfills;

public sealed class BackfillServiceTests : IDisposable
{
    private readonly TempDataFolder _folder = new();
    private readonly ServiceProvider _services;
    private readonly BackfillService _backfills;
    private readonly IRunStore _store;

    public BackfillServiceTests()
    {
        _services = PortalServices.Build(_folder.Path, new FixedClock(DateTimeOffset.Parse("2026-11-27T08:00:00Z")));
        _backfills = _services.GetRequiredService<BackfillService>();
        _store = _services.GetRequiredService<IRunStore>();
        // 2026-01 published; 2026-02 failed last; 2026-03 running; 2026-04 never run.
        StoreSeeder.Publish(_folder.StoreRoot, "2026-01", "run-seed-1", ("Coral Bank", StoreSeeder.Csv("Coral Bank", "2026-01", 2)));
        var failed = _store.StartOrGetActiveAsync(new NewRun("2026-02", "o", "r", null), default).Result;
        _store.CompleteAsync(failed.Run.RunId, RunState.Failed, "boom", default).Wait();
        _store.StartOrGetActiveAsync(new NewRun("2026-03", "o", "r", null), default).Wait();
    }

    [Theory]
    [InlineData(BackfillMode.MissingOnly, "2026-02 2026-04")]
    [InlineData(BackfillMode.FailedOnly, "2026-02")]
    [InlineData(BackfillMode.All, "2026-01 2026-02 2026-04")]
    public async Task The_plan_shows_exactly_which_months_will_run(BackfillMode mode, string expected)
    {
        var plan = await _backfills.PlanAsync(TestUsers.Operator, "2026-01", "2026-04", mode);
        Assert.Empty(plan.Errors);
        Assert.Equal(expected, string.Join(" ", plan.ToRun));
        var running = plan.Months.Single(m => m.Month.ToString() == "2026-03");
        Assert.False(running.WillRun);
        Assert.NotNull(running.ActiveRunId);
        Assert.Equal(MonthStatus.Running, running.Status);
    }

    [Fact]
    public async Task Months_that_have_not_ended_are_refused()
    {
        var plan = await _backfills.PlanAsync(TestUsers.Operator, "2026-10", "2026-12", BackfillMode.All);
        Assert.False(plan.CanConfirm);
        Assert.Contains(plan.Errors, e => e.Contains("2026-11, 2026-12 have not ended"));
        await Assert.ThrowsAsync<RunRequestException>(() => _backfills.StartAsync(TestUsers.Operator, plan, "why"));
    }

    [Fact]
    public async Task Bad_input_is_explained()
    {
        Assert.Contains("not a month", (await _backfills.PlanAsync(TestUsers.Operator, "March", null, BackfillMode.All)).Errors.Single());
        Assert.Contains("ends before it starts", (await _backfills.PlanAsync(TestUsers.Operator, "2026-05", "2026-01", BackfillMode.All)).Errors.Single());
        await Assert.ThrowsAsync<AccessDeniedException>(() => _backfills.PlanAsync(TestUsers.Support, "2026-01", null, BackfillMode.All));
    }

    [Fact]
    public async Task A_backfill_tracks_progress_and_reruns_its_failed_months()
    {
        var plan = await _backfills.PlanAsync(TestUsers.Operator, "2026-04", "2026-06", BackfillMode.All);
        await Assert.ThrowsAsync<RunRequestException>(() => _backfills.StartAsync(TestUsers.Operator, plan, " "));
        var result = await _backfills.StartAsync(TestUsers.Operator, plan, "backfill after ODS fix");
        Assert.Equal(3, result.Runs.Count);

        var runs = result.Runs.Select(r => r.Run.RunId).ToList();
        await _store.MarkRunningAsync(runs[0], default);
        await _store.CompleteAsync(runs[0], RunState.Succeeded, null, default);
        await _store.MarkRunningAsync(runs[1], default);
        await _store.CompleteAsync(runs[1], RunState.Failed, "ODS unreachable", default);

        var backfill = Assert.Single(await _backfills.ListAsync(TestUsers.Support));
        Assert.Equal((1, 1, 1, 3), (backfill.Succeeded, backfill.Failed, backfill.Active, backfill.Total));

        var rerun = await _backfills.RerunFailedAsync(TestUsers.Operator, backfill.BackfillId, "retry after fix");
        Assert.Equal("2026-05", rerun.Runs.Single().Month);
        backfill = Assert.Single(await _backfills.ListAsync(TestUsers.Support));
        Assert.Equal((1, 0, 2), (backfill.Succeeded, backfill.Failed, backfill.Active));
    }

    public void Dispose()
    {
        _services.Dispose();
        _folder.Dispose();
    }
}
