using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Sources;
using Npgsql;

namespace ExtractPortal.Benchmarks.Engine;

/// <summary>
/// Issue 2's benchmark: a large synthetic ODS (default 10 million loans, 3 banks, 300 branches,
/// 36 months) in DuckDB and in PostgreSQL, and the same with a 4x longer history (144 months,
/// 4x the loans, the same loans per month). Reports the one-month extract time and peak memory
/// from each source, the bare SQL's time (the floor), and how the time grows with history.
/// Each measurement runs in a fresh process; scenarios are interleaved, best of five rounds.
/// </summary>
public static class EngineBenchmark
{
    private static readonly ExtractMonth LastMonth = ExtractMonth.Parse("2026-09");

    public static async Task<int> RunAsync(string[] args)
    {
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var postgres = Arg("--postgres") ?? throw new ArgumentException("--postgres \"<connection string>\" is required (scripts/benchmark-engine.sh starts a throwaway server)");
        var loans = int.Parse(Arg("--loans") ?? "10000000", CultureInfo.InvariantCulture);
        var work = Arg("--work") ?? Directory.CreateTempSubdirectory("extractportal-bench-").FullName;
        Directory.CreateDirectory(work);

        var baseSize = new SyntheticOdsSize(BranchesPerBank: 100, Clients: 200_000, Loans: loans, Months: 36);
        var longSize = baseSize with { Loans = loans * 4, Months = 144 };
        Console.WriteLine($"# Engine benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");

        var scenarios = new List<(string Name, string[] Args)>();
        foreach (var (label, size) in new[] { ("36 months", baseSize), ("144 months (4x history)", longSize) })
        {
            var ods = new SyntheticOds(size, LastMonth);
            var duckPath = Path.Combine(work, $"ods-{size.Months}.duckdb");
            var build = Stopwatch.StartNew();
            if (!File.Exists(duckPath)) DemoOds.Write(duckPath, ods, CancellationToken.None);
            Console.WriteLine($"built DuckDB ODS, {label}: {size.Loans:N0} loans in {build.Elapsed.TotalSeconds:0.0} s");
            build.Restart();
            var pgConnection = await WritePostgresAsync(postgres, $"bench_{size.Months}", ods);
            Console.WriteLine($"built PostgreSQL ODS, {label}: {size.Loans:N0} loans in {build.Elapsed.TotalSeconds:0.0} s (binary COPY + index on loan_date + ANALYZE)");

            var month = LastMonth.ToString();
            scenarios.Add(($"DuckDB ODS, {label}: one-month extract", ["extract", "--duckdb", duckPath, "--month", month, "--store", Path.Combine(work, "store")]));
            scenarios.Add(($"PostgreSQL ODS, {label}: one-month extract", ["extract", "--postgres", pgConnection, "--month", month, "--store", Path.Combine(work, "store")]));
            scenarios.Add(($"bare SQL over the window's tables in memory (floor), {label}", ["floor", "--duckdb", duckPath, "--month", month]));
        }

        // Round-robin rather than one scenario after another, so a burst of other load on the
        // machine hits every scenario alike; the best of the rounds is reported.
        var best = new Measurement?[scenarios.Count];
        for (var round = 0; round < Rounds; round++)
            for (var i = 0; i < scenarios.Count; i++)
            {
                var m = await MeasureAsync(scenarios[i].Args);
                if (best[i] is null || m.ElapsedMs < best[i]!.ElapsedMs) best[i] = m;
            }
        var results = scenarios.Select((s, i) => (s.Name, M: best[i]!)).ToList();

        Console.WriteLine();
        Console.WriteLine($"| scenario | time, warm (ms, best of {Rounds}) | first run in a fresh process (ms) | peak memory (MiB) | loans read |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var (name, m) in results)
            Console.WriteLine($"| {name} | {m.ElapsedMs:0} | {m.ColdMs:0} | {m.PeakRssMiB:0} | {m.LoansRead:N0} |");

        double Ms(string prefix) => results.First(r => r.Name.StartsWith(prefix, StringComparison.Ordinal)).M.ElapsedMs;
        Console.WriteLine();
        Console.WriteLine($"- DuckDB end-to-end / floor: {Ms("DuckDB ODS, 36") / Ms("bare SQL over the window's tables in memory (floor), 36"):0.00}x (goal <= 1.5x)");
        Console.WriteLine($"- PostgreSQL end-to-end / floor: {Ms("PostgreSQL ODS, 36") / Ms("bare SQL over the window's tables in memory (floor), 36"):0.00}x");
        Console.WriteLine($"- 4x history, DuckDB: {Ms("DuckDB ODS, 144") / Ms("DuckDB ODS, 36"):0.00}x; PostgreSQL: {Ms("PostgreSQL ODS, 144") / Ms("PostgreSQL ODS, 36"):0.00}x (goal <= 1.3x)");
        Console.WriteLine($"- peak memory: max {results.Max(r => r.M.PeakRssMiB):0} MiB (goal < 1024 MiB)");
        return 0;
    }

    private sealed record Measurement(double ElapsedMs, double ColdMs, double PeakRssMiB, long LoansRead);

    private const int Rounds = 5;

    private static async Task<Measurement> MeasureAsync(string[] scenario)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        foreach (var arg in (string[])[typeof(EngineBenchmark).Assembly.Location, "engine-scenario", .. scenario]) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"scenario {string.Join(' ', scenario)} failed");
        var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
        return new Measurement(json.GetProperty("elapsed_ms").GetDouble(), json.GetProperty("cold_ms").GetDouble(),
            json.GetProperty("peak_rss_mib").GetDouble(), json.GetProperty("loans_read").GetInt64());
    }

    /// <summary>
    /// The same synthetic ODS in PostgreSQL, with the index an ODS serving this extract should have:
    /// without one on loan_date, PostgreSQL must scan the whole loans table to find the window.
    /// </summary>
    private static async Task<string> WritePostgresAsync(string adminConnection, string database, SyntheticOds ods)
    {
        await using (var admin = new NpgsqlConnection(adminConnection))
        {
            await admin.OpenAsync();
            await using var exists = new NpgsqlCommand($"SELECT 1 FROM pg_database WHERE datname = '{database}'", admin);
            if (await exists.ExecuteScalarAsync() is not null)
                return new NpgsqlConnectionStringBuilder(adminConnection) { Database = database }.ConnectionString;
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(adminConnection) { Database = database, CommandTimeout = 0 }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var (table, rows) in ods.Tables())
        {
            await using (var ddl = new NpgsqlCommand(OdsTables.PostgresCreate(table), connection)) await ddl.ExecuteNonQueryAsync();
            await OdsWriters.CopyToPostgresAsync(connection, table, rows, CancellationToken.None);
        }
        await using (var index = new NpgsqlCommand("CREATE INDEX loans_loan_date ON loans (loan_date); ANALYZE", connection))
            await index.ExecuteNonQueryAsync();
        return connectionString;
    }
}
