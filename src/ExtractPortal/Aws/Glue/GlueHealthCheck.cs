using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ExtractPortal.Aws.Glue;

/// <summary>/readyz: Glue answers <c>GetJobRuns</c> (MaxResults 1) for the configured job (needs <c>glue:GetJobRuns</c>).</summary>
public sealed class GlueHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var glue = services.GetRequiredService<GlueClient>();
        try
        {
            var page = await glue.GetJobRunsAsync(null, 1, ct);
            var latest = page.Runs.FirstOrDefault();
            return HealthCheckResult.Healthy(latest is null
                ? $"Glue job {glue.JobName}: no runs yet"
                : $"Glue job {glue.JobName}: latest run {latest.Id} {latest.JobRunState}");
        }
        catch (Exception e)
        {
            var message = e is Protocol.AwsServiceException a ? $"{a.UserMessage} ({a.ErrorCode})" : e.Message.Split('\n')[0];
            return HealthCheckResult.Unhealthy($"Glue job {glue.JobName} not readable: {message}");
        }
    }
}
