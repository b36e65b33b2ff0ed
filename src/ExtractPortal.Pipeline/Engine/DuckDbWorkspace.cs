using DuckDB.NET.Data;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Rendering;
using ExtractPortal.Pipeline.Sources;
using ExtractPortal.Pipeline.Sql;
using ExtractPortal.Pipeline.Store;

namespace ExtractPortal.Pipeline.Engine;

/// <summary>What the business logic SQL produced for a set of months.</summary>
public sealed record Computation(IReadOnlyList<ExtractRow> Rows, IReadOnlyDictionary<string, DataQuality> DataQuality);

/// <summary>
/// An in-memory DuckDB database holding the ODS tables a run needs: the engine's equivalent of the
/// Spark session in the Glue job. Load from a source, then run the shared SQL.
/// </summary>
public sealed class DuckDbWorkspace : IDisposable
{
    public DuckDbWorkspace()
    {
        Connection = new DuckDBConnection("DataSource=:memory:");
        Connection.Open();
    }

    public DuckDBConnection Connection { get; }

    public Task<SourceLoadStats> LoadAsync(IOdsSource source, IReadOnlyList<ExtractMonth> months, CancellationToken ct) =>
        source.LoadAsync(Connection, months.Min().WindowStart, months.Max().WindowEnd, ct);

    /// <summary>The loans the SQL classified (every loan read), counted from the materialized view.</summary>
    public long CountClassifiedLoans()
    {
        using var command = Connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM classified_loans";
        return Convert.ToInt64(command.ExecuteScalar());
    }

    /// <summary>Registers the months as data (extract_params), then the SQL's views, and reads the results.</summary>
    public Computation Compute(IReadOnlyList<ExtractMonth> months)
    {
        Execute("DROP TABLE IF EXISTS extract_params");
        Execute("CREATE TEMP TABLE extract_params (month VARCHAR, month_start DATE, window_start DATE, window_end DATE)");
        using (var appender = Connection.CreateAppender("extract_params"))
        {
            foreach (var month in months)
                appender.CreateRow().AppendValue(month.ToString()).AppendValue(month.FirstDay)
                    .AppendValue(month.WindowStart).AppendValue(month.WindowEnd).EndRow();
        }
        // Intermediate views are read by both result views: materialize them once (Spark caches them).
        foreach (var view in BusinessLogicSql.Views)
            Execute(BusinessLogicSql.ResultViews.Contains(view.Name)
                ? $"CREATE OR REPLACE TEMP VIEW {view.Name} AS {view.Body}"
                : $"CREATE OR REPLACE TEMP TABLE {view.Name} AS {view.Body}");
        return new Computation(ReadRows(), ReadDataQuality());
    }

    public List<(int BankId, string? Name)> ReadBanks()
    {
        using var command = Connection.CreateCommand();
        command.CommandText = "SELECT idbank, name FROM bank ORDER BY idbank";
        using var reader = command.ExecuteReader();
        var banks = new List<(int, string?)>();
        while (reader.Read()) banks.Add((reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        return banks;
    }

    private List<ExtractRow> ReadRows()
    {
        using var command = Connection.CreateCommand();
        command.CommandText = BusinessLogicSql.ResultQuery;
        using var reader = command.ExecuteReader();
        var rows = new List<ExtractRow>();
        int Col(string name) => reader.GetOrdinal(name);
        while (reader.Read())
        {
            var avg = Col("avg_loan_amount_3m");
            rows.Add(new ExtractRow(
                reader.GetString(Col("month")),
                reader.GetInt32(Col("bank_id")),
                reader.IsDBNull(Col("bank_name")) ? null : reader.GetString(Col("bank_name")),
                reader.GetInt32(Col("branch_id")),
                reader.IsDBNull(Col("branch_address")) ? null : reader.GetString(Col("branch_address")),
                reader.GetInt64(Col("loan_count")),
                reader.GetInt64(Col("loan_amount")),
                reader.GetInt64(Col("loan_count_3m")),
                reader.GetInt64(Col("loan_amount_3m")),
                reader.GetDecimal(Col("moving_avg_loan_amount_3m")),
                reader.IsDBNull(avg) ? null : reader.GetDecimal(avg)));
        }
        return rows;
    }

    private Dictionary<string, DataQuality> ReadDataQuality()
    {
        using var command = Connection.CreateCommand();
        command.CommandText = BusinessLogicSql.DataQualityQuery;
        using var reader = command.ExecuteReader();
        var result = new Dictionary<string, DataQuality>();
        long L(string name) => reader.IsDBNull(reader.GetOrdinal(name)) ? 0 : reader.GetInt64(reader.GetOrdinal(name));
        while (reader.Read())
        {
            result[reader.GetString(reader.GetOrdinal("month"))] = new DataQuality
            {
                LoansRead = L("loans_read"),
                LoansUsed = L("loans_used"),
                Excluded = new ExcludedLoans
                {
                    NullAmount = L("null_amount"),
                    NullLoanDate = L("null_loan_date"),
                    OrphanAccount = L("orphan_account"),
                    OrphanClient = L("orphan_client"),
                    OrphanBranch = L("orphan_branch"),
                    OrphanBank = L("orphan_bank"),
                },
            };
        }
        return result;
    }

    private void Execute(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose() => Connection.Dispose();
}
