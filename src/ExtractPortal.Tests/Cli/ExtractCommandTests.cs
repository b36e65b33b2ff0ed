using System.Diagnostics;
using ExtractPortal.Cli;
using ExtractPortal.Configuration;
using ExtractPortal.Pipeline.Rendering;
using ExtractPortal.Tests.Infrastructure;
using ExtractPortal.Tests.Pipeline;
using Npgsql;

namespace ExtractPortal.Tests.Cli;

/// <summary>The extract verb: summaries, exit codes and one-line errors (architecture.md's fixed contract).</summary>
public sealed class ExtractCommandTests(PostgresServer postgres) : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly FixedClock _clock = FixedClock.At("2026-11-27T09:00:00Z");
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var options = new PortalOptions { DataFolder = _temp.Sub("data") };
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var exit = await ExtractCommand.RunAsync(args, options, stdout, stderr, _clock, _ct);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Demo_ods_run_publishes_and_prints_a_summary_per_month()
    {
        var (exit, output, error) = await RunAsync("--from", "2026-09", "--to", "2026-10");
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Matches(@"2026-09  3 files, 37 rows  loans read \d+, used \d+, left out \d+ \(null amount", output);
        Assert.Contains("2026-10  3 files", output);
        Assert.True(File.Exists(Path.Combine(_temp.Sub("data", "extracts"), "bank_name=CoralBankTrust/year=2026/month=10/CoralBankTrust_20261031.csv")));
    }

    [Theory]
    [InlineData(new[] { "--month", "2026-13" }, "'2026-13' is not a month")]
    [InlineData(new[] { "--month" }, "--month needs a value")]
    [InlineData(new[] { "--from", "2026-01" }, "--from and --to go together")]
    [InlineData(new[] { "--from", "2026-03", "--to", "2026-01" }, "--from 2026-03 is after --to 2026-01")]
    [InlineData(new[] { "--month", "2026-01", "--frobnicate" }, "unknown argument '--frobnicate'")]
    [InlineData(new string[0], "give at least one --month")]
    [InlineData(new[] { "--month", "2026-01", "--output", "../elsewhere" }, "must not contain '..'")]
    public async Task A_wrong_command_line_exits_2_with_one_error_line_and_the_usage(string[] args, string message)
    {
        var (exit, output, error) = await RunAsync(args);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        var lines = error.TrimEnd().Split('\n');
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(message, lines[0]);
        Assert.StartsWith("usage: ", lines[1]);
    }

    [Fact]
    public async Task A_month_not_yet_ended_exits_1_with_one_line_and_publishes_nothing()
    {
        var (exit, _, error) = await RunAsync("--month", "2026-11");
        Assert.Equal(1, exit);
        Assert.Equal("error: 2026-11 has not ended yet (today is 2026-11-27 UTC); only complete months can be extracted", error.TrimEnd());
        Assert.DoesNotContain(TempFolder.Keys(_temp.Sub("data", "extracts")), k => k.StartsWith("bank_name="));
    }

    [Fact]
    public async Task An_unreachable_database_exits_1_with_one_line_and_no_stack_trace_unless_verbose()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(postgres.ConnectionString("ods")) { Port = 1, Timeout = 3 }.ConnectionString;
        var (exit, _, error) = await RunAsync("--month", "2026-03", "--source", unreachable);
        Assert.Equal(1, exit);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("error: cannot connect to the ODS at 127.0.0.1:1", error);

        var (_, _, verbose) = await RunAsync("--month", "2026-03", "--source", unreachable, "--verbose");
        Assert.Contains("   at ", verbose);
    }

    [Fact]
    public async Task A_token_collision_in_a_postgres_ods_exits_1_naming_the_banks_and_publishes_nothing()
    {
        var connectionString = await postgres.CreateDatabaseAsync("cli_collision");
        await GoldenCase.Load("token_collision").WritePostgresOdsAsync(connectionString);
        var output = _temp.Sub("out");
        var (exit, _, error) = await RunAsync("--month", "2026-03", "--source", connectionString, "--output", output);
        Assert.Equal(1, exit);
        Assert.Contains("'Bank A' (bank 1) and 'Bank-A' (bank 2) -> BankA", error);
        Assert.DoesNotContain(TempFolder.Keys(output), k => k.StartsWith("bank_name=") || k.StartsWith(ExtractKeys.ManifestsFolder));
    }

    [Fact]
    public async Task The_built_app_runs_the_same_verb()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ExtractPortal.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { dll, "extract", "--month", "2026-10", "--output", _temp.Sub("built-out") }) start.ArgumentList.Add(arg);
        start.Environment["Portal__DataFolder"] = _temp.Sub("built-data");
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(_ct);
        var error = await process.StandardError.ReadToEndAsync(_ct);
        await process.WaitForExitAsync(_ct);

        Assert.True(process.ExitCode == 0, error);
        Assert.Contains("2026-10  3 files, 37 rows", output);
        Assert.Equal(3, TempFolder.Keys(_temp.Sub("built-out")).Count(k => k.StartsWith("bank_name=")));
        Assert.True(File.Exists(Path.Combine(_temp.Sub("built-data"), "demo-ods.duckdb")));
    }
}
