using System.Text;
using ExtractPortal.Features.Runs;
using ExtractPortal.Pipeline.Engine;
using Microsoft.Data.Sqlite;
using static ExtractPortal.Local.PortalDatabase;

namespace ExtractPortal.Local;

/// <summary>Run history in SQLite. The month claim is a row in run_months under a unique partial index.</summary>
public sealed class SqliteRunStore(PortalDatabase database, TimeProvider clock) : IRunStore
{
    private const string Columns = "r.run_id, r.months, r.state, r.stage, r.stage_detail, r.months_published, r.months_total, r.triggered_by, " +
                                   "r.reason, r.backfill_id, r.created_at, r.started_at, r.finished_at, r.error, r.cancel_requested_by, r.engine";

    public async Task<RunPage> QueryAsync(RunQuery query, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var where = new StringBuilder(" WHERE 1 = 1");
        var parameters = new List<(string, object?)>();
        if (query.State is { } state) { where.Append(" AND r.state = $state"); parameters.Add(("$state", state.ToString())); }
        if (!string.IsNullOrWhiteSpace(query.Month))
        {
            where.Append(" AND EXISTS (SELECT 1 FROM run_months m WHERE m.run_id = r.run_id AND m.month = $month)");
            parameters.Add(("$month", query.Month.Trim()));
        }
        if (!string.IsNullOrWhiteSpace(query.TriggeredBy))
        {
            where.Append(" AND r.triggered_by LIKE $by ESCAPE '\\'");
            parameters.Add(("$by", "%" + EscapeLike(query.TriggeredBy.Trim()) + "%"));
        }
        if (query.From is { } from)
        {
            where.Append(" AND r.created_at >= $from");
            parameters.Add(("$from", ToDb(new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero))));
        }
        if (query.To is { } to)
        {
            where.Append(" AND r.created_at < $to");
            parameters.Add(("$to", ToDb(new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero))));
        }
        var direction = query.Descending ? "DESC" : "ASC";
        var order = query.Sort switch
        {
            RunSort.State => $"r.state {direction}, r.created_at DESC",
            RunSort.Month => $"r.first_month {direction}, r.created_at DESC",
            RunSort.TriggeredBy => $"r.triggered_by {direction}, r.created_at DESC",
            RunSort.Duration => $"(COALESCE(r.finished_at, $now) - COALESCE(r.started_at, COALESCE(r.finished_at, $now))) {direction}, r.created_at DESC",
            _ => $"r.created_at {direction}, r.run_id {direction}",
        };
        parameters.Add(("$now", ToDb(clock.GetUtcNow())));

        await using var count = Command(connection, "SELECT COUNT(*) FROM runs r" + where, parameters.ToArray());
        var total = Convert.ToInt32(await count.ExecuteScalarAsync(ct));
        parameters.Add(("$limit", query.PageSize));
        parameters.Add(("$offset", (long)query.Page * query.PageSize));
        await using var select = Command(connection, $"SELECT {Columns} FROM runs r{where} ORDER BY {order} LIMIT $limit OFFSET $offset", parameters.ToArray());
        return new RunPage(await ReadAllAsync(select, ct), total);
    }

    public async Task<RunRecord?> GetAsync(string runId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection, $"SELECT {Columns} FROM runs r WHERE r.run_id = $id", ("$id", runId));
        return (await ReadAllAsync(command, ct)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<RunRecord>> GetManyAsync(IReadOnlyCollection<string> runIds, CancellationToken ct)
    {
        if (runIds.Count == 0) return [];
        await using var connection = await database.OpenAsync(ct);
        var names = runIds.Select((_, i) => $"$p{i}").ToArray();
        await using var command = Command(connection, $"SELECT {Columns} FROM runs r WHERE r.run_id IN ({string.Join(',', names)})",
            runIds.Select((id, i) => (names[i], (object?)id)).ToArray());
        return await ReadAllAsync(command, ct);
    }

    public async Task<IReadOnlyList<RunRecord>> RecentFinishedAsync(int count, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            $"SELECT {Columns} FROM runs r WHERE r.finished_at IS NOT NULL AND r.started_at IS NOT NULL ORDER BY r.finished_at DESC LIMIT $n", ("$n", count));
        var runs = await ReadAllAsync(command, ct);
        runs.Reverse();
        return runs;
    }

    public async Task<IReadOnlyDictionary<string, MonthRunSummary>> MonthSummariesAsync(IReadOnlyCollection<string> months, CancellationToken ct)
    {
        var result = new Dictionary<string, MonthRunSummary>();
        if (months.Count == 0) return result;
        await using var connection = await database.OpenAsync(ct);
        foreach (var chunk in months.Distinct().Chunk(200))
        {
            var names = chunk.Select((_, i) => $"$m{i}").ToArray();
            // Latest run per month, and the active one (if any), in one pass.
            await using var command = Command(connection,
                $"""
                SELECT m.month, m.active, {Columns}, r.rowid = l.latest AS is_latest
                FROM run_months m JOIN runs r ON r.run_id = m.run_id
                JOIN (SELECT m3.month AS month,
                             (SELECT r2.rowid FROM run_months m2 JOIN runs r2 ON r2.run_id = m2.run_id WHERE m2.month = m3.month
                              ORDER BY r2.created_at DESC, r2.rowid DESC LIMIT 1) AS latest
                      FROM (SELECT DISTINCT month FROM run_months WHERE month IN ({string.Join(',', names)})) m3) l ON l.month = m.month
                WHERE m.active = 1 OR r.rowid = l.latest
                """,
                chunk.Select((m, i) => (names[i], (object?)m)).ToArray());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var month = reader.GetString(0);
                var active = reader.GetInt64(1) == 1;
                var run = Read(reader, 2);
                var latest = reader.GetInt64(18) == 1;
                result.TryGetValue(month, out var summary);
                summary ??= new MonthRunSummary(month, null, null);
                if (active) summary = summary with { Active = run };
                if (latest) summary = summary with { Latest = run };
                result[month] = summary;
            }
        }
        return result;
    }

    public async Task<StartResult> StartOrGetActiveAsync(NewRun run, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var connection = await database.OpenAsync(ct);
            // BEGIN IMMEDIATE: takes the write lock first, so two requests for one month are serialised
            // across connections and processes; the unique partial index is the backstop.
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
            var existing = await ActiveRunOfAsync(connection, run.Month, ct);
            if (existing is not null)
            {
                await transaction.CommitAsync(ct);
                return new StartResult(run.Month, existing, AlreadyActive: true);
            }
            var now = clock.GetUtcNow();
            var runId = ExtractRequest.NewRunId(now);
            try
            {
                await using (var insert = Command(connection,
                    """
                    INSERT INTO runs (run_id, months, first_month, state, stage, stage_detail, months_published, months_total, triggered_by, reason, backfill_id, created_at, engine)
                    VALUES ($id, $months, $months, 'Queued', 'Queued', 'waiting for a free worker', 0, 1, $by, $reason, $backfill, $now, $engine)
                    """,
                    ("$id", runId), ("$months", run.Month), ("$by", run.TriggeredBy), ("$reason", run.Reason),
                    ("$backfill", run.BackfillId), ("$now", ToDb(now)), ("$engine", ExtractEngine.EngineName)))
                    await insert.ExecuteNonQueryAsync(ct);
                await using (var claim = Command(connection, "INSERT INTO run_months (run_id, month, active) VALUES ($id, $month, 1)",
                    ("$id", runId), ("$month", run.Month)))
                    await claim.ExecuteNonQueryAsync(ct);
                await transaction.CommitAsync(ct);
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19 && attempt < 3)   // SQLITE_CONSTRAINT: someone claimed it first
            {
                await transaction.RollbackAsync(ct);
                continue;
            }
            return new StartResult(run.Month, (await GetAsync(runId, ct))!, AlreadyActive: false);
        }
    }

    private static async Task<RunRecord?> ActiveRunOfAsync(SqliteConnection connection, string month, CancellationToken ct)
    {
        await using var command = Command(connection,
            $"SELECT {Columns} FROM run_months m JOIN runs r ON r.run_id = m.run_id WHERE m.month = $month AND m.active = 1", ("$month", month));
        return (await ReadAllAsync(command, ct)).FirstOrDefault();
    }

    public async Task<bool> MarkRunningAsync(string runId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            "UPDATE runs SET state = 'Running', started_at = $now, stage = 'Starting', stage_detail = NULL WHERE run_id = $id AND state = 'Queued'",
            ("$id", runId), ("$now", ToDb(clock.GetUtcNow())));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task ReportProgressAsync(string runId, string stage, string detail, int monthsPublished, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            "UPDATE runs SET stage = $stage, stage_detail = $detail, months_published = $published WHERE run_id = $id AND state = 'Running'",
            ("$id", runId), ("$stage", stage), ("$detail", detail), ("$published", monthsPublished));
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task CompleteAsync(string runId, RunState final, string? error, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        await using (var update = Command(connection,
            """
            UPDATE runs SET state = $state, finished_at = $now, error = $error,
                stage = CASE WHEN $state = 'Succeeded' THEN 'Done' ELSE stage END,
                months_published = CASE WHEN $state = 'Succeeded' THEN months_total ELSE months_published END
            WHERE run_id = $id AND state IN ('Queued', 'Running')
            """,
            ("$id", runId), ("$state", final.ToString()), ("$now", ToDb(clock.GetUtcNow())), ("$error", error)))
            await update.ExecuteNonQueryAsync(ct);
        await using (var release = Command(connection, "UPDATE run_months SET active = 0 WHERE run_id = $id", ("$id", runId)))
            await release.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }

    public async Task<RunRecord?> RequestCancelAsync(string runId, string requestedBy, CancellationToken ct)
    {
        var run = await GetAsync(runId, ct);
        if (run is null || !run.IsActive) return run;
        await using (var connection = await database.OpenAsync(ct))
        await using (var mark = Command(connection, "UPDATE runs SET cancel_requested_by = $by WHERE run_id = $id", ("$id", runId), ("$by", requestedBy)))
            await mark.ExecuteNonQueryAsync(ct);
        if (run.State == RunState.Queued)
            await CompleteAsync(runId, RunState.Cancelled, $"cancelled by {requestedBy} before it started", ct);
        return run;
    }

    public async Task<int> FailInterruptedAsync(string error, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        await using var update = Command(connection,
            "UPDATE runs SET state = 'Failed', finished_at = $now, error = $error WHERE state IN ('Queued', 'Running')",
            ("$now", ToDb(clock.GetUtcNow())), ("$error", error));
        var count = await update.ExecuteNonQueryAsync(ct);
        await using (var release = Command(connection, "UPDATE run_months SET active = 0 WHERE active = 1"))
            await release.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        return count;
    }

    private static async Task<List<RunRecord>> ReadAllAsync(SqliteCommand command, CancellationToken ct)
    {
        var runs = new List<RunRecord>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) runs.Add(Read(reader, 0));
        return runs;
    }

    private static RunRecord Read(SqliteDataReader r, int o)
    {
        string? S(int i) => r.IsDBNull(o + i) ? null : r.GetString(o + i);
        DateTimeOffset? T(int i) => r.IsDBNull(o + i) ? null : FromDb(r.GetInt64(o + i));
        return new RunRecord
        {
            RunId = r.GetString(o),
            Months = r.GetString(o + 1).Split(',', StringSplitOptions.RemoveEmptyEntries),
            State = Enum.Parse<RunState>(r.GetString(o + 2)),
            Stage = S(3),
            StageDetail = S(4),
            MonthsPublished = r.GetInt32(o + 5),
            MonthsTotal = r.GetInt32(o + 6),
            TriggeredBy = r.GetString(o + 7),
            Reason = r.GetString(o + 8),
            BackfillId = S(9),
            CreatedAt = FromDb(r.GetInt64(o + 10)),
            StartedAt = T(11),
            FinishedAt = T(12),
            Error = S(13),
            CancelRequestedBy = S(14),
            Engine = r.GetString(o + 15),
        };
    }

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
