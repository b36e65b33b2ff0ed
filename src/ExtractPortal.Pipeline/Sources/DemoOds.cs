using DuckDB.NET.Data;
using ExtractPortal.Pipeline.Months;

namespace ExtractPortal.Pipeline.Sources;

/// <summary>
/// The embedded demo ODS, the default source: synthetic data generated on first use into
/// <c>&lt;data folder&gt;/demo-ods.duckdb</c>, covering the 36 months up to the last complete month.
/// Generation writes a temporary file and renames it, so a crash never leaves half a database,
/// and a lock file keeps the portal and the command line from generating it twice.
/// </summary>
public static class DemoOds
{
    public const string FileName = "demo-ods.duckdb";

    public static string PathIn(string dataFolder) => Path.Combine(dataFolder, FileName);

    /// <summary>Returns the demo ODS source, generating its database first when it does not exist yet.</summary>
    public static async Task<DuckDbFileOdsSource> EnsureAsync(string dataFolder, DateOnly today, CancellationToken ct)
    {
        var path = PathIn(dataFolder);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(dataFolder);
            await using var guard = await AcquireLockAsync(path + ".lock", ct);
            if (!File.Exists(path))
            {
                var ods = new SyntheticOds(SyntheticOdsSize.Demo, ExtractMonth.PreviousOf(today));
                var temporary = path + ".tmp";
                File.Delete(temporary);
                await Task.Run(() => Write(temporary, ods, ct), ct);
                File.Move(temporary, path);
            }
        }
        return new DuckDbFileOdsSource(path, "embedded demo ODS");
    }

    /// <summary>Writes a synthetic ODS into a new DuckDB database file (also used by the benchmark).</summary>
    public static void Write(string databasePath, SyntheticOds ods, CancellationToken ct)
    {
        using var connection = new DuckDBConnection($"DataSource={databasePath}");
        connection.Open();
        foreach (var (table, rows) in ods.Tables())
        {
            using (var create = connection.CreateCommand())
            {
                create.CommandText = OdsTables.DuckDbCreate(table);
                create.ExecuteNonQuery();
            }
            OdsWriters.AppendToDuckDb(connection, table, rows, ct);
        }
        using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "CHECKPOINT";
        checkpoint.ExecuteNonQuery();
    }

    private static async Task<FileStream> AcquireLockAsync(string lockPath, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(200, ct);   // another process is generating it: wait for it
            }
        }
    }
}
