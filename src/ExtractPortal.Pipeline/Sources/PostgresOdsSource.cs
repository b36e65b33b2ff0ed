using System.Net.Sockets;
using DuckDB.NET.Data;
using Npgsql;

namespace ExtractPortal.Pipeline.Sources;

/// <summary>
/// A PostgreSQL ODS (Aurora-compatible schema). Reads in one read-only, repeatable-read transaction
/// (a consistent snapshot of all tables) with binary COPY; the loans query carries the window
/// predicate so PostgreSQL returns only the window's loans.
/// </summary>
public sealed class PostgresOdsSource : IOdsSource
{
    private readonly string _connectionString;
    private readonly NpgsqlConnectionStringBuilder _settings;

    public PostgresOdsSource(string connectionString)
    {
        try
        {
            _settings = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new Engine.ExtractException(Engine.ExtractErrorKind.InvalidRequest, $"the --source connection string is not valid: {e.Message}");
        }
        // The ODS is never written to; an application name makes our sessions easy to find in pg_stat_activity.
        _settings.ApplicationName ??= "ExtractPortal";
        if (_settings.Timeout == 15) _settings.Timeout = 10;
        _connectionString = _settings.ConnectionString;
    }

    public string Description => $"PostgreSQL {_settings.Host}:{_settings.Port}/{_settings.Database}";

    public async Task CheckAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() " +
            "AND table_name IN ('bank','branch','client','account','loans')", connection);
        var found = (long)(await command.ExecuteScalarAsync(ct))!;
        if (found != 5)
            throw new Engine.ExtractException(Engine.ExtractErrorKind.SourceInvalid,
                $"{Description} lacks ODS tables: found {found} of bank, branch, client, account, loans");
    }

    public async Task<SourceLoadStats> LoadAsync(DuckDBConnection target, DateOnly windowStart, DateOnly windowEnd, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
            await readOnly.ExecuteNonQueryAsync(ct);

        var rows = new Dictionary<string, long>();
        foreach (var table in OdsTables.All)
        {
            var where = table == OdsTables.Loans ? $" WHERE {OdsTables.LoansWindowPredicate(windowStart, windowEnd)}" : "";
            rows[table.Name] = await CopyTableAsync(connection, target, table, where, ct);
        }
        await transaction.CommitAsync(ct);
        return new SourceLoadStats(rows);
    }

    private async Task<long> CopyTableAsync(NpgsqlConnection connection, DuckDBConnection target, OdsTable table, string where, CancellationToken ct)
    {
        var sql = $"COPY (SELECT {table.ColumnList} FROM {table.Name}{where}) TO STDOUT (FORMAT BINARY)";
        using (var create = target.CreateCommand())
        {
            create.CommandText = OdsTables.DuckDbCreate(table);
            create.ExecuteNonQuery();
        }
        try
        {
            await using var exporter = await connection.BeginBinaryExportAsync(sql, ct);
            using var appender = target.CreateAppender(table.Name);
            long count = 0;
            while (await exporter.StartRowAsync(ct) != -1)
            {
                var row = appender.CreateRow();
                foreach (var column in table.Columns)
                {
                    if (exporter.IsNull)
                    {
                        await exporter.SkipAsync(ct);
                        row.AppendNullValue();
                        continue;
                    }
                    switch (column.Type)
                    {
                        case OdsType.Integer: row.AppendValue(await exporter.ReadAsync<int>(ct)); break;
                        case OdsType.Text: row.AppendValue(await exporter.ReadAsync<string>(ct)); break;
                        case OdsType.Date: row.AppendValue(await exporter.ReadAsync<DateOnly>(NpgsqlTypes.NpgsqlDbType.Date, ct)); break;
                    }
                }
                row.EndRow();
                count++;
            }
            return count;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn)
        {
            throw new Engine.ExtractException(Engine.ExtractErrorKind.SourceInvalid,
                $"{Description} does not have the ODS table {table.Name} as ods-schema.sql defines it: {e.MessageText}", e);
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException && !ct.IsCancellationRequested)
        {
            await connection.DisposeAsync();
            var reason = e is PostgresException pg ? pg.MessageText : (e.InnerException ?? e).Message;
            throw new Engine.ExtractException(Engine.ExtractErrorKind.SourceUnreachable,
                $"cannot connect to the ODS at {_settings.Host}:{_settings.Port} database '{_settings.Database}' as '{_settings.Username}': {reason}", e);
        }
    }
}
