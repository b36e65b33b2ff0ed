using ExtractPortal.Features.Runs;
using ExtractPortal.Local;
using ExtractPortal.Tests.Support;

namespace ExtractPortal.Tests.Local;

public sealed class SqliteRunStoreTests : IDisposable
{
    private readonly TempDataFolder _folder = new();
    private readonly FixedClock _clock = new(DateTimeOffset.Parse("2026-11-27T08:00:00Z"));

    private SqliteRunStore NewStore() => new(new PortalDatabase(Path.Combine(_folder.Path, "portal.db")), _clock);

    [Fact]
    public async Task Asking_again_for_an_active_month_returns_the_same_run()
    {
        var store = NewStore();
        var first = await store.StartOrGetActiveAsync(new NewRun("2026-03", "olivia", "first", null), TestContext.Current.CancellationToken);
        var second = await store.StartOrGetActiveAsync(new NewRun("2026-03", "other", "second", null), TestContext.Current.CancellationToken);
        Assert.False(first.AlreadyActive);
        Assert.True(second.AlreadyActive);
        Assert.Equal(first.Run.RunId, second.Run.RunId);
        Assert.Equal(1, (await store.QueryAsync(new RunQuery(), TestContext.Current.CancellationToken)).TotalCount);
    }

    [Fact]
    public async Task Concurrent_requests_from_separate_connections_create_exactly_one_run()
    {
        // Separate store and database objects, as two browsers (or two processes) would have.
        var stores = Enumerable.Range(0, 8).Select(_ => NewStore()).ToList();
        using var start = new ManualResetEventSlim();
        var tasks = stores.Select((s, i) => Task.Run(async () =>
        {
            start.Wait();
            return await s.StartOrGetActiveAsync(new NewRun("2026-04", $"user{i}", "race", null), CancellationToken.None);
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(tasks);
        Assert.Single(results.Select(r => r.Run.RunId).Distinct());
        Assert.Single(results, r => !r.AlreadyActive);
        Assert.Equal(1, (await stores[0].QueryAsync(new RunQuery { Month = "2026-04" }, TestContext.Current.CancellationToken)).TotalCount);
    }

    [Fact]
    public async Task A_finished_run_releases_its_month()
    {
        var store = NewStore();
        var ct = TestContext.Current.CancellationToken;
        var first = await store.StartOrGetActiveAsync(new NewRun("2026-03", "olivia", "r", null), ct);
        Assert.True(await store.MarkRunningAsync(first.Run.RunId, ct));
        await store.CompleteAsync(first.Run.RunId, RunState.Failed, "boom", ct);
        var second = await store.StartOrGetActiveAsync(new NewRun("2026-03", "olivia", "again", null), ct);
        Assert.False(second.AlreadyActive);
        Assert.NotEqual(first.Run.RunId, second.Run.RunId);
        var summary = (await store.MonthSummariesAsync(["2026-03"], ct))["2026-03"];
        Assert.Equal(second.Run.RunId, summary.Active!.RunId);
        Assert.Equal(second.Run.RunId, summary.Latest!.RunId);
    }

    [Fact]
    public async Task Runs_left_active_by_a_previous_process_are_marked_failed()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = NewStore();
        var queued = await store.StartOrGetActiveAsync(new NewRun("2026-01", "o", "r", null), ct);
        var running = await store.StartOrGetActiveAsync(new NewRun("2026-02", "o", "r", null), ct);
        await store.MarkRunningAsync(running.Run.RunId, ct);

        var restarted = NewStore();
        Assert.Equal(2, await restarted.FailInterruptedAsync("interrupted by a restart", ct));
        foreach (var id in new[] { queued.Run.RunId, running.Run.RunId })
        {
            var run = await restarted.GetAsync(id, ct);
            Assert.Equal(RunState.Failed, run!.State);
            Assert.Contains("restart", run.Error);
        }
        Assert.False((await restarted.StartOrGetActiveAsync(new NewRun("2026-02", "o", "r", null), ct)).AlreadyActive);
    }

    [Fact]
    public async Task Cancelling_a_queued_run_ends_it_at_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = NewStore();
        var run = await store.StartOrGetActiveAsync(new NewRun("2026-05", "o", "r", null), ct);
        await store.RequestCancelAsync(run.Run.RunId, "olivia", ct);
        var cancelled = await store.GetAsync(run.Run.RunId, ct);
        Assert.Equal(RunState.Cancelled, cancelled!.State);
        Assert.Equal("olivia", cancelled.CancelRequestedBy);
        Assert.False(await store.MarkRunningAsync(run.Run.RunId, ct));
    }

    [Fact]
    public async Task Query_pages_filters_and_sorts_in_the_database()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = NewStore();
        for (var i = 0; i < 30; i++)
        {
            _clock.Now = DateTimeOffset.Parse("2026-11-01T00:00:00Z").AddHours(i);
            var r = await store.StartOrGetActiveAsync(new NewRun($"20{10 + i}-01", i % 2 == 0 ? "olivia" : "bob", $"reason {i}", null), ct);
            await store.MarkRunningAsync(r.Run.RunId, ct);
            _clock.Now = _clock.Now.AddSeconds(i);
            await store.CompleteAsync(r.Run.RunId, i % 3 == 0 ? RunState.Failed : RunState.Succeeded, null, ct);
        }
        var page = await store.QueryAsync(new RunQuery { PageSize = 7, Page = 1 }, ct);
        Assert.Equal(30, page.TotalCount);
        Assert.Equal(7, page.Items.Count);
        Assert.True(page.Items.Zip(page.Items.Skip(1)).All(p => p.First.CreatedAt >= p.Second.CreatedAt));

        var failedByOlivia = await store.QueryAsync(new RunQuery { State = RunState.Failed, TriggeredBy = "oliv" }, ct);
        Assert.All(failedByOlivia.Items, r => { Assert.Equal(RunState.Failed, r.State); Assert.Equal("olivia", r.TriggeredBy); });
        Assert.Equal(5, failedByOlivia.TotalCount);   // i = 0, 6, 12, 18, 24

        var byMonth = await store.QueryAsync(new RunQuery { Month = "2015-01" }, ct);
        Assert.Equal("2015-01", Assert.Single(byMonth.Items).MonthsText);

        var longest = await store.QueryAsync(new RunQuery { Sort = RunSort.Duration, Descending = true, PageSize = 1 }, ct);
        Assert.Equal("2039-01", longest.Items[0].MonthsText);

        var dated = await store.QueryAsync(new RunQuery { From = new DateOnly(2026, 11, 2), To = new DateOnly(2026, 11, 2) }, ct);
        Assert.Equal(6, dated.TotalCount);   // i = 24..29
    }

    public void Dispose() => _folder.Dispose();
}
