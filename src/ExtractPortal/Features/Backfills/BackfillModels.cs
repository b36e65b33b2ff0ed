using ExtractPortal.Features.Runs;
using ExtractPortal.Pipeline.Months;

namespace ExtractPortal.Features.Backfills;

public enum BackfillMode { MissingOnly, FailedOnly, All }

public enum MonthStatus { Missing, Published, Failed, Running }

/// <summary>A month of the plan: its status now, whether it will run, and why (or why not).</summary>
public sealed record PlannedMonth(ExtractMonth Month, MonthStatus Status, bool WillRun, string Note, string? ActiveRunId);

/// <summary>Exactly what confirming will do. Errors (e.g. months not ended) block confirming.</summary>
public sealed record BackfillPlan(ExtractMonth From, ExtractMonth To, BackfillMode Mode, IReadOnlyList<PlannedMonth> Months, IReadOnlyList<string> Errors)
{
    public IReadOnlyList<ExtractMonth> ToRun => Months.Where(m => m.WillRun).Select(m => m.Month).ToList();
    public bool CanConfirm => Errors.Count == 0 && ToRun.Count > 0;
}

public sealed record BackfillMonth(string Month, string RunId, RunState State, string? Error);

public sealed record Backfill(string BackfillId, DateTimeOffset CreatedAt, string TriggeredBy, string Reason, BackfillMode Mode,
    string FromMonth, string ToMonth, IReadOnlyList<BackfillMonth> Months)
{
    public int Total => Months.Count;
    public int Succeeded => Months.Count(m => m.State == RunState.Succeeded);
    public int Failed => Months.Count(m => m.State is RunState.Failed or RunState.Cancelled);
    public int Active => Months.Count(m => m.State is RunState.Queued or RunState.Running);
}

public sealed record BackfillResult(string BackfillId, IReadOnlyList<StartResult> Runs);

/// <summary>Backfill groups (the months asked together and the run of each). Local: SQLite. AWS: DynamoDB.</summary>
public interface IBackfillStore
{
    Task CreateAsync(string backfillId, DateTimeOffset createdAt, string triggeredBy, string reason, BackfillMode mode, string from, string to, CancellationToken ct);
    Task SetMonthRunAsync(string backfillId, string month, string runId, CancellationToken ct);
    /// <summary>Newest first, with each month's current run state.</summary>
    Task<IReadOnlyList<Backfill>> ListAsync(int count, CancellationToken ct);
    Task<Backfill?> GetAsync(string backfillId, CancellationToken ct);
}
