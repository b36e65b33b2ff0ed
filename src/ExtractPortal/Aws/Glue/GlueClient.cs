using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using ExtractPortal.Aws.Protocol;

namespace ExtractPortal.Aws.Glue;

/// <summary>
/// The four Glue operations the portal needs, over AWS JSON 1.1 (AWSSDK.Glue is not available to us):
/// GetJobRuns, GetJobRun, StartJobRun, BatchStopJobRun, all for the one configured job.
/// </summary>
public sealed partial class GlueClient(AwsJsonClient client, string jobName)
{
    public const string SigningName = "glue";
    public const string TargetPrefix = "AWSGlue";
    public const int MaxPageSize = 200;
    public const int MaxStopBatch = 25;

    public string JobName => jobName;

    /// <summary>One page of the job's runs, newest first; <c>null</c> token for the first page.</summary>
    public async Task<GlueJobRunPage> GetJobRunsAsync(string? nextToken, int pageSize, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
        var response = await client.InvokeAsync<GetJobRunsRequest, GetJobRunsResponse>("GetJobRuns",
            new GetJobRunsRequest(jobName, string.IsNullOrEmpty(nextToken) ? null : nextToken, pageSize), ct).ConfigureAwait(false);
        var runs = (response.JobRuns ?? []).OrderByDescending(r => r.StartedOn ?? DateTimeOffset.MinValue).ToList();
        return new GlueJobRunPage(runs, string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken);
    }

    /// <summary>Every run Glue still keeps (90 days), page by page, newest first; stops after <paramref name="limit"/>.</summary>
    public async IAsyncEnumerable<GlueJobRun> ListJobRunsAsync(int limit, [EnumeratorCancellation] CancellationToken ct)
    {
        string? token = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        do
        {
            var page = await GetJobRunsAsync(token, Math.Min(MaxPageSize, Math.Max(1, limit - count)), ct).ConfigureAwait(false);
            foreach (var run in page.Runs)
            {
                if (!seen.Add(run.Id)) continue;
                yield return run;
                if (++count >= limit) yield break;
            }
            if (page.NextToken is not null && page.NextToken == token)
                throw new AwsServiceException(SigningName, "GetJobRuns", "PagingLoop", "the same NextToken came back twice", System.Net.HttpStatusCode.OK, null);
            token = page.NextToken;
        } while (token is not null);
    }

    public async Task<GlueJobRun> GetJobRunAsync(string runId, CancellationToken ct)
    {
        ValidateRunId(runId);
        var response = await client.InvokeAsync<GetJobRunRequest, GetJobRunResponse>("GetJobRun",
            new GetJobRunRequest(jobName, runId, null), ct).ConfigureAwait(false);
        return response.JobRun ?? throw new AwsServiceException(SigningName, "GetJobRun", "MalformedResponse", "no JobRun in the answer", System.Net.HttpStatusCode.OK, null);
    }

    /// <summary>Starts a run; the other job arguments keep their Terraform defaults. Returns the run id.</summary>
    /// <exception cref="ConcurrentRunsExceededException">a run of the job is already active.</exception>
    public async Task<string> StartJobRunAsync(GlueStartRequest request, CancellationToken ct)
    {
        if (!MonthsPattern().IsMatch(request.ExtractMonths))
            throw new ArgumentException($"'{request.ExtractMonths}' is not YYYY-MM, a comma list of months or YYYY-MM..YYYY-MM", nameof(request));
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [GlueArguments.ExtractMonths] = request.ExtractMonths,
            [GlueArguments.TriggeredBy] = CleanText(request.TriggeredBy, 256, "triggered_by"),
            [GlueArguments.Reason] = CleanText(request.Reason, 1024, "reason"),
        };
        var response = await client.InvokeAsync<StartJobRunRequest, StartJobRunResponse>("StartJobRun",
            new StartJobRunRequest(jobName, arguments), ct).ConfigureAwait(false);
        return response.JobRunId is { Length: > 0 } id ? id
            : throw new AwsServiceException(SigningName, "StartJobRun", "MalformedResponse", "no JobRunId in the answer", System.Net.HttpStatusCode.OK, null);
    }

    /// <summary>Asks Glue to stop runs; each run either lands in <see cref="GlueStopResult.Stopped"/> or in its errors.</summary>
    public async Task<GlueStopResult> BatchStopJobRunAsync(IReadOnlyCollection<string> runIds, CancellationToken ct)
    {
        if (runIds.Count is 0 or > MaxStopBatch)
            throw new ArgumentException($"between 1 and {MaxStopBatch} run ids per call", nameof(runIds));
        foreach (var id in runIds) ValidateRunId(id);
        var response = await client.InvokeAsync<BatchStopJobRunRequest, BatchStopJobRunResponse>("BatchStopJobRun",
            new BatchStopJobRunRequest(jobName, runIds.ToList()), ct).ConfigureAwait(false);
        var stopped = (response.SuccessfulSubmissions ?? []).Select(s => s.JobRunId).OfType<string>().ToList();
        var errors = (response.Errors ?? []).Select(e => new GlueStopError(e.JobRunId ?? "",
            e.ErrorDetail?.ErrorCode ?? "Unknown", e.ErrorDetail?.ErrorMessage ?? "")).ToList();
        // A run Glue mentioned in neither list did not stop either: say so rather than pretend.
        foreach (var id in runIds)
            if (!stopped.Contains(id) && errors.All(e => e.JobRunId != id))
                errors.Add(new GlueStopError(id, "NotAcknowledged", "Glue did not report this run as stopped"));
        return new GlueStopResult(stopped, errors);
    }

    private static void ValidateRunId(string runId)
    {
        if (!RunIdPattern().IsMatch(runId)) throw new ArgumentException($"'{runId}' is not a Glue run id", nameof(runId));
    }

    private static string CleanText(string value, int max, string what)
    {
        var text = new string(value.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (text.Length == 0) throw new ArgumentException($"{what} must not be empty");
        return text.Length <= max ? text : text[..max];
    }

    [GeneratedRegex(@"^[A-Za-z0-9_\-]{1,255}$")]
    private static partial Regex RunIdPattern();

    [GeneratedRegex(@"^\d{4}-(0[1-9]|1[0-2])((,\d{4}-(0[1-9]|1[0-2]))*|\.\.\d{4}-(0[1-9]|1[0-2]))$")]
    private static partial Regex MonthsPattern();
}
