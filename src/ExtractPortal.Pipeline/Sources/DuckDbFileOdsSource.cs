using DuckDB.NET.Data;

namespace ExtractPortal.Pipeline.Sources;

/// <summary>
/// An ODS kept in a DuckDB database file (the embedded demo ODS, and the benchmark's). Attached
/// read-only; the loans are filtered by the window inside DuckDB, which skips the row groups
/// outside it because the file stores loans in date order.
/// </summary>
public sealed class DuckDbFileOdsSource(string databasePath, string description) : IOdsSource
{
    public string Description => description;

    public string DatabasePath => databasePath;

    public Task CheckAsync(CancellationToken ct)
    {
        if (!File.Exists(databasePath))
            throw new Engine.ExtractException(Engine.ExtractErrorKind.SourceUnreachable, $"{description}: {databasePath} does not exist");
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        Attach(connection);
        Execute(connection, "DETACH ods");
        return Task.CompletedTask;
    }

    public Task<SourceLoadStats> LoadAsync(DuckDBConnection target, DateOnly windowStart, DateOnly windowEnd, CancellationToken ct)
    {
        Attach(target);
        try
        {
            var rows = new Dictionary<string, long>();
            foreach (var table in OdsTables.All)
            {
                ct.ThrowIfCancellationRequested();
                var where = table == OdsTables.Loans ? $" WHERE {OdsTables.LoansWindowPredicate(windowStart, windowEnd)}" : "";
                rows[table.Name] = Execute(target, $"INSERT INTO {table.Name} SELECT {table.ColumnList} FROM ods.{table.Name}{where}");
            }
            return Task.FromResult(new SourceLoadStats(rows));
        }
        finally
        {
            Execute(target, "DETACH ods");
        }
    }

    private void Attach(DuckDBConnection connection)
    {
        try
        {
            Execute(connection, $"ATTACH '{databasePath.Replace("'", "''")}' AS ods (READ_ONLY)");
        }
        catch (DuckDBException e)
        {
            throw new Engine.ExtractException(Engine.ExtractErrorKind.SourceUnreachable, $"{description}: cannot open {databasePath}: {FirstLine(e.Message)}", e);
        }
    }

    private static long Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0];
}
