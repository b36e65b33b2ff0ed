using System.Globalization;
using System.Security.Claims;
using System.Text;
using ExtractPortal.Features.Access;

namespace ExtractPortal.Features.Audit;

/// <summary>Records what users do and lets auditors read and export it.</summary>
public sealed class AuditService(IAuditTrail trail, TimeProvider clock)
{
    public Task RecordAsync(ClaimsPrincipal user, string action, string? target = null, string? runId = null,
        string? reason = null, string? detail = null, CancellationToken ct = default) =>
        trail.AppendAsync(new AuditEntry
        {
            At = clock.GetUtcNow(),
            User = Access.Access.NameOf(user),
            Role = Access.Access.RoleOf(user),
            Action = action,
            Target = target,
            RunId = runId,
            Reason = reason,
            Detail = detail,
        }, ct);

    public Task<AuditPage> QueryAsync(ClaimsPrincipal user, AuditQuery query, CancellationToken ct = default)
    {
        Access.Access.DemandAudit(user);
        return trail.QueryAsync(query, ct);
    }

    public static readonly string CsvHeader = "id,at_utc,user,role,action,target,run_id,reason,detail\n";

    /// <summary>Writes the matching entries as CSV (RFC 4180 quoting), streaming.</summary>
    public async Task ExportCsvAsync(ClaimsPrincipal user, AuditQuery query, Stream output, CancellationToken ct)
    {
        Access.Access.DemandAudit(user);
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 16384, leaveOpen: true) { NewLine = "\n" };
        await writer.WriteAsync(CsvHeader);
        await foreach (var e in trail.ExportAsync(query, ct))
        {
            await writer.WriteLineAsync(string.Join(',',
                e.Id.ToString(CultureInfo.InvariantCulture), e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                Csv(e.User), Csv(e.Role), Csv(e.Action), Csv(e.Target), Csv(e.RunId), Csv(e.Reason), Csv(e.Detail)));
        }
        await writer.FlushAsync(ct);
    }

    internal static string Csv(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        // A leading = + - @ would be a formula in a spreadsheet: neutralise it (CSV injection).
        if (value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
