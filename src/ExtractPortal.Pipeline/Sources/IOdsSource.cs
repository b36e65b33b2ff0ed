using DuckDB.NET.Data;

namespace ExtractPortal.Pipeline.Sources;

/// <summary>
/// Rows read from the ODS, per table. A source that exposes the loans as a view (read during the
/// computation) leaves "loans" out; the workspace fills it in from the loans the SQL classified.
/// </summary>
public sealed record SourceLoadStats(IReadOnlyDictionary<string, long> RowsPerTable)
{
    public SourceLoadStats With(string table, long rows) =>
        new(new Dictionary<string, long>(RowsPerTable) { [table] = rows });
}

/// <summary>
/// Where the ODS data comes from. A source makes the dimension tables and only the loans of the
/// requested window (and undated loans) available in the engine's DuckDB database as relations
/// named as in ods-schema.sql, pushing the date predicate down to the source: copied tables for
/// PostgreSQL, views over the attached file for a DuckDB ODS.
/// </summary>
public interface IOdsSource
{
    /// <summary>A short description for logs and manifests (never includes credentials).</summary>
    string Description { get; }

    Task<SourceLoadStats> LoadAsync(DuckDBConnection target, DateOnly windowStart, DateOnly windowEnd, CancellationToken ct);

    /// <summary>Checks that the ODS is reachable and has the expected tables (for /readyz and early errors).</summary>
    Task CheckAsync(CancellationToken ct);
}
