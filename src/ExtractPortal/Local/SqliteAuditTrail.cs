using System.Runtime.CompilerServices;
using System.Text;
using ExtractPortal.Features.Audit;
using Microsoft.Data.Sqlite;
using static ExtractPortal.Local.PortalDatabase;

namespace ExtractPortal.Local;

/// <summary>The audit trail in SQLite: append-only (no update or delete statement exists).</summary>
public sealed class SqliteAuditTrail(PortalDatabase database) : IAuditTrail
{
    public async Task AppendAsync(AuditEntry entry, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            "INSERT INTO audit (at, user, role, action, target, run_id, reason, detail) VALUES ($at, $user, $role, $action, $target, $run, $reason, $detail)",
            ("$at", ToDb(entry.At)), ("$user", entry.User), ("$role", entry.Role), ("$action", entry.Action),
            ("$target", entry.Target), ("$run", entry.RunId), ("$reason", entry.Reason), ("$detail", entry.Detail));
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var (where, parameters) = Where(query);
        await using var count = Command(connection, "SELECT COUNT(*) FROM audit" + where, parameters.ToArray());
        var total = Convert.ToInt32(await count.ExecuteScalarAsync(ct));
        parameters.Add(("$limit", Math.Clamp(query.PageSize, 1, 500)));
        parameters.Add(("$offset", (long)Math.Max(0, query.Page) * Math.Clamp(query.PageSize, 1, 500)));
        await using var select = Command(connection, Select + where + " ORDER BY id DESC LIMIT $limit OFFSET $offset", parameters.ToArray());
        var items = new List<AuditEntry>();
        await using var reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) items.Add(Read(reader));
        return new AuditPage(items, total);
    }

    public async IAsyncEnumerable<AuditEntry> ExportAsync(AuditQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var (where, parameters) = Where(query);
        await using var select = Command(connection, Select + where + " ORDER BY id ASC", parameters.ToArray());
        await using var reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) yield return Read(reader);
    }

    private const string Select = "SELECT id, at, user, role, action, target, run_id, reason, detail FROM audit";

    private static (string, List<(string, object?)>) Where(AuditQuery q)
    {
        var where = new StringBuilder(" WHERE 1 = 1");
        var parameters = new List<(string, object?)>();
        if (!string.IsNullOrWhiteSpace(q.User)) { where.Append(" AND user LIKE $user ESCAPE '\\'"); parameters.Add(("$user", Like(q.User))); }
        if (!string.IsNullOrWhiteSpace(q.Action)) { where.Append(" AND action = $action"); parameters.Add(("$action", q.Action.Trim())); }
        if (!string.IsNullOrWhiteSpace(q.RunId)) { where.Append(" AND run_id = $run"); parameters.Add(("$run", q.RunId.Trim())); }
        if (!string.IsNullOrWhiteSpace(q.Text))
        {
            where.Append(" AND (target LIKE $text ESCAPE '\\' OR reason LIKE $text ESCAPE '\\' OR detail LIKE $text ESCAPE '\\')");
            parameters.Add(("$text", Like(q.Text)));
        }
        if (q.From is { } from) { where.Append(" AND at >= $from"); parameters.Add(("$from", ToDb(new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)))); }
        if (q.To is { } to) { where.Append(" AND at < $to"); parameters.Add(("$to", ToDb(new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)))); }
        return (where.ToString(), parameters);
    }

    private static string Like(string text) => "%" + text.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    private static AuditEntry Read(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0),
        At = FromDb(r.GetInt64(1)),
        User = r.GetString(2),
        Role = r.GetString(3),
        Action = r.GetString(4),
        Target = r.IsDBNull(5) ? null : r.GetString(5),
        RunId = r.IsDBNull(6) ? null : r.GetString(6),
        Reason = r.IsDBNull(7) ? null : r.GetString(7),
        Detail = r.IsDBNull(8) ? null : r.GetString(8),
    };
}
