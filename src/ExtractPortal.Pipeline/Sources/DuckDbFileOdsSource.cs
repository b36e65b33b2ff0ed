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
        return Task.CompletedTask;
    }

    /// <summary>
    /// Exposes the ODS tables as views over the attached file instead of copying them: the window
    /// predicate sits in the loans view, so DuckDB reads only the window's storage blocks, once,
    /// when the engine materializes the first intermediate view. The file stays attached for the
    /// life of <paramref name="target"/>.
    /// </summary>
    public Task<SourceLoadStats> LoadAsync(DuckDBConnection target, DateOnly windowStart, DateOnly windowEnd, CancellationToken ct)
    {
        Attach(target);
        var rows = new Dictionary<string, long>();
        foreach (var table in OdsTables.Dimensions)
        {
            ct.ThrowIfCancellationRequested();
            Execute(target, $"CREATE VIEW {table.Name} AS SELECT {table.ColumnList} FROM ods.{table.Name}");
            rows[table.Name] = Count(target, table.Name);
        }
        // Two selects rather than one "(window) OR loan_date IS NULL" filter: each alone lets DuckDB
        // skip the storage blocks outside it (min/max and null statistics).
        var loans = OdsTables.Loans.ColumnList;
        Execute(target,
            $"CREATE VIEW loans AS SELECT {loans} FROM ods.loans WHERE loan_date >= DATE '{windowStart:yyyy-MM-dd}' AND loan_date < DATE '{windowEnd:yyyy-MM-dd}' " +
            $"UNION ALL SELECT {loans} FROM ods.loans WHERE loan_date IS NULL");
        // No count of the loans here: that would read the window once more. The engine counts
        // them from the materialized classified_loans (SourceLoadStats.Deferred).
        return Task.FromResult(new SourceLoadStats(rows));
    }

    private static long Count(DuckDBConnection connection, string relation)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {relation}";
        return Convert.ToInt64(command.ExecuteScalar());
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
