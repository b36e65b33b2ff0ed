using ExtractPortal.Features.Backfills;
using ExtractPortal.Features.Runs;
using static ExtractPortal.Local.PortalDatabase;

namespace ExtractPortal.Local;

public sealed class SqliteBackfillStore(PortalDatabase database) : IBackfillStore
{
    public async Task CreateAsync(string backfillId, DateTimeOffset createdAt, string triggeredBy, string reason, BackfillMode mode, string from, string to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            "INSERT INTO backfills (backfill_id, created_at, triggered_by, reason, mode, from_month, to_month) VALUES ($id, $at, $by, $reason, $mode, $from, $to)",
            ("$id", backfillId), ("$at", ToDb(createdAt)), ("$by", triggeredBy), ("$reason", reason), ("$mode", mode.ToString()), ("$from", from), ("$to", to));
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task SetMonthRunAsync(string backfillId, string month, string runId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            "INSERT INTO backfill_months (backfill_id, month, run_id) VALUES ($id, $month, $run) ON CONFLICT (backfill_id, month) DO UPDATE SET run_id = excluded.run_id",
            ("$id", backfillId), ("$month", month), ("$run", runId));
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<Backfill>> ListAsync(int count, CancellationToken ct) => await ReadAsync(null, count, ct);

    public async Task<Backfill?> GetAsync(string backfillId, CancellationToken ct) => (await ReadAsync(backfillId, 1, ct)).FirstOrDefault();

    private async Task<List<Backfill>> ReadAsync(string? backfillId, int count, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var headers = new List<Backfill>();
        await using (var command = Command(connection,
            "SELECT backfill_id, created_at, triggered_by, reason, mode, from_month, to_month FROM backfills " +
            (backfillId is null ? "" : "WHERE backfill_id = $id ") + "ORDER BY created_at DESC LIMIT $n", ("$id", backfillId), ("$n", count)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                headers.Add(new Backfill(reader.GetString(0), FromDb(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3),
                    Enum.Parse<BackfillMode>(reader.GetString(4)), reader.GetString(5), reader.GetString(6), []));
        var result = new List<Backfill>();
        foreach (var header in headers)
        {
            var months = new List<BackfillMonth>();
            await using var command = Command(connection,
                "SELECT b.month, b.run_id, r.state, r.error FROM backfill_months b JOIN runs r ON r.run_id = b.run_id WHERE b.backfill_id = $id ORDER BY b.month",
                ("$id", header.BackfillId));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                months.Add(new BackfillMonth(reader.GetString(0), reader.GetString(1), Enum.Parse<RunState>(reader.GetString(2)), reader.IsDBNull(3) ? null : reader.GetString(3)));
            result.Add(header with { Months = months });
        }
        return result;
    }
}
