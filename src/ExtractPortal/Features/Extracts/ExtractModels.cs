using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Store;

namespace ExtractPortal.Features.Extracts;

public enum PartitionStatus { Published, Missing, Failed, Running }

public sealed record BankInfo(string Token, string? Name);

public sealed record MatrixCell(string Token, ExtractMonth Month, PartitionStatus Status, long? Bytes, string? RunId, bool LastRunFailed);

/// <summary>Bank x month: each partition's status. Months newest first.</summary>
public sealed record ExtractMatrix(IReadOnlyList<BankInfo> Banks, IReadOnlyList<ExtractMonth> Months, IReadOnlyDictionary<(string Token, ExtractMonth Month), MatrixCell> Cells)
{
    public MatrixCell Cell(string token, ExtractMonth month) =>
        Cells.TryGetValue((token, month), out var cell) ? cell : new MatrixCell(token, month, PartitionStatus.Missing, null, null, false);
}

/// <summary>What the extract view shows about one published file.</summary>
public sealed record ExtractDetail(
    string Token, string? BankName, ExtractMonth Month, string Key, bool Exists, long Bytes,
    ManifestFile? File, ExtractManifest? Manifest, HeadPreview? Preview, PartitionStatus Status)
{
    public string FileName => Key[(Key.LastIndexOf('/') + 1)..];
    public string DownloadUrl => ExtractUrls.Download(Token, Month);
}

/// <summary>One branch's moving average across recent months (null: no file that month).</summary>
public sealed record BranchTrend(int BranchId, string Label, IReadOnlyList<double?> Values);

public sealed record ExtractTrend(IReadOnlyList<ExtractMonth> Months, IReadOnlyList<BranchTrend> Branches, string? Note);

/// <summary>An open download: the exact published bytes, with what the response headers need.</summary>
public sealed record ExtractDownload(Stream Content, string FileName, long? Length, string? Sha256) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}

public static class ExtractUrls
{
    public static string View(string token, ExtractMonth month) => $"/extracts/{token}/{month}";
    public static string Download(string token, ExtractMonth month) => $"/extracts/{token}/{month}/download";

    /// <summary>Bank tokens are A-Z a-z 0-9 only (extract-spec.md): anything else is not a bank.</summary>
    public static bool IsToken(string? token) => !string.IsNullOrEmpty(token) && token.Length <= 200 && token.All(char.IsAsciiLetterOrDigit);
}
