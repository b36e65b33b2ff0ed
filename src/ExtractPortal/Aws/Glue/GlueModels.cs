using System.Text.Json.Serialization;
using ExtractPortal.Aws.Protocol;

namespace ExtractPortal.Aws.Glue;

/// <summary>Glue's JobRunState values.</summary>
public static class GlueJobRunStates
{
    public const string Starting = "STARTING", Running = "RUNNING", Stopping = "STOPPING", Stopped = "STOPPED",
        Succeeded = "SUCCEEDED", Failed = "FAILED", Timeout = "TIMEOUT", Error = "ERROR", Waiting = "WAITING", Expired = "EXPIRED";

    public static bool IsActive(string? state) => state is Starting or Running or Stopping or Waiting;
}

/// <summary>The members of Glue's JobRun the portal reads (the rest of the shape is ignored).</summary>
public sealed record GlueJobRun
{
    public string Id { get; init; } = "";
    public string? JobName { get; init; }
    public string? JobRunState { get; init; }
    public int Attempt { get; init; }
    public string? PreviousRunId { get; init; }
    public string? TriggerName { get; init; }
    [JsonConverter(typeof(EpochSecondsConverter))] public DateTimeOffset? StartedOn { get; init; }
    [JsonConverter(typeof(EpochSecondsConverter))] public DateTimeOffset? LastModifiedOn { get; init; }
    [JsonConverter(typeof(EpochSecondsConverter))] public DateTimeOffset? CompletedOn { get; init; }
    public Dictionary<string, string>? Arguments { get; init; }
    public string? ErrorMessage { get; init; }
    /// <summary>Seconds the run used resources.</summary>
    public int ExecutionTime { get; init; }
    public int? Timeout { get; init; }
    public string? LogGroupName { get; init; }
    public string? GlueVersion { get; init; }
    public string? WorkerType { get; init; }
    public int? NumberOfWorkers { get; init; }
    public double? DPUSeconds { get; init; }

    public string? Argument(string name) => Arguments is not null && Arguments.TryGetValue(name, out var v) ? v : null;
    public string? ExtractMonths => Argument(GlueArguments.ExtractMonths);
    public string? TriggeredBy => Argument(GlueArguments.TriggeredBy);
    public string? Reason => Argument(GlueArguments.Reason);
}

/// <summary>The job arguments shared with Glue/etl.py and the Terraform job definition.</summary>
public static class GlueArguments
{
    public const string ExtractMonths = "--extract_months";
    public const string TriggeredBy = "--triggered_by";
    public const string Reason = "--reason";
}

public sealed record GlueJobRunPage(IReadOnlyList<GlueJobRun> Runs, string? NextToken);

/// <param name="ExtractMonths"><c>2026-03</c>, <c>2026-01,2026-03</c> or <c>2025-11..2026-02</c> (Glue/README.md).</param>
/// <param name="TriggeredBy">The signed-in user who asked.</param>
/// <param name="Reason">Why (recorded in the manifest).</param>
public sealed record GlueStartRequest(string ExtractMonths, string TriggeredBy, string Reason);

public sealed record GlueStopError(string JobRunId, string ErrorCode, string ErrorMessage);

/// <summary>BatchStopJobRun answers per run: some runs may be stopped while others fail.</summary>
public sealed record GlueStopResult(IReadOnlyList<string> Stopped, IReadOnlyList<GlueStopError> Errors)
{
    public bool AllStopped => Errors.Count == 0;
}

// ---- wire shapes (names exactly as in the Glue service model)
internal sealed record GetJobRunsRequest(string JobName, string? NextToken, int? MaxResults);
internal sealed record GetJobRunsResponse(List<GlueJobRun>? JobRuns, string? NextToken);
internal sealed record GetJobRunRequest(string JobName, string RunId, bool? PredecessorsIncluded);
internal sealed record GetJobRunResponse(GlueJobRun? JobRun);
internal sealed record StartJobRunRequest(string JobName, Dictionary<string, string> Arguments);
internal sealed record StartJobRunResponse(string? JobRunId);
internal sealed record BatchStopJobRunRequest(string JobName, List<string> JobRunIds);
internal sealed record BatchStopJobRunResponse(List<BatchStopJobRunSuccessfulSubmission>? SuccessfulSubmissions, List<BatchStopJobRunError>? Errors);
internal sealed record BatchStopJobRunSuccessfulSubmission(string? JobName, string? JobRunId);
internal sealed record BatchStopJobRunError(string? JobName, string? JobRunId, ErrorDetail? ErrorDetail);
internal sealed record ErrorDetail(string? ErrorCode, string? ErrorMessage);
