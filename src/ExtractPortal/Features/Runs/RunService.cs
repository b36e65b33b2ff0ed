using System.Security.Claims;
using ExtractPortal.Features.Access;
using ExtractPortal.Features.Audit;
using ExtractPortal.Pipeline.Months;

namespace ExtractPortal.Features.Runs;

/// <summary>What the pages may do with runs; every call checks the user's role and audits changes.</summary>
public interface IRunService
{
    Task<RunPage> ListAsync(ClaimsPrincipal user, RunQuery query, CancellationToken ct = default);
    Task<RunRecord?> GetAsync(ClaimsPrincipal user, string runId, CancellationToken ct = default);
    Task<IReadOnlyList<RunRecord>> RefreshAsync(ClaimsPrincipal user, IReadOnlyCollection<string> runIds, CancellationToken ct = default);
    Task<IReadOnlyList<RunRecord>> RecentFinishedAsync(ClaimsPrincipal user, int count, CancellationToken ct = default);
    /// <summary>One run per month; a month already queued or running gives back that run.</summary>
    Task<IReadOnlyList<StartResult>> StartAsync(ClaimsPrincipal user, IReadOnlyList<ExtractMonth> months, string reason, string? backfillId = null, CancellationToken ct = default);
    Task<RunRecord?> CancelAsync(ClaimsPrincipal user, string runId, CancellationToken ct = default);
    Task<LogPage> ReadLogTailAsync(ClaimsPrincipal user, string runId, string? beforeCursor, int maxLines, CancellationToken ct = default);
    Task<LogPage> ReadLogNewAsync(ClaimsPrincipal user, string runId, string afterCursor, int maxLines, CancellationToken ct = default);
    Task<Stream?> OpenLogAsync(ClaimsPrincipal user, string runId, CancellationToken ct = default);
}

public sealed class RunService(IRunStore store, IRunLauncher launcher, IRunLogs logs, AuditService audit, TimeProvider clock,
    ILogger<RunService> logger) : IRunService
{
    public const int MaxReasonLength = 500;
    public const int MaxPageSize = 200;

    public Task<RunPage> ListAsync(ClaimsPrincipal user, RunQuery query, CancellationToken ct = default)
    {
        Access.Access.DemandView(user);
        return store.QueryAsync(query with { PageSize = Math.Clamp(query.PageSize, 1, MaxPageSize), Page = Math.Max(0, query.Page) }, ct);
    }

    public Task<RunRecord?> GetAsync(ClaimsPrincipal user, string runId, CancellationToken ct = default)
    {
        Access.Access.DemandView(user);
        return RunIds.IsValid(runId) ? store.GetAsync(runId, ct) : Task.FromResult<RunRecord?>(null);
    }

    public Task<IReadOnlyList<RunRecord>> RefreshAsync(ClaimsPrincipal user, IReadOnlyCollection<string> runIds, CancellationToken ct = default)
    {
        Access.Access.DemandView(user);
        return store.GetManyAsync(runIds, ct);
    }

    public Task<IReadOnlyList<RunRecord>> RecentFinishedAsync(ClaimsPrincipal user, int count, CancellationToken ct = default)
    {
        Access.Access.DemandView(user);
        return store.RecentFinishedAsync(Math.Clamp(count, 1, 200), ct);
    }

    public async Task<IReadOnlyList<StartResult>> StartAsync(ClaimsPrincipal user, IReadOnlyList<ExtractMonth> months, string reason,
        string? backfillId = null, CancellationToken ct = default)
    {
        Access.Access.DemandOperate(user);
        reason = (reason ?? "").Trim();
        if (reason.Length == 0) throw new RunRequestException("A reason is required: say why this month is (re-)extracted.");
        if (reason.Length > MaxReasonLength) throw new RunRequestException($"The reason is too long (at most {MaxReasonLength} characters).");
        if (months.Count == 0) throw new RunRequestException("Choose at least one month.");
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var notEnded = months.Where(m => !m.HasEnded(today)).Distinct().Order().ToList();
        if (notEnded.Count > 0)
            throw new RunRequestException($"{string.Join(", ", notEnded)} has not ended yet (today is {today:yyyy-MM-dd} UTC); only complete months can be extracted.");

        var who = Access.Access.NameOf(user);
        var results = new List<StartResult>();
        foreach (var month in months.Distinct().Order())
        {
            var result = await store.StartOrGetActiveAsync(new NewRun(month.ToString(), who, reason, backfillId), ct);
            results.Add(result);
            if (result.AlreadyActive)
            {
                await audit.RecordAsync(user, AuditActions.RunAlreadyActive, month.ToString(), result.Run.RunId, reason,
                    $"asked again while {result.Run.State.ToString().ToLowerInvariant()}; no new run started", ct);
            }
            else
            {
                await audit.RecordAsync(user, AuditActions.RunStarted, month.ToString(), result.Run.RunId, reason,
                    backfillId is null ? null : $"backfill {backfillId}", ct);
                logger.LogInformation("Run {RunId} queued for {Month} by {User}: {Reason}", result.Run.RunId, month, who, reason);
                await launcher.EnqueueAsync(result.Run.RunId, ct);
            }
        }
        return results;
    }

    public async Task<RunRecord?> CancelAsync(ClaimsPrincipal user, string runId, CancellationToken ct = default)
    {
        Access.Access.DemandOperate(user);
        if (!RunIds.IsValid(runId)) return null;
        var run = await store.RequestCancelAsync(runId, Access.Access.NameOf(user), ct);
        if (run is null) return null;
        launcher.TryCancel(runId);
        await audit.RecordAsync(user, AuditActions.RunCancelled, run.MonthsText, runId, null, $"state when cancelled: {run.State.ToString().ToLowerInvariant()}", ct);
        logger.LogInformation("Run {RunId} cancellation requested by {User}", runId, Access.Access.NameOf(user));
        return await store.GetAsync(runId, ct);
    }

    public Task<LogPage> ReadLogTailAsync(ClaimsPrincipal user, string runId, string? beforeCursor, int maxLines, CancellationToken ct = default)
    {
        Access.Access.DemandView(user);
        if (!RunIds.IsValid(runId)) throw new RunRequestException("Unknown run.");
        return logs.ReadTailAsync(runId, beforeCursor, Math.Clamp(maxLines, 1, 1000), ct);
    }

    public Task<LogPage> ReadLogNewAsync(ClaimsPrincipal user, string runId, string afterCursor, int maxLines, CancellationToken ct = default)
    {
        Access.Access.DemandView(user);
        if (!RunIds.IsValid(runId)) throw new RunRequestException("Unknown run.");
        return logs.ReadNewAsync(runId, afterCursor, Math.Clamp(maxLines, 1, 1000), ct);
    }

    public async Task<Stream?> OpenLogAsync(ClaimsPrincipal user, string runId, CancellationToken ct = default)
    {
        Access.Access.DemandView(user);
        if (!RunIds.IsValid(runId)) return null;
        var stream = await logs.OpenAsync(runId, ct);
        if (stream is not null) await audit.RecordAsync(user, AuditActions.LogDownloaded, runId, runId, ct: ct);
        return stream;
    }
}

/// <summary>Run ids are used in file names and URLs: only letters, digits, '-' and '_'.</summary>
public static class RunIds
{
    public static bool IsValid(string? runId) =>
        !string.IsNullOrEmpty(runId) && runId.Length <= 100 && runId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
