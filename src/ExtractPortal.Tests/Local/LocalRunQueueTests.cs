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
