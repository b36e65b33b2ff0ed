namespace ExtractPortal.Features.Audit;

public static class AuditActions
{
    public const string RunStarted = "run.started";
    public const string RunAlreadyActive = "run.already-active";
    public const string RunCancelled = "run.cancelled";
    public const string BackfillStarted = "backfill.started";
    public const string ExtractDownloaded = "extract.downloaded";
    public const string LogDownloaded = "log.downloaded";
    public const string SignedIn = "user.signed-in";
    public const string SignedOut = "user.signed-out";
    public const string AccessDenied = "access.denied";

    public static readonly string[] All =
        [RunStarted, RunAlreadyActive, RunCancelled, BackfillStarted, ExtractDownloaded, LogDownloaded, SignedIn, SignedOut, AccessDenied];
}

/// <summary>One line of the audit trail: who did what, to which month/file/run, when and why.</summary>
public sealed record AuditEntry
{
    public long Id { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string User { get; init; }
    public required string Role { get; init; }
    public required string Action { get; init; }
    public string? Target { get; init; }
    public string? RunId { get; init; }
    public string? Reason { get; init; }
    public string? Detail { get; init; }
}

public sealed record AuditQuery
{
    public string? User { get; init; }
    public string? Action { get; init; }
    public string? RunId { get; init; }
    /// <summary>Matches target, reason or detail.</summary>
    public string? Text { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public int Page { get; init; }
    public int PageSize { get; init; } = 50;
}

public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, int TotalCount);

/// <summary>Append-only audit trail. Local: SQLite. AWS: a DynamoDB table.</summary>
public interface IAuditTrail
{
    Task AppendAsync(AuditEntry entry, CancellationToken ct);
    Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken ct);
    /// <summary>Every matching entry, oldest first, streamed (for the CSV export).</summary>
    IAsyncEnumerable<AuditEntry> ExportAsync(AuditQuery query, CancellationToken ct);
}
