using Microsoft.Data.Sqlite;

namespace ExtractPortal.Local;

/// <summary>
/// The portal's embedded database (<c>&lt;DataFolder&gt;/portal.db</c>): run history, month claims,
/// backfills and the audit trail. WAL mode; a connection per operation; writers wait for each other
/// (busy timeout) rather than fail.
/// </summary>
public sealed class PortalDatabase
{
    public const string FileName = "portal.db";
    private readonly string _connectionString;
    private int _initialized;

    public PortalDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
    }

    public string Path { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        if (Interlocked.Exchange(ref _initialized, 1) == 0) Migrate(connection);
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    private static void Migrate(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS runs (
                run_id TEXT PRIMARY KEY,
                months TEXT NOT NULL,
                first_month TEXT NOT NULL,
                state TEXT NOT NULL,
                stage TEXT,
                stage_detail TEXT,
                months_published INTEGER NOT NULL DEFAULT 0,
                months_total INTEGER NOT NULL,
                triggered_by TEXT NOT NULL,
                reason TEXT NOT NULL,
                backfill_id TEXT,
                created_at INTEGER NOT NULL,
                started_at INTEGER,
                finished_at INTEGER,
                error TEXT,
                cancel_requested_by TEXT,
                engine TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_runs_created ON runs (created_at);
            CREATE INDEX IF NOT EXISTS ix_runs_state ON runs (state, created_at);
            CREATE INDEX IF NOT EXISTS ix_runs_finished ON runs (finished_at);
            -- The idempotency guarantee: at most one active claim per month, enforced by the database.
            CREATE TABLE IF NOT EXISTS run_months (
                run_id TEXT NOT NULL REFERENCES runs (run_id),
                month TEXT NOT NULL,
                active INTEGER NOT NULL,
                PRIMARY KEY (run_id, month));
            CREATE UNIQUE INDEX IF NOT EXISTS ux_run_months_one_active ON run_months (month) WHERE active = 1;
            CREATE INDEX IF NOT EXISTS ix_run_months_month ON run_months (month, run_id);
            CREATE TABLE IF NOT EXISTS backfills (
                backfill_id TEXT PRIMARY KEY,
                created_at INTEGER NOT NULL,
                triggered_by TEXT NOT NULL,
                reason TEXT NOT NULL,
                mode TEXT NOT NULL,
                from_month TEXT NOT NULL,
                to_month TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS backfill_months (
                backfill_id TEXT NOT NULL REFERENCES backfills (backfill_id),
                month TEXT NOT NULL,
                run_id TEXT NOT NULL,
                PRIMARY KEY (backfill_id, month));
            CREATE TABLE IF NOT EXISTS audit (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at INTEGER NOT NULL,
                user TEXT NOT NULL,
                role TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT,
                run_id TEXT,
                reason TEXT,
                detail TEXT);
            CREATE INDEX IF NOT EXISTS ix_audit_at ON audit (at);
            """;
        command.ExecuteNonQuery();
    }

    public static long ToDb(DateTimeOffset value) => value.ToUnixTimeMilliseconds();
    public static DateTimeOffset FromDb(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    public static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
