using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ExtractPortal.Pipeline.Rendering;

/// <summary>What was written for one file: its size, checksum, row count and control totals.</summary>
public sealed record RenderedFile(long Rows, long Bytes, string Sha256, ControlTotals ControlTotals);

/// <summary>
/// Renders extract files exactly as extract-spec.md says: UTF-8 without BOM, "\n" line ends, a
/// header, quoting only where needed, integers plainly, averages with two decimals.
/// </summary>
public static class ExtractCsv
{
    public static readonly string[] Columns =
    [
        "bank_name", "branch_id", "branch_address", "month", "loan_count", "loan_amount",
        "loan_count_3m", "loan_amount_3m", "moving_avg_loan_amount_3m", "avg_loan_amount_3m",
    ];

    public static readonly string HeaderLine = string.Join(',', Columns) + "\n";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Streams the file to <paramref name="output"/>, hashing as it goes.</summary>
    public static async Task<RenderedFile> WriteAsync(IEnumerable<ExtractRow> rows, Stream output, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long bytes = 0, count = 0;
        var totals = ControlTotals.Zero;

        async Task WriteLine(string line)
        {
            var data = Utf8NoBom.GetBytes(line);
            sha.AppendData(data);
            bytes += data.Length;
            await output.WriteAsync(data, ct);
        }

        await WriteLine(HeaderLine);
        foreach (var row in rows)
        {
            await WriteLine(FormatRow(row));
            count++;
            totals = totals.Add(row);
        }
        await output.FlushAsync(ct);
        return new RenderedFile(count, bytes, Convert.ToHexStringLower(sha.GetHashAndReset()), totals);
    }

    public static string FormatRow(ExtractRow row)
    {
        var line = new StringBuilder(128);
        AppendField(line, row.BankName ?? "").Append(',');
        line.Append(Integer(row.BranchId)).Append(',');
        AppendField(line, row.BranchAddress ?? "").Append(',');
        AppendField(line, row.Month).Append(',');
        line.Append(Integer(row.LoanCount)).Append(',');
        line.Append(Integer(row.LoanAmount)).Append(',');
        line.Append(Integer(row.LoanCount3m)).Append(',');
        line.Append(Integer(row.LoanAmount3m)).Append(',');
        line.Append(TwoDecimals(row.MovingAvgLoanAmount3m)).Append(',');
        if (row.AvgLoanAmount3m is { } average) line.Append(TwoDecimals(average));
        return line.Append('\n').ToString();
    }

    private static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The SQL has already rounded to cents; this only prints them. Decimal zero has no sign in
    /// DuckDB, but a value equal to zero is printed as 0.00 regardless.
    /// </summary>
    public static string TwoDecimals(decimal value) =>
        value == 0m ? "0.00" : value.ToString("0.00", CultureInfo.InvariantCulture);

    private static StringBuilder AppendField(StringBuilder line, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0) return line.Append(value);
        return line.Append('"').Append(value.Replace("\"", "\"\"")).Append('"');
    }
}
