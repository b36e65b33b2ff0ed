using DuckDB.NET.Data;
using Npgsql;
using NpgsqlTypes;

namespace ExtractPortal.Pipeline.Sources;

/// <summary>
/// Bulk loading of ODS rows (values in column order; null is SQL NULL; dates as DateOnly):
/// into DuckDB with the Appender, into PostgreSQL with binary COPY. Used by the demo ODS
/// generator, the PostgreSQL source, the golden-vector tests and the benchmark.
/// </summary>
public static class OdsWriters
{
    public static void AppendToDuckDb(DuckDBConnection connection, OdsTable table, IEnumerable<object?[]> rows, CancellationToken ct)
    {
        using var appender = connection.CreateAppender(table.Name);
        var n = 0;
        foreach (var values in rows)
        {
            if ((++n & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
            var row = appender.CreateRow();
            for (var i = 0; i < table.Columns.Count; i++)
            {
                switch (values[i])
                {
                    case null: row.AppendNullValue(); break;
                    case int v: row.AppendValue(v); break;
                    case string v: row.AppendValue(v); break;
                    case DateOnly v: row.AppendValue(v); break;
                    default: throw new ArgumentException($"{table.Name}.{table.Columns[i].Name}: unsupported value {values[i]!.GetType().Name}");
                }
            }
            row.EndRow();
        }
    }

    public static async Task<ulong> CopyToPostgresAsync(NpgsqlConnection connection, OdsTable table, IEnumerable<object?[]> rows, CancellationToken ct)
    {
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {table.Name} ({table.ColumnList}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var values in rows)
        {
            await importer.StartRowAsync(ct);
            for (var i = 0; i < table.Columns.Count; i++)
            {
                if (values[i] is null) await importer.WriteNullAsync(ct);
                else await importer.WriteAsync(values[i]!, NpgsqlType(table.Columns[i].Type), ct);
            }
        }
        return await importer.CompleteAsync(ct);
    }

    internal static NpgsqlDbType NpgsqlType(OdsType type) => type switch
    {
        OdsType.Integer => NpgsqlDbType.Integer,
        OdsType.Text => NpgsqlDbType.Varchar,
        OdsType.Date => NpgsqlDbType.Date,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
