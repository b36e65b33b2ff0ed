namespace ExtractPortal.Pipeline.Rendering;

/// <summary>One row of the branch_moving_average view: one branch of one bank for one month.</summary>
public sealed record ExtractRow(
    string Month,
    int BankId,
    string? BankName,
    int BranchId,
    string? BranchAddress,
    long LoanCount,
    long LoanAmount,
    long LoanCount3m,
    long LoanAmount3m,
    decimal MovingAvgLoanAmount3m,
    decimal? AvgLoanAmount3m);

/// <summary>Column sums of one file, written to the manifest so a consumer can reconcile.</summary>
public sealed record ControlTotals(long LoanCount, long LoanAmount, long LoanCount3m, long LoanAmount3m)
{
    public static readonly ControlTotals Zero = new(0, 0, 0, 0);

    public ControlTotals Add(ExtractRow row) => new(
        LoanCount + row.LoanCount, LoanAmount + row.LoanAmount,
        LoanCount3m + row.LoanCount3m, LoanAmount3m + row.LoanAmount3m);
}
