using Amazon.DynamoDBv2;
using ExtractPortal.Aws.DynamoDb;
using ExtractPortal.Features.Audit;
using ExtractPortal.Features.Runs;
using ExtractPortal.Tests.Infrastructure;

namespace ExtractPortal.Tests.Aws.DynamoDb;

/// <summary>The portal's IRunStore and IAuditTrail contracts over DynamoDB (dynalite).</summary>
public sealed class DynamoPortalAdapterTests(DynamoDbServer server) : IAsyncLifetime
{
    private readonly AmazonDynamoDBClient _dynamo = server.Client();
    private readonly FixedClock _clock = FixedClock.At("2026-04-15T08:00:00Z");
    private readonly string _runs = "runs-" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _audit = "audit-" + Guid.NewGuid().ToString("N")[..12];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await DynamoTables.CreateAsync(_dynamo, DynamoTables.RunsTable(_runs), Ct);
        await DynamoTables.CreateAsync(_dynamo, DynamoTables.AuditTable(_audit), Ct);
    }

    public ValueTask DisposeAsync()
    {
        _dynamo.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task The_run_store_starts_once_per_month_pages_sorts_and_summarises()
    {
        IRunStore store = new DynamoRunStore(new DynamoRunIndex(_dynamo, _runs, _clock), _clock);
        var a = await store.StartOrGetActiveAsync(new NewRun("2026-03", "alice@example", "monthly", null), Ct);
        var again = await store.StartOrGetActiveAsync(new NewRun("2026-03", "bob@example", "again", null), Ct);
        Assert.False(a.AlreadyActive);
        Assert.True(again.AlreadyActive);
        Assert.Equal(a.Run.RunId, again.Run.RunId);
        Assert.Equal(RunState.Queued, a.Run.State);

        _clock.Now = _clock.Now.AddMinutes(1);
        var b = await store.StartOrGetActiveAsync(new NewRun("2026-02", "bob@example", "backfill", "bf-1"), Ct);
        Assert.True(await store.MarkRunningAsync(a.Run.RunId, Ct));
        _clock.Now = _clock.Now.AddMinutes(5);
        await store.CompleteAsync(a.Run.RunId, RunState.Succeeded, null, Ct);
        var cancelled = await store.RequestCancelAsync(b.Run.RunId, "boss@example", Ct);
        Assert.Equal(RunState.Queued, cancelled!.State);
        Assert.Equal(RunState.Cancelled, (await store.GetAsync(b.Run.RunId, Ct))!.State);

        var page = await store.QueryAsync(new RunQuery { PageSize = 1 }, Ct);
        Assert.Equal(2, page.TotalCount);
        Assert.Equal(b.Run.RunId, Assert.Single(page.Items).RunId);   // newest first
        var second = await store.QueryAsync(new RunQuery { PageSize = 1, Page = 1 }, Ct);
        Assert.Equal(a.Run.RunId, Assert.Single(second.Items).RunId);
        var byUser = await store.QueryAsync(new RunQuery { TriggeredBy = "ALICE", Sort = RunSort.Month, Descending = false }, Ct);
        Assert.Equal(a.Run.RunId, Assert.Single(byUser.Items).RunId);
        var byState = await store.QueryAsync(new RunQuery { State = RunState.Cancelled }, Ct);
        Assert.Equal(b.Run.RunId, Assert.Single(byState.Items).RunId);
        var byMonth = await store.QueryAsync(new RunQuery { Month = "2026-02" }, Ct);
        Assert.Equal("bf-1", Assert.Single(byMonth.Items).BackfillId);

        var summaries = await store.MonthSummariesAsync(["2026-03", "2026-02", "2025-01"], Ct);
        Assert.Null(summaries["2026-03"].Active);
        Assert.Equal(a.Run.RunId, summaries["2026-03"].Latest!.RunId);
        Assert.False(summaries.ContainsKey("2025-01"));
        Assert.Equal(a.Run.RunId, Assert.Single(await store.RecentFinishedAsync(5, Ct)).RunId);   // b never started
        Assert.Equal(0, await store.FailInterruptedAsync("restart", Ct));   // Glue runs survive a portal restart
        Assert.Equal(2, (await store.GetManyAsync([a.Run.RunId, b.Run.RunId], Ct)).Count);
    }

    [Fact]
    public async Task The_audit_trail_appends_pages_and_exports()
    {
        IAuditTrail trail = new DynamoAuditTrail(new DynamoAuditLog(_dynamo, _audit, _clock));
        for (var i = 0; i < 7; i++)
            await trail.AppendAsync(new AuditEntry
            {
                At = _clock.Now.AddMinutes(-i), User = i < 3 ? "auditor@example" : "op@example", Role = "operator",
                Action = i % 2 == 0 ? AuditActions.ExtractDownloaded : AuditActions.RunStarted, Target = $"t{i}", RunId = $"run-{i}",
            }, Ct);

        var first = await trail.QueryAsync(new AuditQuery { PageSize = 3 }, Ct);
        Assert.Equal(7, first.TotalCount);
        Assert.Equal(["t0", "t1", "t2"], first.Items.Select(e => e.Target));
        var last = await trail.QueryAsync(new AuditQuery { PageSize = 3, Page = 2 }, Ct);
        Assert.Equal(["t6"], last.Items.Select(e => e.Target));
        var downloads = await trail.QueryAsync(new AuditQuery { Action = AuditActions.ExtractDownloaded, User = "AUDITOR" }, Ct);
        Assert.Equal(["t0", "t2"], downloads.Items.Select(e => e.Target));
        Assert.Equal(["t3"], (await trail.QueryAsync(new AuditQuery { RunId = "run-3" }, Ct)).Items.Select(e => e.Target));
        var exported = await trail.ExportAsync(new AuditQuery(), Ct).ToListAsync(Ct);
        Assert.Equal(["t6", "t5", "t4", "t3", "t2", "t1", "t0"], exported.Select(e => e.Target));
    }
}
