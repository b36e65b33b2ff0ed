using ExtractPortal.Configuration;
using ExtractPortal.Features.Runs;
using ExtractPortal.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ExtractPortal.Tests.Support;

/// <summary>The portal's feature services over the local backends in a temp data folder, without the web host.
/// The run launcher records what was enqueued instead of running the engine (unless a real queue is asked for).</summary>
public static class PortalServices
{
    public static IServiceCollection AddPortalForTests(this IServiceCollection services, string dataFolder, TimeProvider? clock = null, bool realQueue = false)
    {
        services.AddSingleton<IOptions<PortalOptions>>(Options.Create(new PortalOptions { DataFolder = dataFolder, MaxConcurrentRuns = 1 }));
        services.AddSingleton(clock ?? TimeProvider.System);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddRuns().AddExtracts().AddBackfills().AddAudit();
        services.AddLocalBackends();
        if (!realQueue)
        {
            services.AddSingleton<RecordingLauncher>();
            services.AddSingleton<IRunLauncher>(sp => sp.GetRequiredService<RecordingLauncher>());
        }
        return services;
    }

    public static ServiceProvider Build(string dataFolder, TimeProvider? clock = null) =>
        new ServiceCollection().AddPortalForTests(dataFolder, clock).BuildServiceProvider();
}

public sealed class RecordingLauncher : IRunLauncher
{
    public List<string> Enqueued { get; } = [];
    public List<string> Cancelled { get; } = [];

    public ValueTask EnqueueAsync(string runId, CancellationToken ct)
    {
        lock (Enqueued) Enqueued.Add(runId);
        return ValueTask.CompletedTask;
    }

    public bool TryCancel(string runId)
    {
        Cancelled.Add(runId);
        return false;
    }
}

/// <summary>A clock fixed at a given instant (months before it have ended).</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}
