using System.Diagnostics;
using System.Text.Json;
using ExtractPortal.Pipeline.Engine;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Sources;
using ExtractPortal.Pipeline.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExtractPortal.Benchmarks.Engine;

/// <summary>
/// One measurement in a process of its own, so the peak resident memory (VmHWM) is that of the
/// scenario alone. Prints {"elapsed_ms":..., "cold_ms":..., "peak_rss_mib":..., "loans_read":...}.
///   extract  --duckdb PATH | --postgres CONN  --month M --store FOLDER   the whole engine run
///   floor    --duckdb PATH --month M          the shared SQL alone over the window's tables already in memory
/// </summary>
public static class EngineScenario
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? "";
        var month = ExtractMonth.Parse(Arg("--month"));
        IOdsSource source = Arg("--duckdb") is { Length: > 0 } path
            ? new DuckDbFileOdsSource(path, "benchmark DuckDB ODS")
            : new PostgresOdsSource(Arg("--postgres"));
        // Twice in the process: the first run pays DuckDB's native start-up and .NET's JIT (reported
        // as cold), the second is the steady state (reported), measured alike for every scenario.
        var (cold, _) = await MeasureOnceAsync(args[0], source, month, Arg("--store"));
        var (warm, loansRead) = await MeasureOnceAsync(args[0], source, month, Arg("--store"));
        Console.WriteLine(JsonSerializer.Serialize(new { elapsed_ms = Math.Round(warm), cold_ms = Math.Round(cold), peak_rss_mib = PeakRssMiB(), loans_read = loansRead }));
        return 0;
    }

    private static async Task<(double ElapsedMs, long LoansRead)> MeasureOnceAsync(string kind, IOdsSource source, ExtractMonth month, string store)
    {
        var watch = Stopwatch.StartNew();
        if (kind == "floor")
        {
            using var workspace = new DuckDbWorkspace();
            await workspace.LoadAsync(source, [month], CancellationToken.None);
            PreloadIntoMemory(workspace);
            watch.Restart();
            workspace.Compute([month]);
            var elapsed = watch.Elapsed.TotalMilliseconds;
            return (elapsed, workspace.CountClassifiedLoans());
        }
        var engine = new ExtractEngine(source, new LocalExtractStore(store), TimeProvider.System, NullLogger<ExtractEngine>.Instance);
        var result = await engine.RunAsync(new ExtractRequest([month], ExtractRequest.NewRunId(DateTimeOffset.UtcNow), "benchmark", "benchmark"), null, CancellationToken.None);
        return (watch.Elapsed.TotalMilliseconds, result.SourceRows.RowsPerTable["loans"]);
    }

    /// <summary>Replaces the source's views over the file by in-memory tables holding the same rows.</summary>
    private static void PreloadIntoMemory(DuckDbWorkspace workspace)
    {
        foreach (var table in OdsTables.All)
        {
            using var copy = workspace.Connection.CreateCommand();
            copy.CommandText = $"CREATE TABLE preloaded_{table.Name} AS SELECT * FROM {table.Name}; DROP VIEW {table.Name}; " +
                               $"ALTER TABLE preloaded_{table.Name} RENAME TO {table.Name}";
            copy.ExecuteNonQuery();
        }
    }

    /// <summary>The process's peak resident set (Linux VmHWM), which includes DuckDB's native memory.</summary>
    private static double PeakRssMiB()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:"));
        return Math.Round(long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0, 1);
    }
}
