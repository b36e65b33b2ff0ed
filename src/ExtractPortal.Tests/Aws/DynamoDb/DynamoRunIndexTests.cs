using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ExtractPortal.Aws.DynamoDb;
using ExtractPortal.Features.Runs;
using ExtractPortal.Tests.Infrastructure;

namespace ExtractPortal.Tests.Aws.DynamoDb;

/// <summary>
/// The run index and the per-month guard against a DynamoDB-compatible server (dynalite on
/// 127.0.0.1): conditional writes, release, paging and filters through the GSIs.
/// </summary>
public sealed class DynamoRunIndexTests(DynamoDbServer server) : IAsyncLifetime
{
    private readonly AmazonDynamoDBClient _dynamo = server.Client();
    private readonly FixedClock _clock = FixedClock.At("2026-04-15T08:00:00Z");
    private readonly string _table = "runs-" + Guid.NewGuid().ToString("N")[..12];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await DynamoTables.CreateAsync(_dynamo, DynamoTables.RunsTable(_table), Ct);

    public ValueTask DisposeAsync()
    {
        _dynamo.Dispose();
        return ValueTask.CompletedTask;
    }

    private DynamoRunIndex Index(TimeProvider? clock = null) => new(server.Client(), _table, clock ?? _clock);

    [Fact]
    public async Task Two_instances_starting_one_month_at_once_get_one_run()
    {
        // Eight "portal instances" (own clients), all asking for 2026-03 at the same moment.
        var starts = Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            Index().ClaimMonthAsync("2026-03", $"run-{i}", $"user{i}@example", "monthly", null, Ct), Ct)).ToList();
        var claims = await Task.WhenAll(starts);

        var winners = claims.Where(c => !c.AlreadyActive).ToList();
        Assert.Single(winners);
        var winner = winners[0].Run;
        Assert.All(claims, c => Assert.Equal(winner.RunId, c.Run.RunId));   // the others got the active run
        Assert.Equal(RunState.Queued, winner.State);
        var all = await Index().QueryAsync(new RunIndexFilter(), 50, null, Ct);
        Assert.Single(all.Items);   // no run was written by a loser
    }

    [Fact]
    public async Task Asking_again_returns_the_active_run_until_it_ends_then_a_new_run_starts()
    {
        var index = Index();
        var first = await index.ClaimMonthAsync("2026-03", "run-a", "op@example", "first", null, Ct);
        Assert.False(first.AlreadyActive);
        Assert.True(await index.MarkRunningAsync("run-a", "jr_abc", Ct));
        Assert.False(await index.MarkRunningAsync("run-a", null, Ct));   // no longer queued

        var again = await index.ClaimMonthAsync("2026-03", "run-b", "other@example", "again", null, Ct);
        Assert.True(again.AlreadyActive);
        Assert.Equal("run-a", again.Run.RunId);
        Assert.Equal(RunState.Running, again.Run.State);
        Assert.Equal("jr_abc", again.Run.EngineRunId);
        Assert.Null(await index.GetAsync("run-b", Ct));

        Assert.True(await index.ReportProgressAsync("run-a", "Publishing", "publishing 2026-03", 0, Ct));
        Assert.True(await index.CompleteAsync("run-a", RunState.Succeeded, null, Ct));
        Assert.False(await index.CompleteAsync("run-a", RunState.Failed, "late", Ct));   // ends once
        var done = await index.GetAsync("run-a", Ct);
        Assert.Equal(RunState.Succeeded, done!.State);
        Assert.Equal(1, done.MonthsPublished);
        Assert.Null(await index.ActiveRunAsync("2026-03", Ct));

        var next = await index.ClaimMonthAsync("2026-03", "run-c", "op@example", "re-run", null, Ct);
        Assert.False(next.AlreadyActive);
        Assert.Equal("run-c", next.Run.RunId);
        Assert.Equal("run-c", (await index.LatestOfMonthAsync("2026-03", Ct))!.RunId);
    }

    [Fact]
    public async Task A_guard_left_by_an_ended_or_never_written_run_is_taken_over()
    {
        var index = Index();
        await index.ClaimMonthAsync("2026-03", "run-a", "op@example", "first", null, Ct);
        // The run ended but the release was lost (e.g. the instance died between the two writes).
        await _dynamo.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = _table,
            Key = new() { ["pk"] = new AttributeValue { S = "RUN#run-a" }, ["sk"] = new AttributeValue { S = "RUN" } },
            UpdateExpression = "SET #s = :f", ExpressionAttributeNames = new() { ["#s"] = "state" },
            ExpressionAttributeValues = new() { [":f"] = new AttributeValue { S = "Failed" } },
        }, Ct);
        var next = await index.ClaimMonthAsync("2026-03", "run-b", "op@example", "after a crash", null, Ct);
        Assert.False(next.AlreadyActive);
        Assert.Equal("run-b", next.Run.RunId);

        // A claim whose run was never written: honoured during the grace period, then taken over.
        await _dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = _table,
            Item = new()
            {
                ["pk"] = new AttributeValue { S = "GUARD#2026-02" }, ["sk"] = new AttributeValue { S = "GUARD" },
                ["run_id"] = new AttributeValue { S = "run-ghost" }, ["claimed_at"] = new AttributeValue { S = "2026-04-15T07:00:00.000Z" },
            },
        }, Ct);
        var taken = await index.ClaimMonthAsync("2026-02", "run-d", "op@example", "ghost", null, Ct);
        Assert.False(taken.AlreadyActive);
        Assert.Equal("run-d", (await index.ActiveRunAsync("2026-02", Ct))!.RunId);
    }

    [Fact]
    public async Task Cancel_and_fail_release_the_month()
    {
        var index = Index();
        await index.ClaimMonthAsync("2026-01", "run-q", "op@example", "x", null, Ct);
        Assert.True(await index.RequestCancelAsync("run-q", "boss@example", Ct));
        Assert.True(await index.CompleteAsync("run-q", RunState.Cancelled, "cancelled by boss@example", Ct));
        var run = await index.GetAsync("run-q", Ct);
        Assert.Equal(("boss@example", RunState.Cancelled, "cancelled by boss@example"), (run!.CancelRequestedBy, run.State, run.Error));
        Assert.False(await index.RequestCancelAsync("run-q", "boss@example", Ct));   // already ended
        Assert.False((await index.ClaimMonthAsync("2026-01", "run-r", "op@example", "x", null, Ct)).AlreadyActive);
    }

    [Fact]
    public async Task Pages_come_newest_first_with_cursors_and_filters()
    {
        var index = Index();
        var start = DateTimeOffset.Parse("2025-12-30T10:00:00Z");
        // 30 runs, one per day from 2025-12-30; alternating users and states, months cycling over three.
        for (var i = 0; i < 30; i++)
        {
            var runMonth = new[] { "2025-10", "2025-11", "2025-12" }[i % 3];
            await index.PutRunAsync(new RunRecord
            {
                RunId = $"run-{i:D2}", Months = [runMonth], State = i % 4 == 0 ? RunState.Failed : RunState.Succeeded,
                TriggeredBy = i % 2 == 0 ? "Alice@Example" : "bob@example", Reason = "r", CreatedAt = start.AddDays(i),
                StartedAt = start.AddDays(i), FinishedAt = start.AddDays(i).AddMinutes(5), MonthsTotal = 1, Engine = DynamoRunIndex.GlueEngine,
            }, Ct);
        }

        // All runs in pages of 7: newest first, no duplicates, all 30.
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await index.QueryAsync(new RunIndexFilter(), 7, cursor, Ct);
            Assert.True(page.Items.Count <= 7);
            seen.AddRange(page.Items.Select(r => r.RunId));
            cursor = page.NextCursor;
        } while (cursor is not null);
        Assert.Equal(Enumerable.Range(0, 30).Reverse().Select(i => $"run-{i:D2}"), seen);

        // State (by-state index): i % 4 == 0.
        var failed = await All(index, new RunIndexFilter { State = RunState.Failed });
        Assert.Equal(Enumerable.Range(0, 30).Where(i => i % 4 == 0).Reverse().Select(i => $"run-{i:D2}"), failed);

        // Month (by-month index), combined with a state and a user substring (case-insensitive).
        var month = await All(index, new RunIndexFilter { Month = "2025-11" });
        Assert.Equal(Enumerable.Range(0, 30).Where(i => i % 3 == 1).Reverse().Select(i => $"run-{i:D2}"), month);
        var combined = await All(index, new RunIndexFilter { Month = "2025-10", State = RunState.Failed, TriggeredBy = "alice" });
        Assert.Equal(Enumerable.Range(0, 30).Where(i => i % 3 == 0 && i % 4 == 0 && i % 2 == 0).Reverse().Select(i => $"run-{i:D2}"), combined);

        // Date range on the sort key: 2026-01-05 .. 2026-01-09 inclusive = runs 6..10.
        var range = await All(index, new RunIndexFilter { From = new DateOnly(2026, 1, 5), To = new DateOnly(2026, 1, 9) });
        Assert.Equal(Enumerable.Range(6, 5).Reverse().Select(i => $"run-{i:D2}"), range);
        var user = await All(index, new RunIndexFilter { TriggeredBy = "BOB", From = new DateOnly(2026, 1, 20) });
        Assert.Equal(Enumerable.Range(0, 30).Where(i => i % 2 == 1 && i >= 21).Reverse().Select(i => $"run-{i:D2}"), user);

        var many = await index.GetManyAsync(["run-01", "run-02", "missing"], Ct);
        Assert.Equal(["run-01", "run-02"], many.Select(r => r.RunId).Order());
    }

    private static async Task<List<string>> All(DynamoRunIndex index, RunIndexFilter filter)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = await index.QueryAsync(filter, 3, cursor, Ct);
            ids.AddRange(page.Items.Select(r => r.RunId));
            cursor = page.NextCursor;
        } while (cursor is not null);
        return ids;
    }
}
