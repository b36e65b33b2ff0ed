using System.Runtime.CompilerServices;
using ExtractPortal.Aws.Protocol;

namespace ExtractPortal.Aws.Logs;

/// <summary>
/// The two CloudWatch Logs reads the portal needs (AWSSDK.CloudWatchLogs is not available to us):
/// GetLogEvents (one stream, both directions) and FilterLogEvents (streams by prefix).
/// </summary>
public sealed class CloudWatchLogsClient(AwsJsonClient client)
{
    public const string SigningName = "logs";
    public const string TargetPrefix = "Logs_20140328";
    public const int MaxLimit = 10_000;

    public async Task<LogEventsPage> GetLogEventsAsync(GetLogEventsQuery query, CancellationToken ct)
    {
        ValidateLimit(query.Limit);
        var response = await client.InvokeAsync<GetLogEventsRequest, GetLogEventsResponse>("GetLogEvents",
            new GetLogEventsRequest(query.LogGroupName, query.LogStreamName, query.StartFromHead, Empty(query.NextToken), query.Limit,
                query.StartTime?.ToUnixTimeMilliseconds(), query.EndTime?.ToUnixTimeMilliseconds()), ct).ConfigureAwait(false);
        return new LogEventsPage(response.Events ?? [], Empty(response.NextForwardToken), Empty(response.NextBackwardToken));
    }

    public async Task<FilteredLogEventsPage> FilterLogEventsAsync(FilterLogEventsQuery query, CancellationToken ct)
    {
        ValidateLimit(query.Limit);
        var response = await client.InvokeAsync<FilterLogEventsRequest, FilterLogEventsResponse>("FilterLogEvents",
            new FilterLogEventsRequest(query.LogGroupName, Empty(query.LogStreamNamePrefix), Empty(query.FilterPattern), Empty(query.NextToken), query.Limit,
                query.StartTime?.ToUnixTimeMilliseconds(), query.EndTime?.ToUnixTimeMilliseconds()), ct).ConfigureAwait(false);
        return new FilteredLogEventsPage(response.Events ?? [], Empty(response.NextToken));
    }

    /// <summary>Reads one stream from the start to its current end (GetLogEvents ends when the forward token repeats).</summary>
    public async IAsyncEnumerable<LogEvent> ReadStreamAsync(string logGroupName, string logStreamName, int maxEvents, [EnumeratorCancellation] CancellationToken ct)
    {
        string? token = null;
        var count = 0;
        while (true)
        {
            var page = await GetLogEventsAsync(new GetLogEventsQuery(logGroupName, logStreamName) { StartFromHead = true, NextToken = token }, ct).ConfigureAwait(false);
            foreach (var e in page.Events)
            {
                yield return e;
                if (++count >= maxEvents) yield break;
            }
            if (page.NextForwardToken is null || page.NextForwardToken == token) yield break;
            token = page.NextForwardToken;
        }
    }

    /// <summary>Every event of the streams whose name starts with <paramref name="prefix"/>, following nextToken.</summary>
    public async IAsyncEnumerable<LogEvent> FilterAllAsync(string logGroupName, string prefix, int maxEvents, [EnumeratorCancellation] CancellationToken ct)
    {
        string? token = null;
        var count = 0;
        do
        {
            var page = await FilterLogEventsAsync(new FilterLogEventsQuery(logGroupName) { LogStreamNamePrefix = prefix, NextToken = token }, ct).ConfigureAwait(false);
            foreach (var e in page.Events)
            {
                yield return e;
                if (++count >= maxEvents) yield break;
            }
            if (page.NextToken is not null && page.NextToken == token) yield break;
            token = page.NextToken;
        } while (token is not null);
    }

    private static void ValidateLimit(int? limit)
    {
        if (limit is < 1 or > MaxLimit) throw new ArgumentOutOfRangeException(nameof(limit), $"limit must be 1..{MaxLimit}");
    }

    private static string? Empty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
