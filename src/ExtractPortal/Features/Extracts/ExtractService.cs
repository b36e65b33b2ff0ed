using System.Globalization;
using System.Security.Claims;
using ExtractPortal.Features.Access;
using ExtractPortal.Features.Audit;
using ExtractPortal.Features.Runs;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Rendering;

namespace ExtractPortal.Features.Extracts;

/// <summary>The extracts matrix, extract view, trend chart and downloads, with role checks and auditing.</summary>
public sealed class ExtractService(IExtractStoreReader reader, IRunStore runs, AuditService audit, TimeProvider clock)
{
    public const int PreviewRows = 50;
    public const long PreviewMaxBytes = 1024 * 1024;
    public const int MatrixMinMonths = 12;
    public const long TrendMaxFileBytes = 8 * 1024 * 1024;

    public async Task<ExtractMatrix> GetMatrixAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        Access.Access.DemandView(user);
        var partitions = await reader.ListPartitionsAsync(ct);
        var manifests = await reader.ListManifestsAsync(ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var last = ExtractMonth.PreviousOf(today);
        var months = new SortedSet<ExtractMonth>(ExtractMonth.Range(last.AddMonths(-(MatrixMinMonths - 1)), last));
        foreach (var p in partitions) months.Add(p.Month);
        foreach (var m in manifests) if (ExtractMonth.TryParse(m.Month, out var month, out _)) months.Add(month);
        var summaries = await runs.MonthSummariesAsync(months.Select(m => m.ToString()).ToList(), ct);

        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var manifest in manifests.OrderBy(m => m.Month, StringComparer.Ordinal))
        foreach (var file in manifest.Files) names[file.Token] = file.BankName;
        foreach (var p in partitions) names.TryAdd(p.Token, null);
        var banks = names.OrderBy(kv => kv.Value ?? kv.Key, StringComparer.OrdinalIgnoreCase).Select(kv => new BankInfo(kv.Key, kv.Value)).ToList();

