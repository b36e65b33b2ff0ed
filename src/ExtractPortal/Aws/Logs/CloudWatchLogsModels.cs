using System.Text.Json.Serialization;
using ExtractPortal.Aws.Protocol;

namespace ExtractPortal.Aws.Logs;

public sealed record LogEvent
{
    [JsonConverter(typeof(EpochMillisecondsConverter))] public DateTimeOffset Timestamp { get; init; }
    [JsonConverter(typeof(EpochMillisecondsConverter))] public DateTimeOffset IngestionTime { get; init; }
    public string Message { get; init; } = "";
    /// <summary>FilterLogEvents only.</summary>
    public string? LogStreamName { get; init; }
    /// <summary>FilterLogEvents only.</summary>
    public string? EventId { get; init; }
}

/// <summary>GetLogEvents: a window of one stream; the tokens move forward (newer) or backward (older).</summary>
public sealed record GetLogEventsQuery(string LogGroupName, string LogStreamName)
{
    /// <summary>true: from the oldest event; false (the default on AWS too): the newest events.</summary>
    public bool StartFromHead { get; init; }
    public string? NextToken { get; init; }
    public int? Limit { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    public DateTimeOffset? EndTime { get; init; }
}

/// <summary>A page of one stream. When a token equals the one sent, the end in that direction is reached.</summary>
public sealed record LogEventsPage(IReadOnlyList<LogEvent> Events, string? NextForwardToken, string? NextBackwardToken);

/// <summary>FilterLogEvents: events of the streams whose names start with a prefix (a run id), oldest first.</summary>
public sealed record FilterLogEventsQuery(string LogGroupName)
{
    public string? LogStreamNamePrefix { get; init; }
    public string? FilterPattern { get; init; }
    public string? NextToken { get; init; }
    public int? Limit { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    public DateTimeOffset? EndTime { get; init; }
}

public sealed record FilteredLogEventsPage(IReadOnlyList<LogEvent> Events, string? NextToken);

// ---- wire shapes (names exactly as in the CloudWatch Logs service model)
internal sealed record GetLogEventsRequest(
    [property: JsonPropertyName("logGroupName")] string LogGroupName,
    [property: JsonPropertyName("logStreamName")] string LogStreamName,
    [property: JsonPropertyName("startFromHead")] bool? StartFromHead,
    [property: JsonPropertyName("nextToken")] string? NextToken,
    [property: JsonPropertyName("limit")] int? Limit,
    [property: JsonPropertyName("startTime")] long? StartTime,
    [property: JsonPropertyName("endTime")] long? EndTime);

internal sealed record GetLogEventsResponse(
    [property: JsonPropertyName("events")] List<LogEvent>? Events,
    [property: JsonPropertyName("nextForwardToken")] string? NextForwardToken,
    [property: JsonPropertyName("nextBackwardToken")] string? NextBackwardToken);

internal sealed record FilterLogEventsRequest(
    [property: JsonPropertyName("logGroupName")] string LogGroupName,
    [property: JsonPropertyName("logStreamNamePrefix")] string? LogStreamNamePrefix,
    [property: JsonPropertyName("filterPattern")] string? FilterPattern,
    [property: JsonPropertyName("nextToken")] string? NextToken,
    [property: JsonPropertyName("limit")] int? Limit,
    [property: JsonPropertyName("startTime")] long? StartTime,
    [property: JsonPropertyName("endTime")] long? EndTime);

internal sealed record FilterLogEventsResponse(
    [property: JsonPropertyName("events")] List<LogEvent>? Events,
    [property: JsonPropertyName("nextToken")] string? NextToken);
