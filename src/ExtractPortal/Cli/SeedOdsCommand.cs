using System.Diagnostics;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Sources;
using Npgsql;

namespace ExtractPortal.Cli;

/// <summary>
/// <c>ExtractPortal seed-ods --target "&lt;Npgsql connection string&gt;" [--last-month YYYY-MM]</c>
/// Creates the ODS tables (ods-schema.sql, via <see cref="OdsTables.PostgresCreate"/>) in an empty
/// PostgreSQL database and fills them with the demo ODS (<see cref="SyntheticOds"/>, demo size, the
/// 36 months up to the previous calendar month unless <c>--last-month</c> says otherwise): the same
/// data the embedded demo ODS holds. Used by the local Docker stack (docker/compose.yaml).
/// Idempotent: a database that already holds the ODS tables is left alone (exit 0, "already
/// seeded"); a database holding other tables is refused (exit 1), never modified. Everything runs
/// in one transaction under an advisory lock, so a crash or a second seeder never leaves half an ODS.
/// Exit codes: 0 seeded or already seeded, 1 refused or failed, 2 the command line is wrong.
/// </summary>
public static class SeedOdsCommand
{
    public const string Name = "seed-ods";

    public const string Usage = "usage: ExtractPortal seed-ods --target \"<Npgsql connection string>\" [--last-month YYYY-MM]";

    /// <summary>Any constant: serializes concurrent seeders of one database.</summary>
    private const long AdvisoryLockKey = 0x0D5_5EED;

    internal sealed record Arguments(NpgsqlConnectionStringBuilder Target, ExtractMonth? LastMonth);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider clock, CancellationToken ct)
    {
        Arguments parsed;
        try
        {
            parsed = Parse(args);
        }
        catch (FormatException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}\n{Usage}");
            return 2;
        }

        var target = Describe(parsed.Target);
        try
        {
            await using var connection = new NpgsqlConnection(parsed.Target.ConnectionString);
            await connection.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", ct);

            var existing = await ExistingTablesAsync(connection, transaction, ct);
            var odsNames = OdsTables.All.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            if (odsNames.IsSubsetOf(existing))
            {
                var bankRows = await ScalarAsync(connection, transaction, $"SELECT COUNT(*) FROM {OdsTables.Bank.Name}", ct);
                var loanRows = await ScalarAsync(connection, transaction, $"SELECT COUNT(*) FROM {OdsTables.Loans.Name}", ct);
                await stdout.WriteLineAsync($"{target}: already seeded ({bankRows} banks, {loanRows} loans); nothing changed");
                return 0;
            }
            if (existing.Count > 0)
            {
                await stderr.WriteLineAsync($"error: {target} is not empty (tables: {string.Join(", ", existing.Order(StringComparer.Ordinal))}); " +
                                            "seed-ods only fills an empty database: nothing changed");
                return 1;
            }

            var ods = new SyntheticOds(SyntheticOdsSize.Demo,
                parsed.LastMonth ?? ExtractMonth.PreviousOf(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)));
            var watch = Stopwatch.StartNew();
            var counts = new List<string>();
            foreach (var (table, rows) in ods.Tables())
            {
                await ExecuteAsync(connection, transaction, OdsTables.PostgresCreate(table), ct);
                var copied = await OdsWriters.CopyToPostgresAsync(connection, table, rows, ct);
                counts.Add($"{table.Name} {copied}");
            }
            // The extract reads a 3-month window of loans: the PostgreSQL source pushes that predicate down.
            await ExecuteAsync(connection, transaction, $"CREATE INDEX loans_loan_date_idx ON {OdsTables.Loans.Name} (loan_date)", ct);
            await transaction.CommitAsync(ct);
            await ExecuteAsync(connection, null, "ANALYZE", ct);

            await stdout.WriteLineAsync($"{target}: seeded the demo ODS {ods.FirstMonth}..{ods.LastMonth} " +
                                        $"({string.Join(", ", counts)}) in {watch.Elapsed.TotalSeconds:0.0} s");
            return 0;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync($"error: cancelled; {target} was left unchanged");
            return 1;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // Npgsql messages name host/port/database, never the password.
            await stderr.WriteLineAsync($"error: seeding {target} failed, nothing was changed: {e.Message.Split('\n')[0]}");
            return 1;
        }
    }

    internal static Arguments Parse(string[] args)
    {
        string? target = null, lastMonth = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--target": target = Value(); break;
                case "--last-month": lastMonth = Value(); break;
                default: throw new FormatException($"unknown argument '{args[i]}'");
            }
        }
        if (string.IsNullOrWhiteSpace(target)) throw new FormatException("--target is required");
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(target);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"--target is not a valid Npgsql connection string: {e.Message.Split('\n')[0]}");
        }
        if (string.IsNullOrEmpty(builder.Host)) throw new FormatException("--target needs a Host");
        ExtractMonth? month = null;
        if (lastMonth is not null)
            month = ExtractMonth.TryParse(lastMonth, out var m, out var error) ? m : throw new FormatException(error);
        return new Arguments(builder, month);
    }

    /// <summary>host:port/database, never the password.</summary>
    internal static string Describe(NpgsqlConnectionStringBuilder b) =>
        $"PostgreSQL {b.Host}:{b.Port}/{(string.IsNullOrEmpty(b.Database) ? b.Username ?? "postgres" : b.Database)}";

    private static async Task<HashSet<string>> ExistingTablesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        // Tables and views in the schemas the connection resolves unqualified names in (public by default).
        await using var command = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = ANY (current_schemas(false))", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct)) names.Add(reader.GetString(0));
        return names;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
    }
}
