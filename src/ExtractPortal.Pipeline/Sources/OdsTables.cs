namespace ExtractPortal.Pipeline.Sources;

/// <summary>A column of an ODS table (ods-schema.sql), with the types of both engines.</summary>
public sealed record OdsColumn(string Name, OdsType Type);

public enum OdsType { Integer, Text, Date }

/// <summary>One ODS table: name and columns in the order of ods-schema.sql.</summary>
public sealed record OdsTable(string Name, IReadOnlyList<OdsColumn> Columns)
{
    public string ColumnList => string.Join(", ", Columns.Select(c => c.Name));
}

/// <summary>
/// The ODS tables the extract reads (worker is not needed), as ods-schema.sql defines them.
/// One place for the DDL of the DuckDB working copy, the demo ODS and the test/benchmark PostgreSQL.
/// </summary>
public static class OdsTables
{
    public static readonly OdsTable Bank = new("bank",
        [new("idbank", OdsType.Integer), new("name", OdsType.Text), new("capitalization", OdsType.Integer)]);
    public static readonly OdsTable Branch = new("branch",
        [new("idbranch", OdsType.Integer), new("bank_idbank", OdsType.Integer), new("address", OdsType.Text)]);
    public static readonly OdsTable Client = new("client",
        [new("idclient", OdsType.Integer), new("name", OdsType.Text), new("surname", OdsType.Text), new("branch_idbranch", OdsType.Integer)]);
    public static readonly OdsTable Account = new("account",
        [new("idaccount", OdsType.Integer), new("balance", OdsType.Integer), new("client_idclient", OdsType.Integer), new("open_date", OdsType.Date)]);
    public static readonly OdsTable Loans = new("loans",
        [new("idloan", OdsType.Integer), new("amount", OdsType.Integer), new("account_idaccount", OdsType.Integer), new("loan_date", OdsType.Date)]);

    /// <summary>Dimension tables: small, read whole.</summary>
    public static readonly IReadOnlyList<OdsTable> Dimensions = [Bank, Branch, Client, Account];

    public static readonly IReadOnlyList<OdsTable> All = [Bank, Branch, Client, Account, Loans];

    /// <summary>The loans the extract needs: the windows' loans, and loans without a date (counted as data quality).</summary>
    public static string LoansWindowPredicate(DateOnly windowStart, DateOnly windowEnd) =>
        $"(loan_date >= DATE '{windowStart:yyyy-MM-dd}' AND loan_date < DATE '{windowEnd:yyyy-MM-dd}') OR loan_date IS NULL";

    public static string DuckDbCreate(OdsTable table) =>
        $"CREATE TABLE {table.Name} ({string.Join(", ", table.Columns.Select(c => $"{c.Name} {DuckDbType(c.Type)}"))})";

    public static string PostgresCreate(OdsTable table)
    {
        var columns = table.Columns.Select((c, i) =>
            $"{c.Name} {PostgresType(c.Type, table)}{(i == 0 ? " PRIMARY KEY" : "")}");
        return $"CREATE TABLE {table.Name} ({string.Join(", ", columns)})";
    }

    private static string DuckDbType(OdsType type) => type switch
    {
        OdsType.Integer => "INTEGER",
        OdsType.Text => "VARCHAR",
        OdsType.Date => "DATE",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static string PostgresType(OdsType type, OdsTable table) => type switch
    {
        OdsType.Integer => "integer",
        OdsType.Date => "date",
        OdsType.Text => table == Bank ? "varchar(100)" : table == Branch ? "varchar(255)" : "varchar(50)",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
