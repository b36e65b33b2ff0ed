using ExtractPortal.Features.Audit;

namespace ExtractPortal.Aws.DynamoDb;

/// <summary>
/// The portal's <see cref="IAuditTrail"/> over the DynamoDB audit log (AWS mode). User matches as a
/// case-insensitive substring (as in local mode); action and run id use their indexes. The page's
/// total is counted up to <see cref="MaxCounted"/> matches (DynamoDB has no cheap COUNT with
/// filters); the CSV export is unbounded and streams oldest first.
/// </summary>
public sealed class DynamoAuditTrail(DynamoAuditLog log) : IAuditTrail
{
    public const int MaxCounted = 10_000;

    public DynamoAuditLog Log => log;

    public Task AppendAsync(AuditEntry entry, CancellationToken ct) => log.AppendAsync(entry, ct);

    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken ct)
    {
        var size = Math.Clamp(query.PageSize, 1, 500);
        var skip = (long)Math.Max(0, query.Page) * size;
        var items = new List<AuditEntry>();
        var count = 0;
        await foreach (var entry in log.NewestFirstAsync(Filter(query), ct))
        {
            if (count >= skip && items.Count < size) items.Add(entry);
            if (++count >= MaxCounted) break;
        }
        return new AuditPage(items, count);
    }

    public IAsyncEnumerable<AuditEntry> ExportAsync(AuditQuery query, CancellationToken ct) => log.ExportAsync(Filter(query), ct);

    private static AuditFilter Filter(AuditQuery q) => new()
    {
        UserContains = string.IsNullOrWhiteSpace(q.User) ? null : q.User,
        Action = string.IsNullOrWhiteSpace(q.Action) ? null : q.Action,
        RunId = string.IsNullOrWhiteSpace(q.RunId) ? null : q.RunId,
        Text = string.IsNullOrWhiteSpace(q.Text) ? null : q.Text,
        From = q.From,
        To = q.To,
    };
}
