using ExtractPortal.Cli;
using ExtractPortal.Pipeline.Engine;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Sources;
using ExtractPortal.Tests.Infrastructure;
using Npgsql;

namespace ExtractPortal.Tests.Cli;

/// <summary>The seed-ods verb (docker/compose.yaml's one-shot seeder) against a real PostgreSQL.</summary>
public sealed class SeedOdsCommandTests(PostgresServer postgres)
{
    private readonly FixedClock _clock = FixedClock.At("2026-11-27T09:00:00Z");
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var exit = await SeedOdsCommand.RunAsync(args, stdout, stderr, _clock, _ct);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(_ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(_ct));
    }

    [Fact]
    public async Task An_empty_database_gets_the_demo_ods_up_to_the_previous_month_and_the_engine_can_read_it()
    {
        var target = await postgres.CreateDatabaseAsync("seed");
        var (exit, output, error) = await RunAsync("--target", target);

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        var demo = new SyntheticOds(SyntheticOdsSize.Demo, ExtractMonth.Parse("2026-10"));
        Assert.Contains($"seeded the demo ODS {demo.FirstMonth}..2026-10", output);
        Assert.Equal(demo.Banks().Count(), await ScalarAsync(target, "SELECT COUNT(*) FROM bank"));
        Assert.Equal(demo.Loans().Count(), await ScalarAsync(target, "SELECT COUNT(*) FROM loans"));
        Assert.Equal("2026-10", await TextAsync(target, "SELECT to_char(MAX(loan_date), 'YYYY-MM') FROM loans"));
        Assert.Equal(1, await ScalarAsync(target, "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'loans' AND indexdef LIKE '%(loan_date)%'"));

        // The same source the portal and the extract verb use reads it.
        var source = new PostgresOdsSource(target);
        await source.CheckAsync(_ct);
        using var workspace = new DuckDbWorkspace();
        var stats = await workspace.LoadAsync(source, [ExtractMonth.Parse("2026-10")], _ct);
        Assert.True(stats.RowsPerTable["loans"] > 0);
    }

    private async Task<string?> TextAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(_ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (string?)await command.ExecuteScalarAsync(_ct);
    }

    [Fact]
    public async Task A_second_run_skips_the_seeded_database_and_changes_nothing()
    {
        var target = await postgres.CreateDatabaseAsync("reseed");
        Assert.Equal(0, (await RunAsync("--target", target, "--last-month", "2025-06")).Exit);
        var loans = await ScalarAsync(target, "SELECT COUNT(*) FROM loans");

        var (exit, output, error) = await RunAsync("--target", target);

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains($"already seeded (3 banks, {loans} loans); nothing changed", output);
        Assert.Equal(loans, await ScalarAsync(target, "SELECT COUNT(*) FROM loans"));
        Assert.Equal("2025-06", await TextAsync(target, "SELECT to_char(MAX(loan_date), 'YYYY-MM') FROM loans"));
    }

    [Fact]
    public async Task A_database_with_other_tables_is_refused_and_left_alone()
    {
        var target = await postgres.CreateDatabaseAsync("busy");
        await using (var connection = new NpgsqlConnection(target))
        {
            await connection.OpenAsync(_ct);
            await using var create = new NpgsqlCommand("CREATE TABLE payroll (id integer)", connection);
            await create.ExecuteNonQueryAsync(_ct);
        }

        var (exit, output, error) = await RunAsync("--target", target);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains("is not empty (tables: payroll)", error);
        Assert.Equal(0, await ScalarAsync(target, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'bank'"));
    }

    [Fact]
    public async Task An_unreachable_server_is_one_clear_line_without_the_password()
    {
        var closed = new NpgsqlConnectionStringBuilder(postgres.ConnectionString("ods")) { Port = 1, Password = "not-a-real-secret-42", Timeout = 3 };

        var (exit, _, error) = await RunAsync("--target", closed.ConnectionString);

        Assert.Equal(1, exit);
        Assert.StartsWith("error: seeding PostgreSQL 127.0.0.1:1/ods failed, nothing was changed", error);
        Assert.DoesNotContain("not-a-real-secret-42", error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData(new string[0], "--target is required")]
    [InlineData(new[] { "--target" }, "--target needs a value")]
    [InlineData(new[] { "--target", "Host=db", "--last-month", "2026-13" }, "'2026-13' is not a month")]
    [InlineData(new[] { "--target", "Hots=db" }, "--target is not a valid Npgsql connection string")]
    [InlineData(new[] { "--target", "Host=db", "--force" }, "unknown argument '--force'")]
    public async Task A_wrong_command_line_exits_2_with_the_usage(string[] args, string message)
    {
        var (exit, _, error) = await RunAsync(args);
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
        Assert.Contains(SeedOdsCommand.Usage, error);
    }

    [Fact]
    public void The_verbs_are_dispatched_by_the_app()
    {
        Assert.True(CommandLine.IsVerb(["seed-ods", "--target", "Host=x"]));
        Assert.True(CommandLine.IsVerb(["healthcheck"]));
        Assert.True(CommandLine.IsVerb(["extract", "--month", "2026-01"]));
        Assert.False(CommandLine.IsVerb(["--urls", "http://+:8080"]));
        Assert.False(CommandLine.IsVerb([]));
    }
}
