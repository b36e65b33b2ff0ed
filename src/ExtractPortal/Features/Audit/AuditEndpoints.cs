using System.Globalization;
using ExtractPortal.Features.Access;

namespace ExtractPortal.Features.Audit;

public static class AuditEndpoints
{
    /// <summary><c>GET /audit/export.csv?user=&amp;action=&amp;run=&amp;text=&amp;from=&amp;to=</c> (auditors only).</summary>
    public static WebApplication MapAuditExport(this WebApplication app)
    {
        app.MapGet("/audit/export.csv", async (HttpContext context, AuditService audit, string? user, string? action, string? run,
            string? text, string? from, string? to, CancellationToken ct) =>
        {
            var query = new AuditQuery { User = user, Action = action, RunId = run, Text = text, From = Date(from), To = Date(to) };
            context.Response.ContentType = "text/csv; charset=utf-8";
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"audit-{DateTime.UtcNow:yyyyMMdd-HHmmss}.csv\"";
            context.Response.Headers.CacheControl = "no-store";
            await audit.ExportCsvAsync(context.User, query, context.Response.Body, ct);
        }).RequireAuthorization(Policies.ViewAudit);
        return app;
    }

    internal static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
