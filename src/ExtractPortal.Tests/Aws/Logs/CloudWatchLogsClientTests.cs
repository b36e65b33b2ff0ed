using ExtractPortal.Aws.Logs;
using ExtractPortal.Aws.Protocol;
using ExtractPortal.Tests.Aws.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ExtractPortal.Tests.Aws.Logs;

public sealed class CloudWatchLogsClientTests : IAsyncLifetime
{
    private FakeAwsJsonServer _server = null!;
    private ServiceProvider _services = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeAwsJsonServer.StartAsync("logs");
        _services = TestAws.Clients(logs: _server.Endpoint);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static object Event(long ts, string message) => new { timestamp = ts, message, ingestionTime = ts + 5 };

    [Fact]
    public async Task Tail_of_the_output_stream_pages_backward()
    {
        _server.Handler = call =>
        {
            var token = call.Body.TryGetProperty("nextToken", out var t) ? t.GetString() : null;
            return Task.FromResult(token switch
            {
                null => AwsReply.Ok(new { events = new[] { Event(3000, "line 3"), Event(4000, "line 4") }, nextForwardToken = "f/4", nextBackwardToken = "b/3" }),
                "b/3" => AwsReply.Ok(new { events = new[] { Event(1000, "line 1"), Event(2000, "line 2") }, nextForwardToken = "f/2", nextBackwardToken = "b/1" }),
                "b/1" => AwsReply.Ok(new { events = Array.Empty<object>(), nextForwardToken = "f/0", nextBackwardToken = "b/1" }),
                _ => AwsReply.Error(400, "InvalidParameterException", "bad token"),
            });
        };
        var runLogs = _services.GetRequiredService<GlueRunLogs>();

        var newest = await runLogs.ReadTailAsync("jr_1", GlueLogStream.Output, null, 2, Ct);
        Assert.Equal(["line 3", "line 4"], newest.Events.Select(e => e.Message));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(4000), newest.Events[1].Timestamp);
        Assert.Equal("/aws-glue/jobs/output", newest.LogGroupName);
        Assert.Equal("f/4", newest.NewerCursor);
        var older = await runLogs.ReadTailAsync("jr_1", GlueLogStream.Output, newest.OlderCursor, 2, Ct);
        Assert.Equal(["line 1", "line 2"], older.Events.Select(e => e.Message));
        var none = await runLogs.ReadTailAsync("jr_1", GlueLogStream.Output, older.OlderCursor, 2, Ct);
        Assert.Empty(none.Events);
        Assert.Null(none.OlderCursor);

