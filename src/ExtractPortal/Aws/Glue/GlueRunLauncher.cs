using ExtractPortal.Aws.DynamoDb;
using ExtractPortal.Aws.Protocol;
using ExtractPortal.Features.Runs;
using Serilog.Context;

namespace ExtractPortal.Aws.Glue;

/// <summary>
/// AWS mode's <see cref="IRunLauncher"/>: a run that the DynamoDB month guard admitted (queued in the
/// run index) is started as a Glue job run with <c>--extract_months</c>, <c>--triggered_by</c> and
/// <c>--reason</c>; the Glue run id is linked to the run; cancel asks Glue to stop it. Glue's refusals
/// (e.g. <see cref="ConcurrentRunsExceededException"/>) end the run as failed with a clear message,
/// which releases the month. States after the start come from <see cref="GlueRunSync"/>.
/// </summary>
public sealed class GlueRunLauncher(DynamoRunIndex index, IServiceProvider services, ILogger<GlueRunLauncher> logger) : IRunLauncher
{
    // GlueClient is transient (one per use, over the pooled HttpClient); resolved per call.
    private GlueClient Glue => services.GetRequiredService<GlueClient>();

    /// <summary>Starts the Glue run now (the caller's request waits for StartJobRun; its cancellation is not passed on,
    /// so a closed browser cannot leave a half-started run). Never throws for Glue's answers: the run records them.</summary>
    public async ValueTask EnqueueAsync(string runId, CancellationToken ct)
    {
        using var _ = LogContext.PushProperty("RunId", runId);
        var run = await index.GetAsync(runId, CancellationToken.None);
        if (run is not { State: RunState.Queued }) return;   // cancelled meanwhile, or not ours
        string glueRunId;
        try
        {
            glueRunId = await Glue.StartJobRunAsync(new GlueStartRequest(string.Join(",", run.Months), run.TriggeredBy, run.Reason), CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var message = StartFailure(e);
            logger.LogWarning(e, "Glue did not start run {RunId} ({Months}): {Message}", runId, run.MonthsText, message);
            await index.CompleteAsync(runId, RunState.Failed, message, CancellationToken.None);
            return;
        }

        await index.LinkGlueRunAsync(runId, glueRunId, CancellationToken.None);
        logger.LogInformation("Run {RunId} started as Glue job run {GlueRunId} for {Months}", runId, glueRunId, run.MonthsText);
        var running = await index.MarkRunningAsync(runId, glueRunId, CancellationToken.None);
        var now = await index.GetAsync(runId, CancellationToken.None);
        if (!running || now?.CancelRequestedBy is not null)
            await StopAsync(runId, glueRunId, CancellationToken.None);   // cancelled while StartJobRun was answering
    }

    /// <summary>Asks Glue to stop the run (in the background: the run store already records the request, and the
    /// sync repeats the stop while Glue still reports the run active).</summary>
    public bool TryCancel(string runId)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                var run = await index.GetAsync(runId, CancellationToken.None);
                if (run?.EngineRunId is { } glueRunId) await StopAsync(runId, glueRunId, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Stopping the Glue run of {RunId} failed; the sync will ask again", runId);
            }
        });
        return true;
    }

    internal async Task StopAsync(string runId, string glueRunId, CancellationToken ct)
    {
        var result = await Glue.BatchStopJobRunAsync([glueRunId], ct);
        foreach (var error in result.Errors)
            logger.LogWarning("Glue did not stop {GlueRunId} (run {RunId}): {Code}: {Message}", error.JobRunId, runId, error.ErrorCode, error.ErrorMessage);
        if (result.AllStopped) logger.LogInformation("Asked Glue to stop {GlueRunId} (run {RunId})", glueRunId, runId);
    }

    /// <summary>The run's error text for a refused StartJobRun: the UI shows it as the run's error.</summary>
    public static string StartFailure(Exception e) => e switch
    {
        ConcurrentRunsExceededException c => $"Glue did not start the run: {c.UserMessage} (Glue: {c.ServiceMessage})",
        AwsServiceException a => $"Glue did not start the run: {a.UserMessage}" + (a.RequestId is null ? "" : $" (request {a.RequestId})"),
        ArgumentException a => $"Glue was not asked to start the run: {a.Message}",
        _ => $"Glue did not start the run: unexpected error ({e.GetType().Name}): {e.Message}",
    };
}
