using ExtractPortal.Features.Access;

namespace ExtractPortal.Features.Runs;

public static class RunEndpoints
{
    /// <summary><c>GET /runs/{runId}/log</c>: the run's whole log, streamed as a text file.</summary>
    public static WebApplication MapRunLogDownloads(this WebApplication app)
    {
        app.MapGet("/runs/{runId}/log", async (string runId, HttpContext context, IRunService runs, CancellationToken ct) =>
        {
            if (!RunIds.IsValid(runId)) return Results.BadRequest("not a run id");
            var stream = await runs.OpenLogAsync(context.User, runId, ct);
            if (stream is null) return Results.NotFound();
            context.Response.RegisterForDisposeAsync(stream);
            return Results.File(stream, "text/plain; charset=utf-8", $"{runId}.log");
        }).RequireAuthorization(Policies.ViewRuns);
        return app;
    }
}
