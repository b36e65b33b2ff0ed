using System.Security.Cryptography;
using System.Text;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Rendering;
using ExtractPortal.Pipeline.Store;

namespace ExtractPortal.Tests.Support;

/// <summary>Writes published extracts and manifests straight into a store folder (no engine run).</summary>
public static class StoreSeeder
{
    public const string Header = "bank_name,branch_id,branch_address,month,loan_count,loan_amount,loan_count_3m,loan_amount_3m,moving_avg_loan_amount_3m,avg_loan_amount_3m\n";

    public static string Csv(string bankName, string month, int branches) =>
        Header + string.Concat(Enumerable.Range(1, branches).Select(b =>
            $"{bankName},{b},\"{b} Main Road, Town\",{month},{b},{b * 100},{b * 3},{b * 300},{b * 100}.00,100.00\n"));

    public static ExtractManifest Publish(string storeRoot, string month, string runId, params (string BankName, string Csv)[] banks)
    {
        var m = ExtractMonth.Parse(month);
        var files = new List<ManifestFile>();
        var id = 1;
        foreach (var (bankName, csv) in banks)
        {
            var token = ExtractKeys.Token(bankName);
            var key = ExtractKeys.FileKey(token, m);
            var bytes = Encoding.UTF8.GetBytes(csv);
            var path = Path.Combine(storeRoot, key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
            files.Add(new ManifestFile
            {
                BankId = id++, BankName = bankName, Token = token, Key = key, Rows = csv.Count(c => c == '\n') - 1, Bytes = bytes.Length,
                Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
                ControlTotals = new ManifestControlTotals { LoanCount = 3, LoanAmount = 300, LoanCount3m = 9, LoanAmount3m = 900 },
            });
        }
        var manifest = new ExtractManifest
        {
            RunId = runId, Engine = "duckdb-local", Month = month, WindowStart = m.WindowStart.ToString("yyyy-MM-dd"), WindowEnd = m.WindowEnd.ToString("yyyy-MM-dd"),
            TriggeredBy = "olivia.operator", Reason = "seeded", StartedAt = DateTimeOffset.Parse("2026-11-01T08:00:00Z"), PublishedAt = DateTimeOffset.Parse("2026-11-01T08:00:05Z"),
            Files = files.OrderBy(f => f.Key, StringComparer.Ordinal).ToList(),
            DataQuality = new DataQuality { LoansRead = 10, LoansUsed = 8, Excluded = new ExcludedLoans { NullAmount = 1, OrphanBank = 1 } },
        };
        foreach (var key in new[] { ExtractKeys.ManifestKey(m), ExtractKeys.RunManifestKey(m, runId) })
        {
            var path = Path.Combine(storeRoot, key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, manifest.ToJsonBytes());
        }
        return manifest;
    }
}
