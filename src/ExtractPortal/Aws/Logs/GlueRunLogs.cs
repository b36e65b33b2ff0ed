namespace ExtractPortal.Aws.Logs;

/// <summary>Which stream of a Glue run to read.</summary>
public enum GlueLogStream
{
    /// <summary>The driver's output: <c>/aws-glue/jobs/output</c>, or the custom continuous-logging group.</summary>
    Output,
    /// <summary>The driver's error stream: <c>/aws-glue/jobs/error</c> (with a custom group: the same group).</summary>
    Error,
}

/// <summary>A page of a run's log with cursors for older lines and for the live tail.</summary>
/// <param name="OlderCursor">Pass to <see cref="GlueRunLogs.ReadTailAsync"/> for the lines before; null at the beginning.</param>
/// <param name="NewerCursor">Pass to <see cref="GlueRunLogs.ReadNewAsync"/> for the lines written after.</param>
public sealed record RunLogPage(string LogGroupName, string LogStreamName, IReadOnlyList<LogEvent> Events, string? OlderCursor, string? NewerCursor);

/// <summary>
/// Where a Glue run logs and how to page through it. Glue continuous logging writes the driver's
/// stream under the run id: in <c>/aws-glue/jobs/output</c> and <c>/aws-glue/jobs/error</c> by default,
/// or in the group set by <c>--continuous-log-logGroup</c> (Terraform does; <c>Aws:GlueLogGroup</c>),
/// where executors add streams <c>&lt;run id&gt;_&lt;executor&gt;</c> (read them with <see cref="ReadAllStreamsAsync"/>).
/// </summary>
public sealed class GlueRunLogs(CloudWatchLogsClient logs, string? customLogGroup)
{
    public const string DefaultOutputGroup = "/aws-glue/jobs/output";
    public const string DefaultErrorGroup = "/aws-glue/jobs/error";

    public string GroupFor(GlueLogStream stream) =>
        !string.IsNullOrWhiteSpace(customLogGroup) ? customLogGroup
        : stream == GlueLogStream.Error ? DefaultErrorGroup : DefaultOutputGroup;

    /// <summary>The newest lines (cursor null) or the lines before <paramref name="olderCursor"/>.</summary>
    public async Task<RunLogPage> ReadTailAsync(string runId, GlueLogStream stream, string? olderCursor, int maxLines, CancellationToken ct)
    {
        var group = GroupFor(stream);
        var page = await logs.GetLogEventsAsync(new GetLogEventsQuery(group, runId)
        {
            StartFromHead = false,
            NextToken = olderCursor,
            Limit = Math.Clamp(maxLines, 1, CloudWatchLogsClient.MaxLimit),
        }, ct).ConfigureAwait(false);
        // The backward token repeats the one sent when there is nothing older.
        var older = page.Events.Count == 0 || page.NextBackwardToken == olderCursor ? null : page.NextBackwardToken;
        return new RunLogPage(group, runId, page.Events, older, page.NextForwardToken);
    }

    /// <summary>Lines written after <paramref name="newerCursor"/> (the live tail); the returned cursor continues from there.</summary>
    public async Task<RunLogPage> ReadNewAsync(string runId, GlueLogStream stream, string newerCursor, int maxLines, CancellationToken ct)
    {
        var group = GroupFor(stream);
        var page = await logs.GetLogEventsAsync(new GetLogEventsQuery(group, runId)
        {
            StartFromHead = true,
            NextToken = newerCursor,
            Limit = Math.Clamp(maxLines, 1, CloudWatchLogsClient.MaxLimit),
        }, ct).ConfigureAwait(false);
        return new RunLogPage(group, runId, page.Events, page.NextBackwardToken, page.NextForwardToken ?? newerCursor);
    }

    /// <summary>Driver and executor streams of the run (prefix = run id), oldest first, one page per call.</summary>
    public Task<FilteredLogEventsPage> ReadAllStreamsAsync(string runId, GlueLogStream stream, string? nextToken, int maxLines, CancellationToken ct) =>
        logs.FilterLogEventsAsync(new FilterLogEventsQuery(GroupFor(stream))
        {
            LogStreamNamePrefix = runId,
            NextToken = nextToken,
            Limit = Math.Clamp(maxLines, 1, CloudWatchLogsClient.MaxLimit),
        }, ct);
}
