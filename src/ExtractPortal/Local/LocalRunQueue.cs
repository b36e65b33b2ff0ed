using System.Collections.Concurrent;
using System.Threading.Channels;
using ExtractPortal.Configuration;
using ExtractPortal.Features.Runs;
using ExtractPortal.Pipeline.Engine;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Store;
using Microsoft.Extensions.Options;
using Serilog.Context;

namespace ExtractPortal.Local;

/// <summary>
/// The local engine in the background: a queue of run ids worked by <c>Portal:MaxConcurrentRuns</c>
/// workers, each running <see cref="ExtractEngine"/> for one run, reporting its stage to the run
/// store and its log to the run's log file. Cancellable. At start it marks runs that a previous
/// process left queued or running as failed, and (folder store) finishes or discards half-published
/// months. The store is the folder, or S3 with Portal:ExtractStore:Kind=S3 (the Docker stack's MinIO),
/// which needs no recovery: a month switches only once its files are complete.
/// </summary>
public sealed class LocalRunQueue(
    IRunStore runs, LocalRunLogs logs, IExtractStore store, IOdsSourceProvider sources, TimeProvider clock,
    IOptions<PortalOptions> options, ILoggerFactory loggerFactory) : BackgroundService, IRunLauncher
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>();
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new();
    private readonly ILogger _logger = loggerFactory.CreateLogger<LocalRunQueue>();

    public ValueTask EnqueueAsync(string runId, CancellationToken ct) => _queue.Writer.WriteAsync(runId, ct);

    public bool TryCancel(string runId)
    {
        if (!_running.TryGetValue(runId, out var cancel)) return false;
        cancel.Cancel();
        return true;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before any worker starts: nothing from a previous process is still running.
        var interrupted = await runs.FailInterruptedAsync(
            $"interrupted: the portal stopped or restarted before the run finished (marked failed at start-up {clock.GetUtcNow():yyyy-MM-dd HH:mm:ss} UTC)",
            cancellationToken);
        if (interrupted > 0) _logger.LogWarning("Marked {Count} run(s) left queued or running by a previous process as failed", interrupted);
        if (store is LocalExtractStore folder) folder.RecoverAll();
        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = Enumerable.Range(0, options.Value.MaxConcurrentRuns).Select(_ => Task.Run(async () =>
        {
            try
            {
                await foreach (var runId in _queue.Reader.ReadAllAsync(stoppingToken))
                    await RunOneAsync(runId, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // the portal is stopping
            }
        }, CancellationToken.None));
        return Task.WhenAll(workers);
    }

    private async Task RunOneAsync(string runId, CancellationToken stopping)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _running[runId] = cancel;
        using var logContext = LogContext.PushProperty("RunId", runId);
        try
        {
            if (!await runs.MarkRunningAsync(runId, stopping)) return;   // cancelled while queued
            var run = await runs.GetAsync(runId, stopping) ?? throw new InvalidOperationException($"run {runId} vanished");
            if (run.CancelRequestedBy is not null) cancel.Cancel();
            await LogAsync(runId, "INFO", $"run {runId} started for {run.MonthsText}: triggered by {run.TriggeredBy}, reason: {run.Reason}");
            await ExecuteRunAsync(run, cancel.Token);
            await runs.CompleteAsync(runId, RunState.Succeeded, null, CancellationToken.None);
            await LogAsync(runId, "INFO", "run succeeded");
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            var run = await runs.GetAsync(runId, CancellationToken.None);
            var message = stopping.IsCancellationRequested && run?.CancelRequestedBy is null
                ? "interrupted: the portal stopped before the run finished; nothing was published for the months not reported"
                : $"cancelled by {run?.CancelRequestedBy ?? "an operator"}; months not yet published were left as they were";
            await FinishAsync(runId, stopping.IsCancellationRequested && run?.CancelRequestedBy is null ? RunState.Failed : RunState.Cancelled, message);
        }
        catch (ExtractException e)
        {
            await FinishAsync(runId, RunState.Failed, e.Message);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Run {RunId} failed unexpectedly", runId);
            await FinishAsync(runId, RunState.Failed, $"unexpected error ({e.GetType().Name}): {e.Message}");
        }
        finally
        {
            _running.TryRemove(runId, out _);
        }
    }

    private async Task ExecuteRunAsync(RunRecord run, CancellationToken ct)
    {
        var source = await sources.GetAsync(ct);
        var engineLogger = new RunLogger(run.RunId, logs, loggerFactory.CreateLogger<ExtractEngine>(), clock);
        var engine = new ExtractEngine(source, store, clock, engineLogger);
        var progress = new SynchronousProgress(p =>
        {
            runs.ReportProgressAsync(run.RunId, p.Stage.ToString(), p.Detail, p.MonthsPublished, CancellationToken.None).GetAwaiter().GetResult();
            logs.AppendAsync(run.RunId, Line(clock, "INFO", $"[{p.Stage}] {p.Detail} ({p.MonthsPublished}/{p.MonthsTotal} months published)")).GetAwaiter().GetResult();
        });
        var request = new ExtractRequest(run.Months.Select(ExtractMonth.Parse).ToList(), run.RunId, run.TriggeredBy, run.Reason);
        await Task.Run(() => engine.RunAsync(request, progress, ct), ct);
    }

    private async Task FinishAsync(string runId, RunState state, string message)
    {
        await runs.CompleteAsync(runId, state, message, CancellationToken.None);
        await LogAsync(runId, state == RunState.Cancelled ? "WARN" : "ERROR", $"run {state.ToString().ToLowerInvariant()}: {message}");
        _logger.LogWarning("Run {RunId} {State}: {Message}", runId, state, message);
    }

    private Task LogAsync(string runId, string level, string message) => logs.AppendAsync(runId, Line(clock, level, message), CancellationToken.None);

    internal static string Line(TimeProvider clock, string level, string message) =>
        $"{clock.GetUtcNow().UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {level,-5} {message}";

    private sealed class SynchronousProgress(Action<ExtractProgress> report) : IProgress<ExtractProgress>
    {
        public void Report(ExtractProgress value) => report(value);
    }

    /// <summary>Sends the engine's log to the app's log (Serilog) and to the run's log file.</summary>
    private sealed class RunLogger(string runId, LocalRunLogs logs, ILogger<ExtractEngine> inner, TimeProvider clock) : ILogger<ExtractEngine>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
            if (logLevel < LogLevel.Information) return;
            var level = logLevel switch { LogLevel.Information => "INFO", LogLevel.Warning => "WARN", _ => "ERROR" };
            var text = formatter(state, exception) + (exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})");
            logs.AppendAsync(runId, Line(clock, level, text)).GetAwaiter().GetResult();
        }
    }
}
