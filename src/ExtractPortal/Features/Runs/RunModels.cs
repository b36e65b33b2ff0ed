namespace ExtractPortal.Features.Runs;

public enum RunState { Queued, Running, Succeeded, Failed, Cancelled }

/// <summary>One extract run: the local engine's run or, in AWS mode, a Glue job run.</summary>
public sealed record RunRecord
{
    public required string RunId { get; init; }
    public required IReadOnlyList<string> Months { get; init; }
    public required RunState State { get; init; }
    public string? Stage { get; init; }
    public string? StageDetail { get; init; }
    public int MonthsPublished { get; init; }
    public int MonthsTotal { get; init; }
    public required string TriggeredBy { get; init; }
    public required string Reason { get; init; }
    public string? BackfillId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? Error { get; init; }
    public string? CancelRequestedBy { get; init; }
    public string Engine { get; init; } = "duckdb-local";
    /// <summary>The run id the engine writes into manifests when it differs from <see cref="RunId"/>
    /// (AWS mode: the Glue job run id <c>jr_...</c>); null: the same.</summary>
    public string? EngineRunId { get; init; }

    /// <summary>The run id in this run's manifests.</summary>
    public string ManifestRunId => EngineRunId ?? RunId;

    public bool IsActive => State is RunState.Queued or RunState.Running;

    public TimeSpan? Duration(DateTimeOffset now) => StartedAt is { } started ? (FinishedAt ?? now) - started : null;

    public string MonthsText => string.Join(", ", Months);
}

public enum RunSort { Created, State, Month, TriggeredBy, Duration }

/// <summary>A page of the run history, filtered and sorted by the store (never all runs).</summary>
public sealed record RunQuery
{
    public RunState? State { get; init; }
    public string? Month { get; init; }
    public string? TriggeredBy { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public RunSort Sort { get; init; } = RunSort.Created;
    public bool Descending { get; init; } = true;
    public int Page { get; init; }
    public int PageSize { get; init; } = 25;
}

public sealed record RunPage(IReadOnlyList<RunRecord> Items, int TotalCount);

public sealed record NewRun(string Month, string TriggeredBy, string Reason, string? BackfillId);

/// <summary>What starting a month gave: a new run, or the one already queued or running for it.</summary>
public sealed record StartResult(string Month, RunRecord Run, bool AlreadyActive);

/// <summary>A month's active run (if any) and its most recent run.</summary>
public sealed record MonthRunSummary(string Month, RunRecord? Active, RunRecord? Latest);

/// <summary>A request the service refuses, with a message for the user.</summary>
public sealed class RunRequestException(string message) : Exception(message);

/// <summary>A page of a run's log, with cursors to read older lines or lines added since.</summary>
public sealed record LogPage(IReadOnlyList<string> Lines, string? OlderCursor, string NewerCursor)
{
    public bool HasOlder => OlderCursor is not null;
}
