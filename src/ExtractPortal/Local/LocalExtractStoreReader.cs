using ExtractPortal.Features.Extracts;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Rendering;
using ExtractPortal.Pipeline.Store;

namespace ExtractPortal.Local;

/// <summary>Reads the local store folder; every path goes through <see cref="LocalExtractStore.PathOf"/>.</summary>
public sealed class LocalExtractStoreReader(LocalExtractStore store) : IExtractStoreReader
{
    public string Description => $"local folder {store.Root}";

    public Task<IReadOnlyList<PartitionFile>> ListPartitionsAsync(CancellationToken ct)
    {
        var files = new List<PartitionFile>();
        foreach (var bankFolder in Directory.EnumerateDirectories(store.Root, "bank_name=*"))
        {
            var token = Path.GetFileName(bankFolder)["bank_name=".Length..];
            foreach (var yearFolder in Directory.EnumerateDirectories(bankFolder, "year=*"))
            foreach (var monthFolder in Directory.EnumerateDirectories(yearFolder, "month=*"))
            {
                var monthText = $"{Path.GetFileName(yearFolder)[5..]}-{Path.GetFileName(monthFolder)[6..]}";
                if (!ExtractMonth.TryParse(monthText, out var month, out _)) continue;
                var key = ExtractKeys.FileKey(token, month);
                var info = new FileInfo(Path.Combine(store.Root, key));
                if (info.Exists) files.Add(new PartitionFile(token, month, key, info.Length, info.LastWriteTimeUtc));
            }
        }
        return Task.FromResult<IReadOnlyList<PartitionFile>>(files);
    }

    public async Task<IReadOnlyList<ExtractManifest>> ListManifestsAsync(CancellationToken ct)
    {
        var manifests = new List<ExtractManifest>();
        var root = Path.Combine(store.Root, ExtractKeys.ManifestsFolder);
        if (!Directory.Exists(root)) return manifests;
        foreach (var yearFolder in Directory.EnumerateDirectories(root, "year=*"))
        foreach (var monthFolder in Directory.EnumerateDirectories(yearFolder, "month=*"))
        {
            var monthText = $"{Path.GetFileName(yearFolder)[5..]}-{Path.GetFileName(monthFolder)[6..]}";
            if (ExtractMonth.TryParse(monthText, out var month, out _) && await GetManifestAsync(month, ct) is { } manifest)
                manifests.Add(manifest);
        }
        return manifests;
    }

    public Task<ExtractManifest?> GetManifestAsync(ExtractMonth month, CancellationToken ct) => ReadManifestAsync(ExtractKeys.ManifestKey(month), ct);

    public Task<ExtractManifest?> GetRunManifestAsync(ExtractMonth month, string runId, CancellationToken ct) =>
        Features.Runs.RunIds.IsValid(runId) ? ReadManifestAsync(ExtractKeys.RunManifestKey(month, runId), ct) : Task.FromResult<ExtractManifest?>(null);

    private async Task<ExtractManifest?> ReadManifestAsync(string key, CancellationToken ct)
    {
        await using var stream = await OpenReadAsync(key, ct);
        return stream is null ? null : await ExtractManifest.ReadAsync(stream, ct);
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken ct)
    {
        var path = store.PathOf(key);   // throws on traversal: a key is never a path outside the store
        try
        {
            return Task.FromResult<Stream?>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 16384, useAsync: true));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task CheckAsync(CancellationToken ct)
    {
        if (!Directory.Exists(store.Root)) throw new DirectoryNotFoundException($"the extract store {store.Root} does not exist");
        _ = Directory.EnumerateFileSystemEntries(store.Root).FirstOrDefault();
        return Task.CompletedTask;
    }
}
