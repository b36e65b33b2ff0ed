namespace ExtractPortal.Features.Runs;

/// <summary>
/// Run history and run control state. Local: SQLite in the data folder. AWS: a DynamoDB table
/// (conditional writes for the one-active-run-per-month claim) fed by Glue job run states.
/// </summary>
public interface IRunStore
{
    Task<RunPage> QueryAsync(RunQuery query, CancellationToken ct);
    Task<RunRecord?> GetAsync(string runId, CancellationToken ct);
    Task<IReadOnlyList<RunRecord>> GetManyAsync(IReadOnlyCollection<string> runIds, CancellationToken ct);
    Task<IReadOnlyList<RunRecord>> RecentFinishedAsync(int count, CancellationToken ct);
    Task<IReadOnlyDictionary<string, MonthRunSummary>> MonthSummariesAsync(IReadOnlyCollection<string> months, CancellationToken ct);

    /// <summary>
    /// Atomically claims the month for a new queued run, or returns the run already queued or
    /// running for it. Safe across threads, processes and browsers.
    /// </summary>
    Task<StartResult> StartOrGetActiveAsync(NewRun run, CancellationToken ct);

    /// <summary>Queued to running; false when the run is no longer queued (e.g. cancelled).</summary>
    Task<bool> MarkRunningAsync(string runId, CancellationToken ct);
    Task ReportProgressAsync(string runId, string stage, string detail, int monthsPublished, CancellationToken ct);
    /// <summary>Ends a run (succeeded, failed, cancelled) and releases its months.</summary>
    Task CompleteAsync(string runId, RunState final, string? error, CancellationToken ct);
    /// <summary>A queued run is cancelled at once; a running one is marked for cancellation.</summary>
    Task<RunRecord?> RequestCancelAsync(string runId, string requestedBy, CancellationToken ct);
    /// <summary>Marks every queued or running run failed (at start: nothing survived the restart).</summary>
    Task<int> FailInterruptedAsync(string error, CancellationToken ct);
}

/// <summary>Executes runs. Local: the hosted queue running the DuckDB engine. AWS: Glue StartJobRun / BatchStopJobRun.</summary>
public interface IRunLauncher
{
    ValueTask EnqueueAsync(string runId, CancellationToken ct);
    /// <summary>Asks a running run to stop; false when this launcher is not running it.</summary>
    bool TryCancel(string runId);
}

/// <summary>A run's log. Local: a file per run. AWS: the Glue job's CloudWatch Logs stream.</summary>
public interface IRunLogs
{
    /// <summary>Up to <paramref name="maxLines"/> lines ending before <paramref name="beforeCursor"/> (null: the end).</summary>
    Task<LogPage> ReadTailAsync(string runId, string? beforeCursor, int maxLines, CancellationToken ct);
    /// <summary>Lines written after <paramref name="afterCursor"/> (the live tail).</summary>
    Task<LogPage> ReadNewAsync(string runId, string afterCursor, int maxLines, CancellationToken ct);
    /// <summary>The whole log as a stream, for download; null when the run has no log.</summary>
    Task<Stream?> OpenAsync(string runId, CancellationToken ct);
}