        var first = _server.CallsTo("GetLogEvents")[0].Body;
        Assert.Equal("/aws-glue/jobs/output", first.GetProperty("logGroupName").GetString());
        Assert.Equal("jr_1", first.GetProperty("logStreamName").GetString());
        Assert.False(first.GetProperty("startFromHead").GetBoolean());
        Assert.Equal(2, first.GetProperty("limit").GetInt32());
        Assert.Equal("Logs_20140328.GetLogEvents", _server.Calls.First().Headers["X-Amz-Target"]);
        _server.AssertNoViolations();
    }

    [Fact]
    public async Task Reading_a_stream_from_the_head_stops_when_the_forward_token_repeats()
    {
        _server.Handler = call =>
        {
            var token = call.Body.TryGetProperty("nextToken", out var t) ? t.GetString() : null;
            Assert.True(call.Body.GetProperty("startFromHead").GetBoolean());
            return Task.FromResult(token switch
            {
                null => AwsReply.Ok(new { events = new[] { Event(1, "a"), Event(2, "b") }, nextForwardToken = "f/2", nextBackwardToken = "b/0" }),
                "f/2" => AwsReply.Ok(new { events = new[] { Event(3, "c") }, nextForwardToken = "f/3", nextBackwardToken = "b/2" }),
                _ => AwsReply.Ok(new { events = Array.Empty<object>(), nextForwardToken = "f/3", nextBackwardToken = "b/3" }),
            });
        };
        var logs = _services.GetRequiredService<CloudWatchLogsClient>();
        var lines = new List<string>();
        await foreach (var e in logs.ReadStreamAsync("/aws-glue/jobs/error", "jr_2", 100, Ct)) lines.Add(e.Message);
        Assert.Equal(["a", "b", "c"], lines);
        Assert.Equal(3, _server.Calls.Count);
        _server.AssertNoViolations();
    }

    [Fact]
    public async Task Custom_group_filters_the_run_streams_by_prefix_with_paging()
    {
        await using var services = TestAws.Clients(logs: _server.Endpoint, overrides: new() { ["Aws:GlueLogGroup"] = "/aws-glue/jobs/extract-portal" });
        _server.Handler = call => Task.FromResult(call.Body.TryGetProperty("nextToken", out _)
            ? AwsReply.Ok(new { events = new[] { new { logStreamName = "jr_9_g-1", timestamp = 3L, message = "executor", ingestionTime = 4L, eventId = "e3" } } })
            : AwsReply.Ok(new { events = new[] { new { logStreamName = "jr_9", timestamp = 1L, message = "driver", ingestionTime = 2L, eventId = "e1" } }, nextToken = "n2", searchedLogStreams = Array.Empty<object>() }));
        var runLogs = services.GetRequiredService<GlueRunLogs>();
        Assert.Equal("/aws-glue/jobs/extract-portal", runLogs.GroupFor(GlueLogStream.Error));

        var page1 = await runLogs.ReadAllStreamsAsync("jr_9", GlueLogStream.Output, null, 50, Ct);
        var page2 = await runLogs.ReadAllStreamsAsync("jr_9", GlueLogStream.Output, page1.NextToken, 50, Ct);
        Assert.Equal("driver", page1.Events.Single().Message);
        Assert.Equal("jr_9_g-1", page2.Events.Single().LogStreamName);
        Assert.Null(page2.NextToken);

        var all = new List<string>();
        await foreach (var e in services.GetRequiredService<CloudWatchLogsClient>().FilterAllAsync("/aws-glue/jobs/extract-portal", "jr_9", 10, Ct)) all.Add(e.Message);
        Assert.Equal(["driver", "executor"], all);

        var body = _server.CallsTo("FilterLogEvents")[0].Body;
        Assert.Equal("/aws-glue/jobs/extract-portal", body.GetProperty("logGroupName").GetString());
        Assert.Equal("jr_9", body.GetProperty("logStreamNamePrefix").GetString());
        _server.AssertNoViolations();
    }

    [Fact]
    public async Task A_run_that_has_not_logged_yet_is_a_typed_not_found()
    {
        _server.Handler = _ => Task.FromResult(AwsReply.Error(400, "ResourceNotFoundException", "The specified log stream does not exist."));
        var e = await Assert.ThrowsAsync<AwsResourceNotFoundException>(() =>
            _services.GetRequiredService<GlueRunLogs>().ReadTailAsync("jr_new", GlueLogStream.Error, null, 100, Ct));
        Assert.Contains("does not exist", e.UserMessage);
        Assert.Single(_server.Calls);
    }

    [Fact]
    public async Task Throttled_logs_reads_retry_then_succeed()
    {
        var n = 0;
        _server.Handler = _ => Task.FromResult(Interlocked.Increment(ref n) < 3
            ? AwsReply.Error(400, "ThrottlingException", "Rate exceeded")
            : AwsReply.Ok(new { events = new[] { Event(1, "x") }, nextForwardToken = "f", nextBackwardToken = "b" }));
        var page = await _services.GetRequiredService<CloudWatchLogsClient>().GetLogEventsAsync(new GetLogEventsQuery("/g", "s"), Ct);
        Assert.Single(page.Events);
        Assert.Equal(3, _server.Calls.Count);
        _server.AssertNoViolations();
    }
}
