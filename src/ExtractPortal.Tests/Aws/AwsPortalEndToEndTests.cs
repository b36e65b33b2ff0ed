using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3.Model;
using ExtractPortal.Aws.Auth;
using ExtractPortal.Aws.DataProtection;
using ExtractPortal.Aws.DynamoDb;
using ExtractPortal.Aws.Glue;
using ExtractPortal.Aws.Protocol;
using ExtractPortal.Features.Audit;
using ExtractPortal.Features.Backfills;
using ExtractPortal.Features.Runs;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Tests.Aws.Support;
using ExtractPortal.Tests.Infrastructure;
using ExtractPortal.Tests.Support;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace ExtractPortal.Tests.Aws;

/// <summary>
/// The real portal (Program.cs on Kestrel) in AWS mode with nothing local: S3 = s3rver, DynamoDB =
/// dynalite, Glue and CloudWatch Logs = the model-checking fake JSON servers (playing a small Glue job),
/// sign-in = ALB tokens signed in the test. The run-state sync runs every second.
/// </summary>
public sealed class AwsPortalEndToEndTests(S3Server s3, DynamoDbServer dynamo) : IAsyncLifetime
{
    private const string Month = "2026-03";
    private readonly string _runsTable = "e2e-runs-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _auditTable = "e2e-audit-" + Guid.NewGuid().ToString("N")[..8];
    private readonly FakeGlueJob _job = new();
    private string _bucket = "";
    private FakeAwsJsonServer _glue = null!;
    private FakeAwsJsonServer _logs = null!;
    private AlbTestIssuer _alb = null!;
    private PortalApp _app = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        using (var client = dynamo.Client())
        {
            await DynamoTables.CreateAsync(client, DynamoTables.RunsTable(_runsTable), Ct);
            await DynamoTables.CreateAsync(client, DynamoTables.AuditTable(_auditTable), Ct);
        }
        _bucket = await s3.CreateBucketAsync();
        _glue = await FakeAwsJsonServer.StartAsync("glue");
        _glue.Handler = _job.HandleGlueAsync;
        _logs = await FakeAwsJsonServer.StartAsync("logs");
        _logs.Handler = _job.HandleLogsAsync;
        _alb = await AlbTestIssuer.StartAsync();
        var settings = TestAws.Settings(new()
        {
            ["Portal:Mode"] = "Aws",
            ["Aws:ServiceUrls:Glue"] = _glue.Endpoint.ToString(),
            ["Aws:ServiceUrls:Logs"] = _logs.Endpoint.ToString(),
            ["Aws:ServiceUrls:S3"] = s3.Endpoint,
            ["Aws:ServiceUrls:DynamoDB"] = dynamo.Endpoint,
            ["Aws:ExtractsBucket"] = _bucket,
            ["Aws:RunsTable"] = _runsTable,
            ["Aws:AuditTable"] = _auditTable,
            ["Aws:DataProtection:Bucket"] = _bucket,
            ["Aws:Auth:PublicKeyEndpoint"] = _alb.Endpoint.ToString(),
            ["Aws:GlueSyncIntervalSeconds"] = "1",
        });
        _app = PortalApp.Start(services =>
        {
            services.AddSingleton<AWSCredentials>(S3Server.S3rverCredentials);   // S3 (s3rver checks its own key) and DynamoDB (dynalite takes any)
            services.AddSingleton<IAwsCredentialsSource>(new StaticAwsCredentialsSource(TestAws.Credentials));   // Glue and Logs (the fakes check the key id)
            services.AddSingleton(TestAws.FastRetry());
            services.PostConfigure<KeyManagementOptions>(km => km.XmlRepository = new S3XmlRepository(s3.Client(), _bucket, "portal/data-protection", null));
        }, settings);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _alb.DisposeAsync();
        await _glue.DisposeAsync();
        await _logs.DisposeAsync();
    }

    private string Token(string group) => _alb.Token(payload: AlbTestIssuer.Payload(group));

    private async Task<ClaimsPrincipal> UserAsync(string group) =>
        await _app.Services.GetRequiredService<AlbTokenVerifier>().VerifyAsync(Token(group), AlbOidcAuthenticationHandler.SchemeName, Ct);

    private async Task<HttpResponseMessage> GetAsync(string path, string group)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation(AlbTokenVerifier.HeaderName, Token(group));
        return await client.SendAsync(request, Ct);
    }

    private async Task<RunRecord> WaitForAsync(string runId, Func<RunRecord?, bool> condition)
    {
        var store = _app.Services.GetRequiredService<IRunStore>();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var run = await store.GetAsync(runId, Ct);
            if (condition(run)) return run!;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"run {runId} is {run?.State.ToString() ?? "missing"}: {run?.Error}");
            await Task.Delay(200, Ct);
        }
    }

    private async Task PutObjectsAsync(string folder, string prefix)
    {
        using var client = s3.Client();
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            await client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _bucket, Key = prefix + "/" + Path.GetRelativePath(folder, file).Replace('\\', '/'), FilePath = file,
                UseChunkEncoding = false,
            }, Ct);
    }

    [Fact]
    public async Task An_operator_runs_a_month_in_Glue_and_an_auditor_downloads_what_it_published()
    {
        using var ready = await GetAsync("/readyz", "support");
        var readyJson = await ready.Content.ReadAsStringAsync(Ct);
        Assert.True(ready.StatusCode == HttpStatusCode.OK, readyJson);
        foreach (var check in new[] { "glue", "dynamodb", "extract-store" }) Assert.Contains($"\"{check}\"", readyJson);
        Assert.DoesNotContain("\"ods\"", readyJson);

        using var scope = _app.Services.CreateScope();
        var runs = scope.ServiceProvider.GetRequiredService<IRunService>();
        var operatorUser = await UserAsync("operator");
        var started = Assert.Single(await runs.StartAsync(operatorUser, [ExtractMonth.Parse(Month)], "re-run after ODS fix", ct: Ct));
        Assert.False(started.AlreadyActive);

        var start = Assert.Single(_glue.CallsTo("StartJobRun"));
        var arguments = start.Body.GetProperty("Arguments");
        Assert.Equal("extract-portal-monthly", start.Body.GetProperty("JobName").GetString());
        Assert.Equal(Month, arguments.GetProperty("--extract_months").GetString());
        Assert.Equal("olivia.operator", arguments.GetProperty("--triggered_by").GetString());
        Assert.Equal("re-run after ODS fix", arguments.GetProperty("--reason").GetString());
        var glueRunId = _job.Runs.Keys.Single();

        // asking again while it runs gives the same run and no second Glue run
        var again = Assert.Single(await runs.StartAsync(operatorUser, [ExtractMonth.Parse(Month)], "again", ct: Ct));
        Assert.True(again.AlreadyActive);
        Assert.Equal(started.Run.RunId, again.Run.RunId);
        Assert.Single(_glue.CallsTo("StartJobRun"));
        var running = await WaitForAsync(started.Run.RunId, r => r is { State: RunState.Running, StageDetail: not null } && r.StageDetail.Contains("RUNNING"));
        Assert.Equal(glueRunId, running.EngineRunId);

        // the Glue job publishes the month and succeeds
        using var published = new TempDataFolder();
        var csv = StoreSeeder.Csv("Coral Bank", Month, 3);
        StoreSeeder.Publish(published.Path, Month, glueRunId, ("Coral Bank", csv));
        await PutObjectsAsync(published.Path, "extracts");
        _job.Finish(glueRunId, GlueJobRunStates.Succeeded);

        var done = await WaitForAsync(started.Run.RunId, r => r?.State == RunState.Succeeded);
        Assert.Equal(1, done.MonthsPublished);
        Assert.NotNull(done.FinishedAt);
        var index = _app.Services.GetRequiredService<DynamoRunIndex>();
        Assert.Null(await index.ActiveRunAsync(Month, Ct));   // guard released

        // the run detail's log tail and the full log come from CloudWatch
        var support = await UserAsync("support");
        var tail = await runs.ReadLogTailAsync(support, started.Run.RunId, null, 200, Ct);
        Assert.Contains(tail.Lines, l => l.EndsWith($"extract run for {Month}: published 1 file"));
        using var log = await GetAsync($"/runs/{started.Run.RunId}/log", "support");
        Assert.Equal(HttpStatusCode.OK, log.StatusCode);
        var logText = await log.Content.ReadAsStringAsync(Ct);
        Assert.Contains("driver started", logText);
        Assert.Contains("executor 1 done", logText);
        Assert.Contains("---- /aws-glue/jobs/error ----", logText);

        // the manifest names the Glue run id; the run page finds the run by it
        using var byGlueId = await GetAsync($"/runs/{glueRunId}", "support");
        Assert.Equal(HttpStatusCode.OK, byGlueId.StatusCode);
        Assert.Equal(started.Run.RunId, (await _app.Services.GetRequiredService<IRunStore>().GetAsync(glueRunId, Ct))!.RunId);

        // an auditor downloads the exact bytes; the download is in the DynamoDB audit trail
        using var download = await GetAsync($"/extracts/CoralBank/{Month}/download", "auditor");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(Encoding.UTF8.GetBytes(csv), await download.Content.ReadAsByteArrayAsync(Ct));
        var trail = _app.Services.GetRequiredService<IAuditTrail>();
        Assert.IsType<DynamoAuditTrail>(trail);
        var downloads = await trail.QueryAsync(new AuditQuery { Action = AuditActions.ExtractDownloaded }, Ct);
        var entry = Assert.Single(downloads.Items);
        Assert.Equal(glueRunId, entry.RunId);
        Assert.Single((await trail.QueryAsync(new AuditQuery { Action = AuditActions.RunStarted }, Ct)).Items);
    }

    [Fact]
    public async Task A_scheduled_run_is_imported_Glue_refusals_fail_the_run_and_cancel_stops_Glue()
    {
        // the monthly schedule started a run 5 minutes ago, without arguments
        var scheduled = _job.Add(null, DateTimeOffset.UtcNow.AddMinutes(-5), GlueJobRunStates.Running);
        var imported = await WaitForAsync(scheduled, r => r is not null);
        Assert.Equal("schedule", imported.TriggeredBy);
        Assert.Equal("monthly schedule", imported.Reason);
        Assert.Equal([ExtractMonth.PreviousOf(DateOnly.FromDateTime(DateTime.UtcNow.AddMinutes(-5))).ToString()], imported.Months);
        Assert.Equal(RunState.Running, imported.State);
        _job.Finish(scheduled, GlueJobRunStates.Failed, "ODS unreachable");
        var failed = await WaitForAsync(scheduled, r => r?.State == RunState.Failed);
        Assert.Contains("ODS unreachable", failed.Error);

        using var scope = _app.Services.CreateScope();
        var runs = scope.ServiceProvider.GetRequiredService<IRunService>();
        var operatorUser = await UserAsync("operator");

        // Glue refuses (job concurrency): the run fails with a clear message and the month is free again
        _job.RefuseNextStart = true;
        var refused = Assert.Single(await runs.StartAsync(operatorUser, [ExtractMonth.Parse("2026-01")], "backfill", ct: Ct));
        var refusedRun = await WaitForAsync(refused.Run.RunId, r => r?.State == RunState.Failed);
        Assert.Contains("already active", refusedRun.Error);
        Assert.Null(await _app.Services.GetRequiredService<DynamoRunIndex>().ActiveRunAsync("2026-01", Ct));

        // a backfill through the DynamoDB backfill store; cancelling its run stops the Glue run
        var backfills = scope.ServiceProvider.GetRequiredService<BackfillService>();
        var plan = await backfills.PlanAsync(operatorUser, "2026-02", "2026-02", BackfillMode.All, Ct);
        var result = await backfills.StartAsync(operatorUser, plan, "backfill February", Ct);
        var run = Assert.Single(result.Runs).Run;
        var glueRunId = (await WaitForAsync(run.RunId, r => r?.EngineRunId is not null)).EngineRunId!;
        await runs.CancelAsync(operatorUser, run.RunId, Ct);
        var cancelled = await WaitForAsync(run.RunId, r => r?.State == RunState.Cancelled);
        Assert.Contains("olivia.operator", cancelled.Error);
        Assert.NotEmpty(_glue.CallsTo("BatchStopJobRun"));
        var listed = Assert.Single(await backfills.ListAsync(operatorUser, 10, Ct));
        Assert.Equal(result.BackfillId, listed.BackfillId);
        Assert.Equal(RunState.Cancelled, Assert.Single(listed.Months).State);
        _glue.AssertNoViolations();
        _logs.AssertNoViolations();
        Assert.Equal(glueRunId, _job.Runs.Keys.Single(k => k == glueRunId));
    }

    /// <summary>A Glue job as the portal sees it: runs in memory, states changed by the test, and their log streams.</summary>
    private sealed class FakeGlueJob
    {
        public ConcurrentDictionary<string, Dictionary<string, object>> Runs { get; } = new();
        public bool RefuseNextStart { get; set; }

        public string Add(Dictionary<string, string>? arguments, DateTimeOffset startedOn, string state)
        {
            var id = "jr_" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
            var run = new Dictionary<string, object>
            {
                ["Id"] = id, ["JobName"] = "extract-portal-monthly", ["JobRunState"] = state, ["Attempt"] = 0,
                ["StartedOn"] = startedOn.ToUnixTimeMilliseconds() / 1000.0, ["LastModifiedOn"] = startedOn.ToUnixTimeMilliseconds() / 1000.0,
                ["ExecutionTime"] = 0,
            };
            if (arguments is not null) run["Arguments"] = arguments;
            Runs[id] = run;
            return id;
        }

        public void Finish(string id, string state, string? error = null)
        {
            var run = Runs[id];
            lock (run)
            {
                run["JobRunState"] = state;
                run["CompletedOn"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
                run["ExecutionTime"] = 42;
                if (error is not null) run["ErrorMessage"] = error;
            }
        }

        private Dictionary<string, object> Snapshot(string id) { var run = Runs[id]; lock (run) return new(run); }

        public Task<AwsReply> HandleGlueAsync(AwsCall call)
        {
            var body = call.Body;
            switch (call.Operation)
            {
                case "StartJobRun":
                    if (RefuseNextStart)
                    {
                        RefuseNextStart = false;
                        return Task.FromResult(AwsReply.Error(400, "ConcurrentRunsExceededException", "Concurrent runs exceeded for extract-portal-monthly"));
                    }
                    var arguments = body.GetProperty("Arguments").Deserialize<Dictionary<string, string>>()!;
                    return Task.FromResult(AwsReply.Ok(new { JobRunId = Add(arguments, DateTimeOffset.UtcNow, GlueJobRunStates.Running) }));
                case "GetJobRun":
                    var id = body.GetProperty("RunId").GetString()!;
                    return Task.FromResult(Runs.ContainsKey(id) ? AwsReply.Ok(new { JobRun = Snapshot(id) })
                        : AwsReply.Error(400, "EntityNotFoundException", "no such run"));
                case "GetJobRuns":
                    var all = Runs.Keys.Select(Snapshot).OrderByDescending(r => (double)r["StartedOn"]).ToList();
                    return Task.FromResult(AwsReply.Ok(new { JobRuns = all }));
                case "BatchStopJobRun":
                    var ids = body.GetProperty("JobRunIds").EnumerateArray().Select(e => e.GetString()!).ToList();
                    foreach (var stop in ids) Finish(stop, GlueJobRunStates.Stopped);
                    return Task.FromResult(AwsReply.Ok(new { SuccessfulSubmissions = ids.Select(i => new { JobName = "extract-portal-monthly", JobRunId = i }), Errors = Array.Empty<object>() }));
                default:
                    return Task.FromResult(AwsReply.Error(400, "InvalidInputException", call.Operation));
            }
        }

        public Task<AwsReply> HandleLogsAsync(AwsCall call)
        {
            var group = call.Body.GetProperty("logGroupName").GetString();
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            object Event(string message, string stream) => new { timestamp = now, ingestionTime = now, message, logStreamName = stream, eventId = Guid.NewGuid().ToString("N") };
            if (call.Operation == "GetLogEvents")
            {
                var stream = call.Body.GetProperty("logStreamName").GetString()!;
                if (!Runs.ContainsKey(stream)) return Task.FromResult(AwsReply.Error(400, "ResourceNotFoundException", "The specified log stream does not exist."));
                if (group == "/aws-glue/jobs/error")
                    return Task.FromResult(AwsReply.Ok(new { events = call.Body.TryGetProperty("nextToken", out _) ? [] : new[] { Event("WARN spark settings", stream) }, nextForwardToken = "f/err", nextBackwardToken = "b/err" }));
                var months = Runs[stream].TryGetValue("Arguments", out var a) ? ((Dictionary<string, string>)a)["--extract_months"] : "?";
                var events = call.Body.TryGetProperty("nextToken", out var token) && token.GetString() is "b/0" or "f/1"
                    ? Array.Empty<object>()
                    : new[] { Event("driver started", stream), Event($"extract run for {months}: published 1 file", stream) };
                return Task.FromResult(AwsReply.Ok(new { events, nextForwardToken = "f/1", nextBackwardToken = "b/0" }));
            }
            var prefix = call.Body.GetProperty("logStreamNamePrefix").GetString()!;
            return Task.FromResult(AwsReply.Ok(new
            {
                events = new[] { Event("driver started", prefix), Event("executor 1 done", prefix + "_exec1") },
            }));
        }
    }
}