        var files = partitions.ToDictionary(p => (p.Token, p.Month));
        var cells = new Dictionary<(string, ExtractMonth), MatrixCell>();
        foreach (var bank in banks)
        foreach (var month in months)
        {
            summaries.TryGetValue(month.ToString(), out var summary);
            files.TryGetValue((bank.Token, month), out var file);
            var latestFailed = summary?.Latest is { State: RunState.Failed or RunState.Cancelled };
            var status = summary?.Active is not null ? PartitionStatus.Running
                : file is not null ? PartitionStatus.Published
                : latestFailed ? PartitionStatus.Failed
                : PartitionStatus.Missing;
            var runId = summary?.Active?.RunId ?? (file is not null ? manifests.FirstOrDefault(m => m.Month == month.ToString())?.RunId : summary?.Latest?.RunId);
            cells[(bank.Token, month)] = new MatrixCell(bank.Token, month, status, file?.Bytes, runId, file is not null && latestFailed);
        }
        return new ExtractMatrix(banks, months.Reverse().ToList(), cells);
    }

    public async Task<ExtractDetail?> GetExtractAsync(ClaimsPrincipal user, string token, string monthText, CancellationToken ct = default)
    {
        Access.Access.DemandView(user);
        if (!ExtractUrls.IsToken(token) || !ExtractMonth.TryParse(monthText, out var month, out _)) return null;
        var key = ExtractKeys.FileKey(token, month);
        var manifest = await reader.GetManifestAsync(month, ct);
        var file = manifest?.Files.FirstOrDefault(f => f.Key == key);
        var summary = (await runs.MonthSummariesAsync([month.ToString()], ct)).GetValueOrDefault(month.ToString());
        await using var stream = await reader.OpenHeadAsync(key, PreviewMaxBytes, ct);
        if (stream is null && file is null && summary is null) return null;
        HeadPreview? preview = null;
        long bytes = 0;
        if (stream is not null)
        {
            bytes = stream.CanSeek ? stream.Length : file?.Bytes ?? 0;
            preview = await CsvHead.ReadAsync(stream, PreviewRows, PreviewMaxBytes, ct);
        }
        var status = summary?.Active is not null ? PartitionStatus.Running
            : stream is not null ? PartitionStatus.Published
            : summary?.Latest is { State: RunState.Failed or RunState.Cancelled } ? PartitionStatus.Failed : PartitionStatus.Missing;
        return new ExtractDetail(token, file?.BankName, month, key, stream is not null, bytes, file, manifest, preview, status);
    }

    /// <summary>The bank's per-branch moving average for the months up to <paramref name="monthText"/>.</summary>
    public async Task<ExtractTrend> GetTrendAsync(ClaimsPrincipal user, string token, string monthText, int months = 6, int maxBranches = 8, CancellationToken ct = default)
    {
        Access.Access.DemandView(user);
        if (!ExtractUrls.IsToken(token) || !ExtractMonth.TryParse(monthText, out var end, out _)) return new ExtractTrend([], [], "unknown extract");
        var range = ExtractMonth.Range(end.AddMonths(-(months - 1)), end);
        var perBranch = new SortedDictionary<int, (string Label, double?[] Values)>();
        string? note = null;
        for (var i = 0; i < range.Count; i++)
        {
            var key = ExtractKeys.FileKey(token, range[i]);
            await using var stream = await reader.OpenReadAsync(key, ct);
            if (stream is null) continue;
            if (stream.CanSeek && stream.Length > TrendMaxFileBytes) { note = $"files over {TrendMaxFileBytes / 1024 / 1024} MB are not charted"; continue; }
            var head = await CsvHead.ReadAsync(stream, 100_000, TrendMaxFileBytes, ct);
            var idColumn = IndexOf(head.Columns, "branch_id");
            var addressColumn = IndexOf(head.Columns, "branch_address");
            var valueColumn = IndexOf(head.Columns, "moving_avg_loan_amount_3m");
            if (idColumn < 0 || valueColumn < 0) continue;
            foreach (var row in head.Rows)
            {
                if (!int.TryParse(row[idColumn], NumberStyles.Integer, CultureInfo.InvariantCulture, out var branch)) continue;
                if (!double.TryParse(row[valueColumn], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) continue;
                if (!perBranch.TryGetValue(branch, out var series))
                {
                    var address = addressColumn >= 0 && addressColumn < row.Count ? row[addressColumn] : "";
                    series = ($"Branch {branch}" + (address.Length > 0 ? $" ({Shorten(address)})" : ""), new double?[range.Count]);
                    perBranch[branch] = series;
                }
                series.Values[i] = value;
            }
        }
        var chosen = perBranch.OrderByDescending(kv => kv.Value.Values.LastOrDefault(v => v.HasValue) ?? 0).Take(maxBranches)
            .OrderBy(kv => kv.Key).Select(kv => new BranchTrend(kv.Key, kv.Value.Label, kv.Value.Values)).ToList();
        if (perBranch.Count > maxBranches) note = $"the {maxBranches} branches with the highest latest moving average of {perBranch.Count}" + (note is null ? "" : "; " + note);
        return new ExtractTrend(range, chosen, note);
    }

    /// <summary>Opens the exact published file for an auditor and records the download.</summary>
    public async Task<ExtractDownload?> OpenDownloadAsync(ClaimsPrincipal user, string token, string monthText, CancellationToken ct = default)
    {
        Access.Access.DemandDownload(user);
        if (!ExtractUrls.IsToken(token) || !ExtractMonth.TryParse(monthText, out var month, out _)) return null;
        var key = ExtractKeys.FileKey(token, month);
        var stream = await reader.OpenReadAsync(key, ct);
        if (stream is null) return null;
        var manifest = await reader.GetManifestAsync(month, ct);
        var file = manifest?.Files.FirstOrDefault(f => f.Key == key);
        long? length = stream.CanSeek ? stream.Length : file?.Bytes;
        await audit.RecordAsync(user, AuditActions.ExtractDownloaded, key, manifest?.RunId, null,
            $"{length} bytes, sha256 {file?.Sha256 ?? "unknown"}", ct);
        return new ExtractDownload(stream, key[(key.LastIndexOf('/') + 1)..], length, file?.Sha256);
    }

    /// <summary>The manifests a run wrote (one per month it published).</summary>
    public async Task<IReadOnlyList<Pipeline.Store.ExtractManifest>> GetRunManifestsAsync(ClaimsPrincipal user, RunRecord run, CancellationToken ct = default)
    {
        Access.Access.DemandView(user);
        var manifests = new List<Pipeline.Store.ExtractManifest>();
        foreach (var monthText in run.Months)
            if (ExtractMonth.TryParse(monthText, out var month, out _) && await reader.GetRunManifestAsync(month, run.ManifestRunId, ct) is { } manifest)
                manifests.Add(manifest);
        return manifests;
    }

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (var i = 0; i < columns.Count; i++) if (columns[i] == name) return i;
        return -1;
    }

    private static string Shorten(string text) => text.Length <= 24 ? text : text[..23] + "…";
}
