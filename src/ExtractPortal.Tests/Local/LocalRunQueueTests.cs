using ExtractPortal.Features.Runs;
using ExtractPortal.Local;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Rendering;
using ExtractPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ExtractPortal.Tests.Local;

public sealed class LocalRunQueueTests : IDisposable
{
    private readonly TempDataFolder _folder = new();

    [Fact]
    public async Task Runs_a_month_on_the_demo_ods_in_the_background_and_logs_its_stages()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var services = new ServiceCollection().AddPortalForTests(_folder.Path, realQueue: true).BuildServiceProvider();
        var queue = services.GetRequiredService<LocalRunQueue>();
        await queue.StartAsync(ct);
        try
        {
            var runs = services.GetRequiredService<IRunService>();
            var month = ExtractMonth.PreviousOf(DateOnly.FromDateTime(DateTime.UtcNow));
            var started = (await runs.StartAsync(TestUsers.Operator, [month], "queue test", ct: ct)).Single();
            var run = await WaitAsync(runs, started.Run.RunId, ct);
            Assert.Equal(RunState.Succeeded, run.State);
            Assert.Equal(1, run.MonthsPublished);
            Assert.True(File.Exists(Path.Combine(_folder.StoreRoot, ExtractKeys.ManifestKey(month))));
            var log = await runs.ReadLogTailAsync(TestUsers.Support, run.RunId, null, 100, ct);
            Assert.Contains(log.Lines, l => l.Contains("[Publishing]"));
            Assert.Contains(log.Lines, l => l.Contains("run succeeded"));
        }
        finally
        {
            await queue.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_run_left_running_by_a_previous_process_is_marked_failed_at_start_and_its_month_freed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var before = new ServiceCollection().AddPortalForTests(_folder.Path).BuildServiceProvider())
        {
            var store = before.GetRequiredService<IRunStore>();
            var run = await store.StartOrGetActiveAsync(new NewRun("2026-03", "olivia.operator", "r", null), ct);
            await store.MarkRunningAsync(run.Run.RunId, ct);
        }
        await using var after = new ServiceCollection().AddPortalForTests(_folder.Path, realQueue: true).BuildServiceProvider();
        var queue = after.GetRequiredService<LocalRunQueue>();
        await queue.StartAsync(ct);
        try
        {
            var runs = await after.GetRequiredService<IRunStore>().QueryAsync(new RunQuery(), ct);
            var interrupted = Assert.Single(runs.Items);
            Assert.Equal(RunState.Failed, interrupted.State);
            Assert.Contains("interrupted", interrupted.Error);
            Assert.DoesNotContain((await after.GetRequiredService<IRunStore>().MonthSummariesAsync(["2026-03"], ct)).Values, s => s.Active is not null);
        }
        finally
        {
            await queue.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_running_run_can_be_cancelled()
    {
        var ct = TestContext.Current.CancellationToken;
        var gate = new TaskCompletionSource();
        var services = new ServiceCollection().AddPortalForTests(_folder.Path, realQueue: true);
        services.AddSingleton<IOdsSourceProvider>(new BlockingSources(gate.Task));
        await using var provider = services.BuildServiceProvider();
        var queue = provider.GetRequiredService<LocalRunQueue>();
        await queue.StartAsync(ct);
        try
        {
            var runs = provider.GetRequiredService<IRunService>();
            var month = ExtractMonth.PreviousOf(DateOnly.FromDateTime(DateTime.UtcNow));
            var started = (await runs.StartAsync(TestUsers.Operator, [month], "to cancel", ct: ct)).Single();
            for (var i = 0; i < 100 && (await runs.GetAsync(TestUsers.Support, started.Run.RunId, ct))!.State != RunState.Running; i++) await Task.Delay(50, ct);
            await runs.CancelAsync(TestUsers.Operator, started.Run.RunId, ct);
            var run = await WaitAsync(runs, started.Run.RunId, ct);
            Assert.Equal(RunState.Cancelled, run.State);
            Assert.Contains("cancelled by olivia.operator", run.Error);
        }
        finally
        {
            await queue.StopAsync(CancellationToken.None);
        }
    }

    private sealed class BlockingSources(Task gate) : IOdsSourceProvider
    {
        public async Task<ExtractPortal.Pipeline.Sources.IOdsSource> GetAsync(CancellationToken ct)
        {
            await gate.WaitAsync(ct);
            throw new InvalidOperationException("never released");
        }
    }

    internal static async Task<RunRecord> WaitAsync(IRunService runs, string runId, CancellationToken ct)
    {
        for (var i = 0; i < 600; i++)
        {
            var run = await runs.GetAsync(TestUsers.Support, runId, ct);
            if (run is { IsActive: false }) return run;
            await Task.Delay(100, ct);
        }
        throw new TimeoutException($"run {runId} did not finish");
    }

    public void Dispose() => _folder.Dispose();
}
