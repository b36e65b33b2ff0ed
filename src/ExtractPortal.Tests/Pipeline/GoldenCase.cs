using System.Text.Json;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Sources;
using Npgsql;

namespace ExtractPortal.Tests.Pipeline;

/// <summary>
/// One golden vector of testdata/golden (docs/extract-store.md): ODS rows, months, and the expected
/// SQL rows, data-quality rows and extract files. Shared with the Glue job's pytest suite.
/// </summary>
public sealed class GoldenCase
{
    public static readonly string Root = FindRoot();

    private GoldenCase(string name)
    {
        Name = name;
        Folder = Path.Combine(Root, name);
        var definition = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "case.json")))!;
        Months = definition["months"]!.AsArray().Select(m => ExtractMonth.Parse(m!.GetValue<string>())).ToList();
        ErrorMessageParts = definition["error"] is JsonObject error
            ? error["message_contains"]!.AsArray().Select(p => p!.GetValue<string>()).ToList()
            : null;
        Ods = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "ods.json")))!.AsObject();
    }

    public string Name { get; }
    public string Folder { get; }
    public IReadOnlyList<ExtractMonth> Months { get; }
    /// <summary>For a case that must fail: words its error message must contain.</summary>
    public IReadOnlyList<string>? ErrorMessageParts { get; }
    private JsonObject Ods { get; }

    public static IEnumerable<string> Names =>
        Directory.EnumerateDirectories(Root).Where(d => File.Exists(Path.Combine(d, "case.json")))
            .Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static GoldenCase Load(string name) => new(name);

    public string ExpectedFilesFolder => Path.Combine(Folder, "expected", "files");

    public JsonArray ExpectedRows => JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "expected", "rows.json")))!.AsArray();
    public JsonArray ExpectedDataQuality => JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "expected", "data_quality.json")))!.AsArray();

    /// <summary>The rows of one ODS table as values in column order (dates as DateOnly, null as NULL).</summary>
    public IEnumerable<object?[]> Rows(OdsTable table) =>
        (Ods[table.Name]?.AsArray() ?? []).Select(r => table.Columns.Select(c => Value(r![c.Name], c.Type)).ToArray());

    private static object? Value(JsonNode? node, OdsType type) => node is null ? null : type switch
    {
        OdsType.Integer => node.GetValue<int>(),
        OdsType.Text => node.GetValue<string>(),
        OdsType.Date => DateOnly.ParseExact(node.GetValue<string>(), "yyyy-MM-dd"),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Writes the case's ODS into a DuckDB database file: the engine's embedded-ODS path.</summary>
    public string WriteDuckDbOds(string folder)
    {
        var path = Path.Combine(folder, $"{Name}-ods.duckdb");
        using var connection = new DuckDBConnection($"DataSource={path}");
        connection.Open();
        foreach (var table in OdsTables.All)
        {
            using (var create = connection.CreateCommand())
            {
                create.CommandText = OdsTables.DuckDbCreate(table);
                create.ExecuteNonQuery();
            }
            OdsWriters.AppendToDuckDb(connection, table, Rows(table), CancellationToken.None);
        }
        return path;
    }

    /// <summary>Creates the ODS tables (with primary keys, as ods-schema.sql) in PostgreSQL and copies the rows in.</summary>
    public async Task WritePostgresOdsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var table in OdsTables.All)
        {
            await using (var create = new NpgsqlCommand(OdsTables.PostgresCreate(table), connection))
                await create.ExecuteNonQueryAsync();
            await OdsWriters.CopyToPostgresAsync(connection, table, Rows(table), CancellationToken.None);
        }
    }

    public override string ToString() => Name;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "testdata", "golden");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("testdata/golden not found above " + AppContext.BaseDirectory);
    }
}
