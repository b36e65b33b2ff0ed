using System.Security.Claims;
using ExtractPortal.Features.Access;
using ExtractPortal.Features.Audit;
using ExtractPortal.Features.Extracts;
using ExtractPortal.Features.Runs;
using ExtractPortal.Pipeline.Months;

namespace ExtractPortal.Features.Backfills;

/// <summary>Re-runs and backfills: plan exactly which months will run, then start one run per month.</summary>
public sealed class BackfillService(IRunService runService, IRunStore runs, IBackfillStore backfills, IExtractStoreReader extracts,
    AuditService audit, TimeProvider clock)
{
    public const int MaxMonths = 120;

    public async Task<BackfillPlan> PlanAsync(ClaimsPrincipal user, string? fromText, string? toText, BackfillMode mode, CancellationToken ct = default)
    {
        Access.Access.DemandOperate(user);
        var errors = new List<string>();
        if (!ExtractMonth.TryParse(fromText?.Trim(), out var from, out var fromError)) errors.Add($"From: {fromError}");
        var to = from;
        if (!string.IsNullOrWhiteSpace(toText) && !ExtractMonth.TryParse(toText.Trim(), out to, out var toError)) errors.Add($"To: {toError}");
        if (errors.Count > 0) return new BackfillPlan(default, default, mode, [], errors);
        if (to < from) return new BackfillPlan(from, to, mode, [], [$"The range {from}..{to} ends before it starts."]);
        var range = ExtractMonth.Range(from, to);
        if (range.Count > MaxMonths) return new BackfillPlan(from, to, mode, [], [$"At most {MaxMonths} months at once ({range.Count} asked)."]);

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var notEnded = range.Where(m => !m.HasEnded(today)).ToList();
        if (notEnded.Count > 0)
            errors.Add($"{string.Join(", ", notEnded)} {(notEnded.Count == 1 ? "has" : "have")} not ended yet (today is {today:yyyy-MM-dd} UTC); only complete months can be extracted.");

        var summaries = await runs.MonthSummariesAsync(range.Select(m => m.ToString()).ToList(), ct);
        var planned = new List<PlannedMonth>();
        foreach (var month in range)
        {
            summaries.TryGetValue(month.ToString(), out var summary);
            var published = await extracts.GetManifestAsync(month, ct) is not null;
            var latestFailed = summary?.Latest is { State: RunState.Failed or RunState.Cancelled };
            var status = summary?.Active is not null ? MonthStatus.Running
                : latestFailed ? MonthStatus.Failed
                : published ? MonthStatus.Published : MonthStatus.Missing;
            if (!month.HasEnded(today)) { planned.Add(new(month, status, false, "refused: the month has not ended", null)); continue; }
            if (summary?.Active is { } active)
            {
                planned.Add(new(month, status, false, $"already {active.State.ToString().ToLowerInvariant()} as run {active.RunId}: that run is kept", active.RunId));
                continue;
            }
            var (run, note) = mode switch
            {
                BackfillMode.MissingOnly => published ? (false, "skipped: already published") : (true, "will run: not published yet"),
                BackfillMode.FailedOnly => latestFailed ? (true, "will run: its last run failed") : (false, "skipped: its last run did not fail"),
                _ => (true, published ? "will run again: replaces the published files" : "will run: not published yet"),
            };
            planned.Add(new(month, status, run, note, null));
        }
        return new BackfillPlan(from, to, mode, planned, errors);
    }

    /// <summary>Starts the plan's months (each month on its own run; months already active give back their run).</summary>
    public async Task<BackfillResult> StartAsync(ClaimsPrincipal user, BackfillPlan plan, string reason, CancellationToken ct = default)
    {
        Access.Access.DemandOperate(user);
        if (!plan.CanConfirm) throw new RunRequestException(plan.Errors.FirstOrDefault() ?? "Nothing to run in this plan.");
        if (string.IsNullOrWhiteSpace(reason)) throw new RunRequestException("A reason is required: say why these months are (re-)extracted.");
        var backfillId = "bf-" + clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss") + "-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 2));
        await backfills.CreateAsync(backfillId, clock.GetUtcNow(), Access.Access.NameOf(user), reason.Trim(), plan.Mode, plan.From.ToString(), plan.To.ToString(), ct);
        await audit.RecordAsync(user, AuditActions.BackfillStarted, $"{plan.From}..{plan.To}", null, reason.Trim(),
            $"backfill {backfillId}, mode {plan.Mode}, months {string.Join(" ", plan.ToRun)}", ct);
        var results = await runService.StartAsync(user, plan.ToRun, reason, backfillId, ct);
        foreach (var result in results) await backfills.SetMonthRunAsync(backfillId, result.Month, result.Run.RunId, ct);
        return new BackfillResult(backfillId, results);
    }

    /// <summary>Starts again the months of a backfill whose run failed or was cancelled.</summary>
    public async Task<BackfillResult> RerunFailedAsync(ClaimsPrincipal user, string backfillId, string reason, CancellationToken ct = default)
    {
        Access.Access.DemandOperate(user);
        var backfill = await backfills.GetAsync(backfillId, ct) ?? throw new RunRequestException($"Unknown backfill {backfillId}.");
        var failed = backfill.Months.Where(m => m.State is RunState.Failed or RunState.Cancelled).Select(m => ExtractMonth.Parse(m.Month)).ToList();
        if (failed.Count == 0) throw new RunRequestException("No month of this backfill has failed.");
        if (string.IsNullOrWhiteSpace(reason)) throw new RunRequestException("A reason is required.");
        var results = await runService.StartAsync(user, failed, reason, backfillId, ct);
        foreach (var result in results) await backfills.SetMonthRunAsync(backfillId, result.Month, result.Run.RunId, ct);
        return new BackfillResult(backfillId, results);
    }

    public Task<IReadOnlyList<Backfill>> ListAsync(ClaimsPrincipal user, int count = 20, CancellationToken ct = default)
    {
        Access.Access.DemandView(user);
        return backfills.ListAsync(count, ct);
    }
}
