using Amazon.DynamoDBv2;
using ExtractPortal.Aws.DynamoDb;
using ExtractPortal.Features.Audit;
using ExtractPortal.Tests.Infrastructure;

namespace ExtractPortal.Tests.Aws.DynamoDb;

/// <summary>The audit trail against dynalite: append, query by time/user/action/run id/text, cursors, export order.</summary>
public sealed class DynamoAuditLogTests(DynamoDbServer server) : IAsyncLifetime
{
    private readonly AmazonDynamoDBClient _dynamo = server.Client();
    private readonly FixedClock _clock = FixedClock.At("2026-04-15T08:00:00Z");
    private readonly string _table = "audit-" + Guid.NewGuid().ToString("N")[..12];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await DynamoTables.CreateAsync(_dynamo, DynamoTables.AuditTable(_table), Ct);

    public ValueTask DisposeAsync()
    {
        _dynamo.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task An_empty_trail_answers_empty_pages()
    {
        var log = new DynamoAuditLog(_dynamo, _table, _clock);
        Assert.Empty((await log.QueryAsync(new AuditFilter(), 10, null, Ct)).Items);
        Assert.Empty(await log.ExportAsync(new AuditFilter(), Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task Appends_are_queried_newest_first_by_time_user_action_run_and_text_across_months()
    {
        var log = new DynamoAuditLog(_dynamo, _table, _clock);
        var start = DateTimeOffset.Parse("2026-01-20T09:00:00Z");
        // 40 entries, one every 2 days from 2026-01-20 to 2026-04-07 (four month partitions).
        for (var i = 0; i < 40; i++)
        {
            await log.AppendAsync(new AuditEntry
            {
                At = start.AddDays(2 * i),
                User = i % 2 == 0 ? "Alice@example" : "bob@example",
                Role = "operator",
                Action = i % 5 == 0 ? "extract.downloaded" : "run.started",
                Target = i % 5 == 0 ? $"bank_name=Coral/year=2026/month=0{1 + i % 3}/Coral.csv" : $"2026-0{1 + i % 3}",
                RunId = i % 5 == 0 ? null : $"run-{i % 4}",
                Reason = i == 7 ? "Quarter-end Backfill" : null,
            }, Ct);
        }

        var all = await Pages(log, new AuditFilter(), 6);
        Assert.Equal(40, all.Count);
        Assert.Equal(all.OrderByDescending(e => e.At).Select(e => e.Id), all.Select(e => e.Id));
        Assert.Equal(40, all.Select(e => e.Id).Distinct().Count());

        var exported = await log.ExportAsync(new AuditFilter(), Ct).ToListAsync(Ct);
        Assert.Equal(all.Select(e => e.Id).Reverse(), exported.Select(e => e.Id));   // oldest first

        var downloads = await Pages(log, new AuditFilter { Action = "extract.downloaded" }, 3);
        Assert.Equal(8, downloads.Count);
        Assert.All(downloads, e => Assert.Null(e.RunId));

        var run2 = await Pages(log, new AuditFilter { RunId = "run-2" }, 4);
        Assert.Equal(Enumerable.Range(0, 40).Count(i => i % 5 != 0 && i % 4 == 2), run2.Count);

        var alice = await Pages(log, new AuditFilter { UserContains = "ALICE" }, 7);
        Assert.Equal(20, alice.Count);
        var aliceExact = await Pages(log, new AuditFilter { UserExact = "Alice@example", Action = "run.started" }, 7);
        Assert.Equal(Enumerable.Range(0, 40).Count(i => i % 2 == 0 && i % 5 != 0), aliceExact.Count);

        // 2026-02-01 .. 2026-02-28: i with 20 + 2i in [32, 59] -> i = 6..19.
        var february = await Pages(log, new AuditFilter { From = new DateOnly(2026, 2, 1), To = new DateOnly(2026, 2, 28) }, 5);
        Assert.Equal(14, february.Count);
        Assert.All(february, e => Assert.Equal(2, e.At.Month));

        var text = await Pages(log, new AuditFilter { Text = "backfill" }, 5);
        Assert.Equal("Quarter-end Backfill", Assert.Single(text).Reason);
    }

    private static async Task<List<AuditEntry>> Pages(DynamoAuditLog log, AuditFilter filter, int size)
    {
        var items = new List<AuditEntry>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await log.QueryAsync(filter, size, cursor, Ct);
            Assert.True(page.Items.Count <= size);
            items.AddRange(page.Items);
            cursor = page.NextCursor;
            Assert.True(++pages < 100);
        } while (cursor is not null);
        return items;
    }
}
