using ExtractPortal.Features.Runs;
using ExtractPortal.Pipeline.Engine;

namespace ExtractPortal.Aws.DynamoDb;

/// <summary>
/// The portal's <see cref="IRunStore"/> over the DynamoDB run index (AWS mode). The month claim is
/// the guard's conditional write, so two portal instances cannot both start one month; asking again
/// returns the active run. Pages with counts and the non-default sorts are computed from the
/// filtered index query (the index holds tens of runs a month: years of history are a few thousand
/// small items); the default newest-first order is the index's own.
/// </summary>
public sealed class DynamoRunStore(DynamoRunIndex index, TimeProvider clock) : IRunStore
{
    public DynamoRunIndex Index => index;

    public async Task<RunPage> QueryAsync(RunQuery query, CancellationToken ct)
    {
        var filter = new RunIndexFilter
        {
            State = query.State,
            Month = string.IsNullOrWhiteSpace(query.Month) ? null : query.Month.Trim(),
            TriggeredBy = string.IsNullOrWhiteSpace(query.TriggeredBy) ? null : query.TriggeredBy.Trim(),
            From = query.From,
            To = query.To,
        };
        var size = Math.Clamp(query.PageSize, 1, 500);
        var runs = new List<RunRecord>();
        await foreach (var run in index.QueryAllAsync(filter, ct)) runs.Add(ForPortal(run));
        var now = clock.GetUtcNow();
        IEnumerable<RunRecord> sorted = query.Sort switch
        {
            RunSort.State => Order(runs, r => r.State.ToString(), query.Descending),
            RunSort.Month => Order(runs, r => r.Months.FirstOrDefault() ?? "", query.Descending),
            RunSort.TriggeredBy => Order(runs, r => r.TriggeredBy, query.Descending),
            RunSort.Duration => query.Descending
                ? runs.OrderByDescending(r => r.Duration(now) ?? TimeSpan.Zero).ThenByDescending(r => r.CreatedAt)
                : runs.OrderBy(r => r.Duration(now) ?? TimeSpan.Zero).ThenByDescending(r => r.CreatedAt),
            _ => query.Descending ? runs : Enumerable.Reverse(runs),   // the index order: newest first
        };
        return new RunPage(sorted.Skip(Math.Max(0, query.Page) * size).Take(size).ToList(), runs.Count);
    }

    private static IEnumerable<RunRecord> Order(List<RunRecord> runs, Func<RunRecord, string> key, bool descending) =>
        descending
            ? runs.OrderByDescending(key, StringComparer.Ordinal).ThenByDescending(r => r.CreatedAt)
            : runs.OrderBy(key, StringComparer.Ordinal).ThenByDescending(r => r.CreatedAt);

    /// <summary>The run, found by the portal's run id or by its Glue job run id (manifests name the Glue id).</summary>
    public async Task<RunRecord?> GetAsync(string runId, CancellationToken ct)
    {
        if (await index.GetAsync(runId, ct) is { } run) return ForPortal(run);
        if (runId.StartsWith("jr_", StringComparison.Ordinal) && await index.RunIdOfGlueRunAsync(runId, ct) is { } portalRunId && portalRunId != runId)
            return await index.GetAsync(portalRunId, ct) is { } linked ? ForPortal(linked) : null;
        return null;
    }

    public async Task<IReadOnlyList<RunRecord>> GetManyAsync(IReadOnlyCollection<string> runIds, CancellationToken ct) =>
        (await index.GetManyAsync(runIds, ct)).Select(ForPortal).ToList();

    public async Task<IReadOnlyList<RunRecord>> RecentFinishedAsync(int count, CancellationToken ct)
    {
        var finished = new List<RunRecord>();
        await foreach (var run in index.QueryAllAsync(new RunIndexFilter(), ct))
        {
            if (run is { FinishedAt: not null, StartedAt: not null }) finished.Add(ForPortal(run));
            if (finished.Count >= count) break;
        }
        return finished.OrderBy(r => r.FinishedAt).ToList();
    }

    public async Task<IReadOnlyDictionary<string, MonthRunSummary>> MonthSummariesAsync(IReadOnlyCollection<string> months, CancellationToken ct)
    {
        var result = new Dictionary<string, MonthRunSummary>();
        foreach (var month in months.Distinct())
        {
            var active = await index.ActiveRunAsync(month, ct);
            var latest = await index.LatestOfMonthAsync(month, ct);
            if (active is null && latest is null) continue;
            result[month] = new MonthRunSummary(month, active is null ? null : ForPortal(active), latest is null ? null : ForPortal(latest));
        }
        return result;
    }

    public async Task<StartResult> StartOrGetActiveAsync(NewRun run, CancellationToken ct)
    {
        var runId = ExtractRequest.NewRunId(clock.GetUtcNow());
        var claim = await index.ClaimMonthAsync(run.Month, runId, run.TriggeredBy, run.Reason, run.BackfillId, ct);
        return claim with { Run = ForPortal(claim.Run) };
    }

    public Task<bool> MarkRunningAsync(string runId, CancellationToken ct) => index.MarkRunningAsync(runId, null, ct);

    public Task ReportProgressAsync(string runId, string stage, string detail, int monthsPublished, CancellationToken ct) =>
        index.ReportProgressAsync(runId, stage, detail, monthsPublished, ct);

    public Task CompleteAsync(string runId, RunState final, string? error, CancellationToken ct) =>
        index.CompleteAsync(runId, final, error, ct);

    public async Task<RunRecord?> RequestCancelAsync(string runId, string requestedBy, CancellationToken ct)
    {
        var run = await GetAsync(runId, ct);
        if (run is null || !run.IsActive) return run;
        await index.RequestCancelAsync(run.RunId, requestedBy, ct);
        if (run.State == RunState.Queued)
            await index.CompleteAsync(run.RunId, RunState.Cancelled, $"cancelled by {requestedBy} before it started", ct);
        return run;
    }

    /// <summary>
    /// Nothing to do in AWS mode: runs execute in Glue, not in this process, so a portal restart
    /// interrupts none of them (their states come from Glue).
    /// </summary>
    public Task<int> FailInterruptedAsync(string error, CancellationToken ct) => Task.FromResult(0);

    /// <summary>The index's run in the portal's convention: <see cref="RunRecord.EngineRunId"/> is null when it is the run id itself.</summary>
    private static RunRecord ForPortal(RunRecord run) => run.EngineRunId == run.RunId ? run with { EngineRunId = null } : run;
}
