using System.Text.Json.Nodes;
using ExtractPortal.Pipeline.Engine;
using ExtractPortal.Pipeline.Rendering;
using ExtractPortal.Pipeline.Sources;
using ExtractPortal.Pipeline.Store;
using ExtractPortal.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExtractPortal.Tests.Pipeline;

/// <summary>
/// Every golden vector through the whole engine, from both kinds of ODS: the embedded DuckDB path
/// and a real PostgreSQL server. The published files must equal the expected bytes, the SQL rows
/// and the data-quality counts the expected values.
/// </summary>
public sealed class GoldenVectorTests(PostgresServer postgres)
{
    public static TheoryData<string> Cases => new(GoldenCase.Names);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Embedded_duckdb_ods_gives_the_expected_rows_and_bytes(string name)
    {
        var golden = GoldenCase.Load(name);
        using var temp = new TempFolder();
        var source = new DuckDbFileOdsSource(golden.WriteDuckDbOds(temp.Path), "golden " + name);
        await AssertCaseAsync(golden, source, temp);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Postgres_ods_gives_the_expected_rows_and_bytes(string name)
    {
        var golden = GoldenCase.Load(name);
        using var temp = new TempFolder();
        var connectionString = await postgres.CreateDatabaseAsync("golden");
        await golden.WritePostgresOdsAsync(connectionString);
        await AssertCaseAsync(golden, new PostgresOdsSource(connectionString), temp);
    }

    private static async Task AssertCaseAsync(GoldenCase golden, IOdsSource source, TempFolder temp)
    {
        var store = new LocalExtractStore(temp.Sub("store"));
        var engine = new ExtractEngine(source, store, TimeProvider.System, NullLogger<ExtractEngine>.Instance);
        var request = new ExtractRequest(golden.Months, "run-golden", "test", "golden vector");
        var ct = TestContext.Current.CancellationToken;

        if (golden.ErrorMessageParts is { } parts)
        {
            var error = await Assert.ThrowsAsync<ExtractException>(() => engine.RunAsync(request, null, ct));
            Assert.Equal(ExtractErrorKind.TokenConflict, error.Kind);
            foreach (var part in parts) Assert.Contains(part, error.Message);
            Assert.DoesNotContain(TempFolder.Keys(store.Root), k => k.StartsWith("bank_name=") || k.StartsWith(ExtractKeys.ManifestsFolder));
            return;
        }

        // The SQL's own result rows.
        using (var workspace = new DuckDbWorkspace())
        {
            await workspace.LoadAsync(source, golden.Months, ct);
            var computation = workspace.Compute(golden.Months);
            Assert.Equal(golden.ExpectedRows.Select(r => r!.ToJsonString()), computation.Rows.Select(ToJson));
        }

        // The published files, byte for byte, and nothing else under bank_name=.
        var result = await engine.RunAsync(request, null, ct);
        var expectedKeys = TempFolder.Keys(golden.ExpectedFilesFolder);
        var publishedKeys = TempFolder.Keys(store.Root).Where(k => k.StartsWith("bank_name=")).ToList();
        Assert.Equal(expectedKeys, publishedKeys);
        foreach (var key in expectedKeys)
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(golden.ExpectedFilesFolder, key)), await File.ReadAllBytesAsync(store.PathOf(key)));

        // The manifests' data quality equals the expected loan_data_quality rows.
        var expectedQuality = golden.ExpectedDataQuality;
        Assert.Equal(golden.Months.Count, result.Months.Count);
        foreach (var outcome in result.Months)
        {
            var expected = expectedQuality.Single(q => q!["month"]!.GetValue<string>() == outcome.Month.ToString())!;
            var actual = outcome.Manifest.DataQuality;
            Assert.Equal(expected["loans_read"]!.GetValue<long>(), actual.LoansRead);
            Assert.Equal(expected["loans_used"]!.GetValue<long>(), actual.LoansUsed);
            Assert.Equal(expected["null_amount"]!.GetValue<long>(), actual.Excluded.NullAmount);
            Assert.Equal(expected["null_loan_date"]!.GetValue<long>(), actual.Excluded.NullLoanDate);
            Assert.Equal(expected["orphan_account"]!.GetValue<long>(), actual.Excluded.OrphanAccount);
            Assert.Equal(expected["orphan_client"]!.GetValue<long>(), actual.Excluded.OrphanClient);
            Assert.Equal(expected["orphan_branch"]!.GetValue<long>(), actual.Excluded.OrphanBranch);
            Assert.Equal(expected["orphan_bank"]!.GetValue<long>(), actual.Excluded.OrphanBank);
            Assert.True(File.Exists(store.PathOf(ExtractKeys.ManifestKey(outcome.Month))));
        }
    }

    /// <summary>A row in the shape of expected/rows.json (averages as strings with two decimals).</summary>
    private static string ToJson(ExtractRow row) => new JsonObject
    {
        ["month"] = row.Month,
        ["bank_id"] = row.BankId,
        ["bank_name"] = row.BankName,
        ["branch_id"] = row.BranchId,
        ["branch_address"] = row.BranchAddress,
        ["loan_count"] = row.LoanCount,
        ["loan_amount"] = row.LoanAmount,
        ["loan_count_3m"] = row.LoanCount3m,
        ["loan_amount_3m"] = row.LoanAmount3m,
        ["moving_avg_loan_amount_3m"] = Cents(row.MovingAvgLoanAmount3m),
        ["avg_loan_amount_3m"] = row.AvgLoanAmount3m is { } avg ? Cents(avg) : null,
    }.ToJsonString();

    /// <summary>The SQL must already have rounded to cents; printing with two decimals then changes nothing.</summary>
    private static string Cents(decimal value)
    {
        Assert.Equal(Math.Round(value, 2), value);
        return value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
    }
}
