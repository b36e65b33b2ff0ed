using ExtractPortal.Pipeline.Engine;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Sources;
using ExtractPortal.Tests.Infrastructure;
using Npgsql;

namespace ExtractPortal.Tests.Pipeline;

/// <summary>The PostgreSQL source against a real server: pushdown, clear errors, no secrets in messages.</summary>
public sealed class PostgresOdsSourceTests(PostgresServer postgres)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Only_the_windows_loans_and_undated_loans_leave_the_database()
    {
        var connectionString = await postgres.CreateDatabaseAsync("pushdown");
        await GoldenCase.Load("window_boundaries").WritePostgresOdsAsync(connectionString);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(_ct);
            await using var undated = new NpgsqlCommand("INSERT INTO loans VALUES (99, 5, 1, NULL)", connection);
            await undated.ExecuteNonQueryAsync(_ct);
        }
        using var workspace = new DuckDbWorkspace();
        var stats = await workspace.LoadAsync(new PostgresOdsSource(connectionString), [ExtractMonth.Parse("2026-03")], _ct);
        // 9 loans in the table; the 2026-03 window (2026-01-01 .. 2026-03-31) holds 5 of them, plus the undated one.
        Assert.Equal(6, stats.RowsPerTable["loans"]);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_clear_error_that_never_shows_the_password()
    {
        var closedPort = new NpgsqlConnectionStringBuilder(postgres.ConnectionString("postgres")) { Port = 1, Password = "not-a-real-secret-42", Timeout = 3 };
        var source = new PostgresOdsSource(closedPort.ConnectionString);
        var error = await Assert.ThrowsAsync<ExtractException>(() => source.CheckAsync(_ct));
        Assert.Equal(ExtractErrorKind.SourceUnreachable, error.Kind);
        Assert.Contains("127.0.0.1:1", error.Message);
        Assert.DoesNotContain("not-a-real-secret-42", error.Message);
        Assert.DoesNotContain("not-a-real-secret-42", source.Description);
    }

    [Fact]
    public async Task A_database_without_the_ods_tables_is_named_in_the_error()
    {
        var empty = await postgres.CreateDatabaseAsync("empty");
        var source = new PostgresOdsSource(empty);
        var check = await Assert.ThrowsAsync<ExtractException>(() => source.CheckAsync(_ct));
        Assert.Equal(ExtractErrorKind.SourceInvalid, check.Kind);
        using var workspace = new DuckDbWorkspace();
        var load = await Assert.ThrowsAsync<ExtractException>(() => workspace.LoadAsync(source, [ExtractMonth.Parse("2026-03")], _ct));
        Assert.Contains("ODS table bank", load.Message);
    }

    [Fact]
    public async Task A_missing_database_is_reported_as_unreachable_with_its_name()
    {
        var source = new PostgresOdsSource(postgres.ConnectionString("no_such_ods"));
        var error = await Assert.ThrowsAsync<ExtractException>(() => source.CheckAsync(_ct));
        Assert.Equal(ExtractErrorKind.SourceUnreachable, error.Kind);
        Assert.Contains("no_such_ods", error.Message);
    }
}
