using ExtractPortal.Aws.DynamoDb;
using ExtractPortal.Aws.Protocol;
using ExtractPortal.Features.Extracts;
using ExtractPortal.Features.Runs;
using ExtractPortal.Pipeline.Months;
using Microsoft.Extensions.Options;

namespace ExtractPortal.Aws.Glue;

/// <summary>
/// Keeps the DynamoDB run index in step with Glue (AWS mode). Every <c>Aws:GlueSyncIntervalSeconds</c>:
/// <list type="number">
/// <item>each queued or running run of the index is refreshed from <c>GetJobRun</c> (STARTING, RUNNING,
/// STOPPING, WAITING: running; SUCCEEDED: succeeded; FAILED, TIMEOUT, ERROR, EXPIRED: failed with Glue's
/// ErrorMessage; STOPPED: cancelled) with Glue's timings and the months whose run manifest exists;
/// ending a run releases its month guard; a stop asked for is repeated while Glue still runs it;</item>
/// <item>runs started outside the portal (the monthly schedule, the console) are imported: <c>GetJobRuns</c>
/// newest first until a run the index knows that started before the look-back window; their months,
/// requester and reason come from <c>--extract_months</c> (default: the month before the start),
/// <c>--triggered_by</c> (default <c>schedule</c>) and <c>--reason</c> (default <c>monthly schedule</c>).</item>
/// </list>
/// Every instance may run it: all writes are conditional or idempotent. Errors are logged and the next
/// pass tries again; the DynamoDB index keeps the history beyond Glue's 90 days.
/// </summary>
public sealed class GlueRunSync(
    DynamoRunIndex index, IServiceProvider services, IExtractStoreReader manifests, TimeProvider clock,
    IOptions<AwsOptions> options, ILogger<GlueRunSync> logger) : BackgroundService
{
    public const string ScheduleUser = "schedule";
    public const string ScheduleReason = "monthly schedule";

    /// <summary>Known runs younger than this are paged past while importing (a run the portal is just linking must not be imported twice).</summary>
    public TimeSpan ImportLookBack { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>An unknown Glue run younger than this is left for the next pass (StartJobRun may not have been linked yet).</summary>
    public TimeSpan LinkGrace { get; init; } = TimeSpan.FromMinutes(1);
    /// <summary>A queued run without a Glue run id this old was never started (the portal stopped during StartJobRun).</summary>
    public TimeSpan StartGrace { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>At most this many Glue runs are read per import (the first pass on an empty index reads Glue's 90 days).</summary>
    public int MaxImport { get; init; } = 1000;

    private GlueClient Glue => services.GetRequiredService<GlueClient>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = options.Value.GlueSyncIntervalSeconds;
        if (seconds <= 0)
        {
            logger.LogWarning("The Glue run-state sync is off (Aws:GlueSyncIntervalSeconds = 0): run states will not change");
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds), clock);
        do
        {
            try
            {
                await SyncOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Glue run-state sync failed; retrying in {Seconds} s", seconds);
            }
        } while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct); }
        catch (OperationCanceledException) { return false; }
    }

    /// <summary>One pass: refresh the active runs, then import runs started outside the portal.</summary>
    public async Task SyncOnceAsync(CancellationToken ct)
    {
        await RefreshActiveAsync(ct);
        await ImportAsync(ct);
    }

    public async Task RefreshActiveAsync(CancellationToken ct)
    {
        foreach (var state in new[] { RunState.Running, RunState.Queued })
        {
            var active = new List<RunRecord>();
            await foreach (var run in index.QueryAllAsync(new RunIndexFilter { State = state }, ct)) active.Add(run);
            foreach (var run in active)
            {
                try
                {
                    await RefreshAsync(run, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    logger.LogWarning(e, "Could not refresh run {RunId} (Glue run {GlueRunId}) from Glue", run.RunId, run.EngineRunId);
                }
            }
        }
    }

    private async Task RefreshAsync(RunRecord run, CancellationToken ct)
    {
        if (run.EngineRunId is not { } glueRunId)
        {
            if (run.State == RunState.Queued && clock.GetUtcNow() - run.CreatedAt > StartGrace)
            {
                logger.LogWarning("Run {RunId} was never started in Glue; marking it failed", run.RunId);
                await index.CompleteAsync(run.RunId, RunState.Failed,
                    "the Glue job was never started (the portal stopped before StartJobRun answered); re-run the month", ct);
            }
            return;
        }
        GlueJobRun glueRun;
        try
        {
            glueRun = await Glue.GetJobRunAsync(glueRunId, ct);
        }
        catch (EntityNotFoundException)
        {
            await index.CompleteAsync(run.RunId, RunState.Failed, $"Glue does not know job run {glueRunId} (any more); its outcome is unknown", ct);
            return;
        }
        await ApplyAsync(run, glueRun, ct);
    }

    /// <summary>Maps Glue's state onto the run; ends it (and releases its months) when Glue says it ended.</summary>
    public async Task ApplyAsync(RunRecord run, GlueJobRun glueRun, CancellationToken ct)
    {
        var state = MapState(glueRun.JobRunState);
        var published = await MonthsPublishedAsync(run.Months, glueRun.Id, ct);
        if (state is RunState.Queued or RunState.Running)
        {
            if (run.State == RunState.Queued) await index.MarkRunningAsync(run.RunId, glueRun.Id, ct);
            await index.ReportGlueStateAsync(run.RunId, "Glue " + glueRun.JobRunState,
                $"Glue job run {glueRun.Id}: {glueRun.JobRunState}, {glueRun.ExecutionTime} s of execution", published, glueRun.StartedOn, ct);
            if (run.CancelRequestedBy is not null && glueRun.JobRunState != GlueJobRunStates.Stopping)
                await services.GetRequiredService<GlueRunLauncher>().StopAsync(run.RunId, glueRun.Id, ct);
            return;
        }
        var error = state switch
        {
            RunState.Failed => $"Glue run {glueRun.JobRunState}: {(string.IsNullOrWhiteSpace(glueRun.ErrorMessage) ? "no error message from Glue" : glueRun.ErrorMessage)}",
            RunState.Cancelled => $"stopped in Glue{(run.CancelRequestedBy is { } by ? $" (cancelled by {by})" : "")}; months not yet published were left as they were",
            _ => null,
        };
        if (await index.CompleteAsync(run.RunId, state, error, ct, glueRun.CompletedOn ?? clock.GetUtcNow(), glueRun.StartedOn, published))
            logger.LogInformation("Run {RunId} (Glue {GlueRunId}) {State}", run.RunId, glueRun.Id, state);
    }

    public static RunState MapState(string? glueState) => glueState switch
    {
        GlueJobRunStates.Starting or GlueJobRunStates.Running or GlueJobRunStates.Stopping or GlueJobRunStates.Waiting or null => RunState.Running,
        GlueJobRunStates.Succeeded => RunState.Succeeded,
        GlueJobRunStates.Stopped => RunState.Cancelled,
        _ => RunState.Failed,   // FAILED, TIMEOUT, ERROR, EXPIRED, anything new
    };

    /// <summary>The months of the run whose run manifest (<c>_manifests/.../runs/&lt;glue run id&gt;.json</c>) exists.</summary>
    private async Task<int> MonthsPublishedAsync(IReadOnlyList<string> months, string glueRunId, CancellationToken ct)
    {
        var count = 0;
        foreach (var text in months)
        {
            if (!ExtractMonth.TryParse(text, out var month, out _)) continue;
            try
            {
                if (await manifests.GetRunManifestAsync(month, glueRunId, ct) is not null) count++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "The run manifest of {Month} for Glue run {GlueRunId} is not readable; not counted as published", text, glueRunId);
            }
        }
        return count;
    }

    /// <summary>Imports Glue runs the index has not seen (newest first, until a known run older than the look-back).</summary>
    public async Task<int> ImportAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var imported = 0;
        await foreach (var glueRun in Glue.ListJobRunsAsync(MaxImport, ct))
        {
            var startedOn = glueRun.StartedOn ?? now;
            if (await index.RunIdOfGlueRunAsync(glueRun.Id, ct) is not null)
            {
                if (startedOn < now - ImportLookBack) break;
                continue;
            }
            if (now - startedOn < LinkGrace) continue;
            try
            {
                await ImportOneAsync(glueRun, ct);
                imported++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not import Glue job run {GlueRunId}", glueRun.Id);
            }
        }
        return imported;
    }

    private async Task ImportOneAsync(GlueJobRun glueRun, CancellationToken ct)
    {
        var startedOn = glueRun.StartedOn ?? clock.GetUtcNow();
        var months = MonthsOf(glueRun.ExtractMonths, startedOn);
        var state = MapState(glueRun.JobRunState);
        var entry = new RunRecord
        {
            RunId = glueRun.Id,   // Glue run ids (jr_<hex>) are valid portal run ids
            Months = months,
            State = state,
            Stage = state is RunState.Queued or RunState.Running ? "Glue " + glueRun.JobRunState : state == RunState.Succeeded ? "Done" : null,
            StageDetail = $"started outside the portal (Glue job run {glueRun.Id})",
            MonthsTotal = months.Count,
            MonthsPublished = state == RunState.Succeeded ? months.Count : await MonthsPublishedAsync(months, glueRun.Id, ct),
            TriggeredBy = NonEmpty(glueRun.TriggeredBy) ?? ScheduleUser,
            Reason = NonEmpty(glueRun.Reason) ?? ScheduleReason,
            CreatedAt = startedOn,
            StartedAt = startedOn,
            FinishedAt = state is RunState.Queued or RunState.Running ? null : glueRun.CompletedOn ?? glueRun.LastModifiedOn ?? startedOn,
            Error = state == RunState.Failed ? $"Glue run {glueRun.JobRunState}: {glueRun.ErrorMessage ?? "no error message from Glue"}"
                : state == RunState.Cancelled ? "stopped in Glue" : null,
            Engine = DynamoRunIndex.GlueEngine,
            EngineRunId = glueRun.Id,
        };
        await index.PutRunAsync(entry, ct);
        await index.LinkGlueRunAsync(entry.RunId, glueRun.Id, ct);
        if (entry.IsActive)
            foreach (var month in months)
                if (!await index.TryClaimGuardAsync(month, entry.RunId, ct))
                    logger.LogWarning("Imported Glue run {GlueRunId} works on {Month}, which another run holds", glueRun.Id, month);
        logger.LogInformation("Imported Glue job run {GlueRunId} ({Months}, {State}, by {TriggeredBy})", glueRun.Id, string.Join(",", months), state, entry.TriggeredBy);
    }

    /// <summary><c>--extract_months</c> as Glue/README.md defines it: one month, a comma list or a range; default the month before the start.</summary>
    public static IReadOnlyList<string> MonthsOf(string? argument, DateTimeOffset startedOn)
    {
        var text = argument?.Trim();
        try
        {
            if (!string.IsNullOrEmpty(text))
            {
                if (text.Contains(".."))
                {
                    var ends = text.Split("..", 2);
                    return ExtractMonth.Range(ExtractMonth.Parse(ends[0].Trim()), ExtractMonth.Parse(ends[1].Trim())).Select(m => m.ToString()).ToList();
                }
                return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(m => ExtractMonth.Parse(m).ToString()).Distinct().Order(StringComparer.Ordinal).ToList();
            }
        }
        catch (Exception e) when (e is FormatException or ArgumentException) { /* not our syntax: fall back like the job would fail; keep the default */ }
        return [ExtractMonth.PreviousOf(DateOnly.FromDateTime(startedOn.UtcDateTime)).ToString()];
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
