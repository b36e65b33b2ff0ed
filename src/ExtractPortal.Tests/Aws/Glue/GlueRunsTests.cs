using System.Text.Json;
using Amazon.DynamoDBv2;
using ExtractPortal.Aws;
using ExtractPortal.Aws.DynamoDb;
using ExtractPortal.Aws.Glue;
using ExtractPortal.Aws.Logs;
using ExtractPortal.Aws.Protocol;
using ExtractPortal.Features.Extracts;
using ExtractPortal.Features.Runs;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Store;
using ExtractPortal.Tests.Aws.Support;
using ExtractPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ExtractPortal.Tests.Aws.Glue;

/// <summary>The Glue run-state sync and the CloudWatch run logs on their own: dynalite for the index, the fake JSON servers for Glue and Logs.</summary>
public sealed class GlueRunsTests(DynamoDbServer dynamo) : IAsyncLifetime
{
    private readonly AmazonDynamoDBClient _dynamo = dynamo.Client();
    private readonly string _table = "runs-" + Guid.NewGuid().ToString("N")[..12];
    private readonly FixedClock _clock = FixedClock.At("2026-04-15T08:00:00Z");
    private FakeAwsJsonServer _glue = null!;
    private FakeAwsJsonServer _logs = null!;
    private ServiceProvider _services = null!;
    private DynamoRunIndex _index = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await DynamoTables.CreateAsync(_dynamo, DynamoTables.RunsTable(_table), Ct);
        _glue = await FakeAwsJsonServer.StartAsync("glue");
        _logs = await FakeAwsJsonServer.StartAsync("logs");
        _index = new DynamoRunIndex(_dynamo, _table, _clock);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IAwsCredentialsSource>(new StaticAwsCredentialsSource(TestAws.Credentials));
        services.AddSingleton(TestAws.FastRetry());
        services.AddAwsClients(TestAws.Configuration(new() { ["Aws:ServiceUrls:Glue"] = _glue.Endpoint.ToString(), ["Aws:ServiceUrls:Logs"] = _logs.Endpoint.ToString() }));
        services.AddSingleton(_index);
        services.AddSingleton<GlueRunLauncher>();
        _services = services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _glue.DisposeAsync();
        await _logs.DisposeAsync();
        _dynamo.Dispose();
    }

    private GlueRunSync Sync() => new(_index, _services, new NoManifests(), _clock, Options.Create(new AwsOptions()), NullLogger<GlueRunSync>.Instance);

    private static Dictionary<string, object> GlueRun(string id, DateTimeOffset started, string state = "SUCCEEDED", Dictionary<string, string>? args = null)
    {
        var run = new Dictionary<string, object> { ["Id"] = id, ["JobRunState"] = state, ["StartedOn"] = started.ToUnixTimeSeconds(), ["CompletedOn"] = started.AddMinutes(3).ToUnixTimeSeconds() };
        if (args is not null) run["Arguments"] = args;
        return run;
    }

    [Theory]
    [InlineData("2026-03", "2026-03")]
    [InlineData("2026-03, 2026-01", "2026-01,2026-03")]
    [InlineData("2025-11..2026-02", "2025-11,2025-12,2026-01,2026-02")]
    [InlineData(null, "2026-03")]       // the job's default: the month before the start
    [InlineData("", "2026-03")]
    [InlineData("last month", "2026-03")]
    public void Months_come_from_the_extract_months_argument(string? argument, string expected) =>
        Assert.Equal(expected, string.Join(",", GlueRunSync.MonthsOf(argument, DateTimeOffset.Parse("2026-04-01T02:00:00Z"))));

    [Theory]
    [InlineData("STARTING", "Running")] [InlineData("RUNNING", "Running")] [InlineData("STOPPING", "Running")] [InlineData("WAITING", "Running")]
    [InlineData("SUCCEEDED", "Succeeded")] [InlineData("STOPPED", "Cancelled")]
    [InlineData("FAILED", "Failed")] [InlineData("TIMEOUT", "Failed")] [InlineData("ERROR", "Failed")] [InlineData("EXPIRED", "Failed")]
    public void Glue_states_map_to_run_states(string glue, string portal) => Assert.Equal(portal, RunStateAttribute.Of(GlueRunSync.MapState(glue)));

    [Fact]
    public async Task The_import_pages_newest_first_and_stops_at_an_old_known_run()
    {
        var now = _clock.GetUtcNow();
        var known = new RunRecord { RunId = "run-known", Months = ["2026-01"], State = RunState.Succeeded, TriggeredBy = "x", Reason = "y", CreatedAt = now.AddHours(-3), Engine = DynamoRunIndex.GlueEngine };
        await _index.PutRunAsync(known, Ct);
        await _index.LinkGlueRunAsync(known.RunId, "jr_known", Ct);
        _glue.Handler = call => Task.FromResult(call.Body.TryGetProperty("NextToken", out _)
            ? AwsReply.Ok(new { JobRuns = new[] { GlueRun("jr_older", now.AddHours(-5)) } })
            : AwsReply.Ok(new
            {
                JobRuns = new[]
                {
                    GlueRun("jr_young", now.AddSeconds(-10), "RUNNING"),
                    GlueRun("jr_sched", now.AddHours(-1), "RUNNING", new() { ["--extract_months"] = "2026-02", ["--triggered_by"] = "ops@example", ["--reason"] = "console" }),
                    GlueRun("jr_known", now.AddHours(-3)),
                },
                NextToken = "page-2",
            }));

        Assert.Equal(1, await Sync().ImportAsync(Ct));
        Assert.Single(_glue.CallsTo("GetJobRuns"));   // stopped at the known run: page 2 never read
        Assert.Null(await _index.GetAsync("jr_young", Ct));   // left for the next pass (the portal may be linking it)
        var imported = (await _index.GetAsync("jr_sched", Ct))!;
        Assert.Equal(["2026-02"], imported.Months);
        Assert.Equal(("ops@example", "console", RunState.Running), (imported.TriggeredBy, imported.Reason, imported.State));
        Assert.Equal("jr_sched", (await _index.ActiveRunAsync("2026-02", Ct))!.RunId);   // it holds its month
        Assert.Equal("jr_sched", await _index.RunIdOfGlueRunAsync("jr_sched", Ct));
        _glue.AssertNoViolations();
    }

    [Fact]
    public async Task A_run_whose_start_never_reached_Glue_is_failed_after_the_grace_and_frees_its_month()
    {
        var claim = await _index.ClaimMonthAsync("2026-03", "run-lost", "op", "r", null, Ct);
        _glue.Handler = _ => Task.FromResult(AwsReply.Ok(new { JobRuns = Array.Empty<object>() }));
        await Sync().SyncOnceAsync(Ct);
        Assert.Equal(RunState.Queued, (await _index.GetAsync(claim.Run.RunId, Ct))!.State);   // within the grace
        _clock.Now = _clock.Now.AddMinutes(6);
        await Sync().SyncOnceAsync(Ct);
        var run = (await _index.GetAsync(claim.Run.RunId, Ct))!;
        Assert.Equal(RunState.Failed, run.State);
        Assert.Contains("never started", run.Error);
        Assert.Null(await _index.ActiveRunAsync("2026-03", Ct));
    }

    [Fact]
    public async Task A_Glue_run_that_Glue_no_longer_knows_ends_failed()
    {
        var claim = await _index.ClaimMonthAsync("2026-03", "run-gone", "op", "r", null, Ct);
        await _index.LinkGlueRunAsync(claim.Run.RunId, "jr_gone", Ct);
        await _index.MarkRunningAsync(claim.Run.RunId, "jr_gone", Ct);
        _glue.Handler = call => Task.FromResult(call.Operation == "GetJobRun"
            ? AwsReply.Error(400, "EntityNotFoundException", "not found") : AwsReply.Ok(new { JobRuns = Array.Empty<object>() }));
        await Sync().RefreshActiveAsync(Ct);
        Assert.Contains("does not know", (await _index.GetAsync(claim.Run.RunId, Ct))!.Error);
    }

    [Fact]
    public async Task Run_logs_page_back_tail_forward_and_download_every_stream()
    {
        var claim = await _index.ClaimMonthAsync("2026-03", "run-logs", "op", "r", null, Ct);
        await _index.LinkGlueRunAsync(claim.Run.RunId, "jr_logs", Ct);
        var unstarted = await _index.ClaimMonthAsync("2026-02", "run-nolog", "op", "r", null, Ct);
        object E(int i) => new { timestamp = 1_776_240_000_000L + i * 1000, ingestionTime = 1_776_240_000_000L, message = $"line {i}\n" };
        _logs.Handler = call =>
        {
            var body = call.Body;
            var token = body.TryGetProperty("nextToken", out var t) ? t.GetString() : null;
            if (call.Operation == "FilterLogEvents")
                return Task.FromResult(token is null
                    ? AwsReply.Ok(new { events = new[] { E(1), E(2) }, nextToken = "p2" })
                    : AwsReply.Ok(new { events = new[] { E(3) } }));
            var group = body.GetProperty("logGroupName").GetString();
            var stream = body.GetProperty("logStreamName").GetString();
            if (stream != "jr_logs") return Task.FromResult(AwsReply.Error(400, "ResourceNotFoundException", "no stream"));
            if (group == GlueRunLogs.DefaultErrorGroup)
                return Task.FromResult(AwsReply.Ok(new { events = token is null ? new[] { E(9) } : [], nextForwardToken = "fe", nextBackwardToken = "be" }));
            var fromHead = body.TryGetProperty("startFromHead", out var h) && h.GetBoolean();
            return Task.FromResult((fromHead, token) switch
            {
                (false, null) => AwsReply.Ok(new { events = new[] { E(3), E(4) }, nextForwardToken = "f/5", nextBackwardToken = "b/2" }),
                (false, "b/2") => AwsReply.Ok(new { events = new[] { E(1), E(2) }, nextForwardToken = "f/3", nextBackwardToken = "b/0" }),
                (false, _) => AwsReply.Ok(new { events = Array.Empty<object>(), nextForwardToken = "f/1", nextBackwardToken = token }),
                (true, "f/5") => AwsReply.Ok(new { events = new[] { E(5) }, nextForwardToken = "f/6", nextBackwardToken = "b/5" }),
                (true, _) => AwsReply.Ok(new { events = new[] { E(1) }, nextForwardToken = "f/2", nextBackwardToken = "b/0" }),
            });
        };
        IRunLogs logs = new CloudWatchRunLogs(_index, _services, new AwsOptions());

        var tail = await logs.ReadTailAsync(claim.Run.RunId, null, 2, Ct);
        Assert.Equal(["line 3", "line 4"], tail.Lines.Select(l => l[25..]));
        Assert.Equal("2026-04-15T08:00:03.000Z line 3", tail.Lines[0]);
        var older = await logs.ReadTailAsync(claim.Run.RunId, tail.OlderCursor, 2, Ct);
        Assert.Equal(["line 1", "line 2"], older.Lines.Select(l => l[25..]));
        Assert.False((await logs.ReadTailAsync(claim.Run.RunId, older.OlderCursor, 2, Ct)).HasOlder);
        var live = await logs.ReadNewAsync(claim.Run.RunId, tail.NewerCursor, 100, Ct);
        Assert.Equal(["line 5"], live.Lines.Select(l => l[25..]));
        Assert.Equal("f/6", live.NewerCursor);

        await using (var stream = await logs.OpenAsync(claim.Run.RunId, Ct))
        using (var reader = new StreamReader(stream!))
        {
            var text = await reader.ReadToEndAsync(Ct);
            Assert.Equal(["line 1", "line 2", "line 3", "---- /aws-glue/jobs/error ----", "line 9"],
                text.TrimEnd('\n').Split('\n').Select(l => l.StartsWith("----") ? l : l[25..]));
        }
        Assert.Equal(2, _logs.CallsTo("FilterLogEvents").Count);

        // no Glue run yet: an empty log, no download
        var none = await logs.ReadTailAsync(unstarted.Run.RunId, null, 10, Ct);
        Assert.Empty(none.Lines);
        Assert.Null(await logs.OpenAsync(unstarted.Run.RunId, Ct));
        _logs.AssertNoViolations();
    }

    private sealed class NoManifests : IExtractStoreReader
    {
        public string Description => "none";
        public Task<IReadOnlyList<PartitionFile>> ListPartitionsAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<PartitionFile>>([]);
        public Task<IReadOnlyList<ExtractManifest>> ListManifestsAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<ExtractManifest>>([]);
        public Task<ExtractManifest?> GetManifestAsync(ExtractMonth month, CancellationToken ct) => Task.FromResult<ExtractManifest?>(null);
        public Task<ExtractManifest?> GetRunManifestAsync(ExtractMonth month, string runId, CancellationToken ct) => Task.FromResult<ExtractManifest?>(null);
        public Task<Stream?> OpenReadAsync(string key, CancellationToken ct) => Task.FromResult<Stream?>(null);
        public Task CheckAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
