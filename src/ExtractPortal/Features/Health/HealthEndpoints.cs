using System.Text.Json;
using ExtractPortal.Features.Extracts;
using ExtractPortal.Local;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ExtractPortal.Features.Health;

/// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: the ODS, the extract store and the database are reachable.</summary>
public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync }).AllowAnonymous();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }));
    }
}

public sealed class OdsHealthCheck(IOdsSourceProvider sources) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var source = await sources.GetAsync(timeout.Token);
            await source.CheckAsync(timeout.Token);
            return HealthCheckResult.Healthy(source.Description);
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"ODS not reachable: {e.Message.Split('\n')[0]}");
        }
    }
}

public sealed class ExtractStoreHealthCheck(IExtractStoreReader store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await store.CheckAsync(ct);
            return HealthCheckResult.Healthy(store.Description);
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"extract store not readable: {e.Message.Split('\n')[0]}");
        }
    }
}

public sealed class DatabaseHealthCheck(PortalDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(ct);
            await using var command = PortalDatabase.Command(connection, "SELECT COUNT(*) FROM runs");
            await command.ExecuteScalarAsync(ct);
            return HealthCheckResult.Healthy("run history and audit trail (SQLite)");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"portal database not usable: {e.Message.Split('\n')[0]}");
        }
    }
}
