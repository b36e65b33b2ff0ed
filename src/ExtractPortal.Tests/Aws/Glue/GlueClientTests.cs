using System.Text.Json;
using Amazon.Runtime;
using ExtractPortal.Aws.Glue;
using ExtractPortal.Aws.Protocol;
using ExtractPortal.Tests.Aws.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ExtractPortal.Tests.Aws.Glue;

public sealed class GlueClientTests : IAsyncLifetime
{
    private FakeAwsJsonServer _server = null!;
    private ServiceProvider _services = null!;
    private GlueClient Glue => _services.GetRequiredService<GlueClient>();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeAwsJsonServer.StartAsync("glue");
        _services = TestAws.Clients(glue: _server.Endpoint);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static object Run(string id, long startedOn, string state = "SUCCEEDED") => new Dictionary<string, object>
    {
        ["Id"] = id, ["JobName"] = "extract-portal-monthly", ["JobRunState"] = state, ["Attempt"] = 0,
        ["StartedOn"] = startedOn + 0.25, ["LastModifiedOn"] = startedOn + 60, ["ExecutionTime"] = 42,
        ["Arguments"] = new Dictionary<string, string> { ["--extract_months"] = "2026-03", ["--triggered_by"] = "olivia", ["--reason"] = "re-run" },
        ["GlueVersion"] = "5.0", ["LogGroupName"] = "/aws-glue/jobs",
    };

