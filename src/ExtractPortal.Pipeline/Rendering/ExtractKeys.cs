using System.Globalization;
using System.Text;
using ExtractPortal.Pipeline.Engine;
using ExtractPortal.Pipeline.Months;

namespace ExtractPortal.Pipeline.Rendering;

/// <summary>A bank as it appears in the extract store: its ODS identity and its file token.</summary>
public sealed record BankFile(int BankId, string? BankName, string Token);

/// <summary>Bank tokens and extract keys, exactly as extract-spec.md names them.</summary>
public static class ExtractKeys
{
    public const string ManifestsFolder = "_manifests";
    public const string StagingFolder = "_staging";

    /// <summary>The bank's name with every character outside A-Z a-z 0-9 removed.</summary>
    public static string Token(string? bankName)
    {
        if (bankName is null) return "";
        var token = new StringBuilder(bankName.Length);
        foreach (var c in bankName)
            if (c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9') token.Append(c);
        return token.ToString();
    }

    /// <summary><c>bank_name=Token/year=YYYY/month=MM/Token_YYYYMMDD.csv</c>, dated the last day of the month.</summary>
    public static string FileKey(string token, ExtractMonth month) =>
        $"{PartitionPrefix(token, month)}{token}_{month.LastDay.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.csv";

    public static string PartitionPrefix(string token, ExtractMonth month) =>
        $"bank_name={token}/year={month.Year:D4}/month={month.Month:D2}/";

    public static string ManifestKey(ExtractMonth month) =>
        $"{ManifestsFolder}/year={month.Year:D4}/month={month.Month:D2}/manifest.json";

    public static string RunManifestKey(ExtractMonth month, string runId) =>
        $"{ManifestsFolder}/year={month.Year:D4}/month={month.Month:D2}/runs/{runId}.json";

    /// <summary>
    /// Gives every bank its token; an empty token or two banks sharing one fail the whole run before
    /// anything is published, naming the banks concerned.
    /// </summary>
    public static IReadOnlyList<BankFile> AssignTokens(IEnumerable<(int BankId, string? Name)> banks)
    {
        var files = banks.OrderBy(b => b.BankId).Select(b => new BankFile(b.BankId, b.Name, Token(b.Name))).ToList();
        var empty = files.Where(f => f.Token.Length == 0).ToList();
        if (empty.Count > 0)
            throw new ExtractException(ExtractErrorKind.TokenConflict,
                "bank name gives an empty file token: " + string.Join(", ", empty.Select(Describe)));
        var clashes = files.GroupBy(f => f.Token, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
        if (clashes.Count > 0)
            throw new ExtractException(ExtractErrorKind.TokenConflict,
                "banks share a file token: " + string.Join("; ", clashes.Select(g =>
                    $"{string.Join(" and ", g.Select(Describe))} -> {g.Key}")));
        return files;
    }

    private static string Describe(BankFile bank) =>
        bank.BankName is null ? $"bank {bank.BankId} (no name)" : $"'{bank.BankName}' (bank {bank.BankId})";
}