    [Fact]
    public async Task GetJobRuns_follows_NextToken_newest_first()
    {
        _server.Handler = call => Task.FromResult(call.Body.TryGetProperty("NextToken", out var token)
            ? token.GetString() == "page-2"
                ? AwsReply.Ok(new { JobRuns = new[] { Run("jr_3", 1_700_000_000), Run("jr_4", 1_699_000_000) } })
                : AwsReply.Error(400, "InvalidInputException", "bad token")
            : AwsReply.Ok(new { JobRuns = new[] { Run("jr_2", 1_710_000_000), Run("jr_1", 1_720_000_000, "RUNNING") }, NextToken = "page-2" }));

        var runs = new List<GlueJobRun>();
        await foreach (var run in Glue.ListJobRunsAsync(100, Ct)) runs.Add(run);

        _server.AssertNoViolations();
        Assert.Equal(["jr_1", "jr_2", "jr_3", "jr_4"], runs.Select(r => r.Id));
        Assert.Equal("RUNNING", runs[0].JobRunState);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_720_000_000_250), runs[0].StartedOn);
        Assert.Equal("2026-03", runs[0].ExtractMonths);
        Assert.Equal("olivia", runs[0].TriggeredBy);
        var calls = _server.CallsTo("GetJobRuns");
        Assert.Equal(2, calls.Count);
        Assert.Equal("extract-portal-monthly", calls[0].Body.GetProperty("JobName").GetString());
        Assert.False(calls[0].Body.TryGetProperty("NextToken", out _));
        Assert.Equal("page-2", calls[1].Body.GetProperty("NextToken").GetString());
        Assert.Equal("AWSGlue.GetJobRuns", calls[0].Headers["X-Amz-Target"]);
    }

    [Fact]
    public async Task ListJobRuns_stops_at_the_limit_without_reading_more_pages()
    {
        _server.Handler = _ => Task.FromResult(AwsReply.Ok(new { JobRuns = new[] { Run("jr_a", 3), Run("jr_b", 2) }, NextToken = "more" }));
        var runs = new List<GlueJobRun>();
        await foreach (var run in Glue.ListJobRunsAsync(2, Ct)) runs.Add(run);
        Assert.Equal(2, runs.Count);
        Assert.Single(_server.CallsTo("GetJobRuns"));
        Assert.Equal(2, _server.CallsTo("GetJobRuns")[0].Body.GetProperty("MaxResults").GetInt32());
        _server.AssertNoViolations();
    }

    [Fact]
    public async Task GetJobRun_reads_one_run()
    {
        _server.Handler = _ => Task.FromResult(AwsReply.Ok(new { JobRun = Run("jr_abc", 1_700_000_000, "FAILED") }));
        var run = await Glue.GetJobRunAsync("jr_abc", Ct);
        Assert.Equal("FAILED", run.JobRunState);
        Assert.Equal(42, run.ExecutionTime);
        var body = _server.CallsTo("GetJobRun").Single().Body;
        Assert.Equal("jr_abc", body.GetProperty("RunId").GetString());
        _server.AssertNoViolations();
    }

    [Fact]
    public async Task StartJobRun_sends_the_three_arguments_and_returns_the_run_id()
    {
        _server.Handler = _ => Task.FromResult(AwsReply.Ok(new { JobRunId = "jr_new" }));
        var id = await Glue.StartJobRunAsync(new GlueStartRequest("2025-11..2026-02", "olivia.operator", "backfill\nafter fix"), Ct);
        Assert.Equal("jr_new", id);
        var body = _server.CallsTo("StartJobRun").Single().Body;
        var args = body.GetProperty("Arguments").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(3, args.Count);
        Assert.Equal("2025-11..2026-02", args["--extract_months"]);
        Assert.Equal("olivia.operator", args["--triggered_by"]);
        Assert.Equal("backfillafter fix", args["--reason"]);
        _server.AssertNoViolations();
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026-03; rm")]
    [InlineData("")]
    public async Task StartJobRun_refuses_malformed_months_before_calling_Glue(string months)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Glue.StartJobRunAsync(new GlueStartRequest(months, "o", "r"), Ct));
        Assert.Empty(_server.Calls);
    }

    [Fact]
    public async Task Concurrent_runs_error_is_typed_and_not_retried()
    {
        _server.Handler = _ => Task.FromResult(AwsReply.Error(400, "com.amazonaws.glue#ConcurrentRunsExceededException", "Concurrent runs exceeded for extract-portal-monthly"));
        var e = await Assert.ThrowsAsync<ConcurrentRunsExceededException>(() =>
            Glue.StartJobRunAsync(new GlueStartRequest("2026-03", "olivia", "re-run"), Ct));
        Assert.Equal("ConcurrentRunsExceededException", e.ErrorCode);
        Assert.Contains("already active", e.UserMessage);
        Assert.Equal("req-1", e.RequestId);
        Assert.Single(_server.Calls);
        _server.AssertNoViolations();
    }

    [Fact]
    public async Task Unknown_run_is_EntityNotFoundException()
    {
        _server.Handler = _ => Task.FromResult(AwsReply.Error(400, "EntityNotFoundException", "Job run not found"));
        var e = await Assert.ThrowsAsync<EntityNotFoundException>(() => Glue.GetJobRunAsync("jr_gone", Ct));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Single(_server.Calls);
    }

    [Fact]
    public async Task BatchStopJobRun_surfaces_per_run_errors()
    {
        _server.Handler = _ => Task.FromResult(AwsReply.Ok(new
        {
            SuccessfulSubmissions = new[] { new { JobName = "extract-portal-monthly", JobRunId = "jr_1" } },
            Errors = new[] { new { JobName = "extract-portal-monthly", JobRunId = "jr_2", ErrorDetail = new { ErrorCode = "InvalidInputException", ErrorMessage = "Job run jr_2 is already in SUCCEEDED state" } } },
        }));
        var result = await Glue.BatchStopJobRunAsync(["jr_1", "jr_2", "jr_3"], Ct);
        Assert.Equal(["jr_1"], result.Stopped);
        Assert.False(result.AllStopped);
        Assert.Equal(["jr_2", "jr_3"], result.Errors.Select(e => e.JobRunId));
        Assert.Equal("InvalidInputException", result.Errors[0].ErrorCode);
        Assert.Equal("NotAcknowledged", result.Errors[1].ErrorCode);
        var body = _server.CallsTo("BatchStopJobRun").Single().Body;
        Assert.Equal(3, body.GetProperty("JobRunIds").GetArrayLength());
        _server.AssertNoViolations();
    }

    [Fact]
    public async Task Throttling_then_success_retries_with_backoff()
    {
        var n = 0;
        _server.Handler = _ => Task.FromResult(Interlocked.Increment(ref n) switch
        {
            1 => AwsReply.Error(400, "ThrottlingException", "Rate exceeded"),
            2 => AwsReply.Error(429, "TooManyRequestsException", "slow down"),
            _ => AwsReply.Ok(new { JobRun = Run("jr_ok", 1) }),
        });
        var run = await Glue.GetJobRunAsync("jr_ok", Ct);
        Assert.Equal("jr_ok", run.Id);
        Assert.Equal(3, _server.Calls.Count);
        // each attempt is signed afresh
        Assert.All(_server.Calls, c => Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", c.Headers["Authorization"]));
        _server.AssertNoViolations();
    }

    [Fact]
    public async Task Server_errors_stop_after_the_bounded_attempts()
    {
        _server.Handler = _ => Task.FromResult(AwsReply.Error(500, "InternalServiceException", "oops"));
        var e = await Assert.ThrowsAsync<AwsServiceException>(() => Glue.GetJobRunAsync("jr_x", Ct));
        Assert.Equal("InternalServiceException", e.ErrorCode);
        Assert.Equal(4, _server.Calls.Count);
    }

    [Fact]
    public async Task Still_throttled_after_every_attempt_is_AwsThrottledException()
    {
        _server.Handler = _ => Task.FromResult(AwsReply.Error(400, "ThrottlingException", "Rate exceeded"));
        var e = await Assert.ThrowsAsync<AwsThrottledException>(() => Glue.GetJobRunAsync("jr_x", Ct));
        Assert.Contains("busy", e.UserMessage);
        Assert.Equal(4, _server.Calls.Count);
    }

    [Fact]
    public async Task A_slow_attempt_times_out_and_the_next_one_succeeds()
    {
        await using var services = TestAws.Clients(glue: _server.Endpoint, retry: TestAws.FastRetry(attempts: 3, attemptTimeoutMs: 300));
        var n = 0;
        _server.Handler = async call =>
        {
            if (Interlocked.Increment(ref n) == 1) await Task.Delay(TimeSpan.FromSeconds(5), call.Aborted);
            return AwsReply.Ok(new { JobRun = Run("jr_slow", 1) });
        };
        var run = await services.GetRequiredService<GlueClient>().GetJobRunAsync("jr_slow", Ct);
        Assert.Equal("jr_slow", run.Id);
        Assert.Equal(2, _server.Calls.Count);
    }

    [Fact]
    public async Task Cancellation_is_honoured_and_not_retried()
    {
        _server.Handler = async call =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), call.Aborted);
            return AwsReply.Ok(new { });
        };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(200);
        var started = DateTime.UtcNow;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Glue.GetJobRunAsync("jr_x", cts.Token));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3));
        Assert.Single(_server.Calls);
    }

    [Fact]
    public async Task Session_credentials_send_the_security_token()
    {
        await using var services = TestAws.Clients(glue: _server.Endpoint,
            credentials: new SessionAWSCredentials(TestAws.AccessKey, TestAws.SecretKey, "FwoGZXIvYXdzEXAMPLETOKEN"));
        _server.Handler = _ => Task.FromResult(AwsReply.Ok(new { JobRun = Run("jr_t", 1) }));
        await services.GetRequiredService<GlueClient>().GetJobRunAsync("jr_t", Ct);
        var call = _server.Calls.Single();
        Assert.Equal("FwoGZXIvYXdzEXAMPLETOKEN", call.Headers["X-Amz-Security-Token"]);
        Assert.Contains("x-amz-security-token", call.Headers["Authorization"]);
        _server.AssertNoViolations();
    }

    [Fact]
    public async Task Error_code_from_the_header_when_the_body_has_none()
    {
        // a proxy answering 503 with HTML: retried, then a typed unavailable error
        _server.Handler = _ => Task.FromResult(new AwsReply(503, "<html>busy</html>"));
        var e = await Assert.ThrowsAsync<AwsServiceException>(() => Glue.GetJobRunAsync("jr_x", Ct));
        Assert.Equal("ServiceUnavailable", e.ErrorCode);
        Assert.Equal(4, _server.Calls.Count);
    }
}
