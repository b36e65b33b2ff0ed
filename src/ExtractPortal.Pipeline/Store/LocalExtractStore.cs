using System.Security.Cryptography;
using System.Text.Json;
using ExtractPortal.Pipeline.Engine;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Rendering;

namespace ExtractPortal.Pipeline.Store;

/// <summary>A file of a month written to the staging area, waiting to be published.</summary>
public sealed record StagedFile(string Key, string StagedPath, BankFile Bank, RenderedFile Rendered);

/// <summary>A run's staging folder for one month: <c>_staging/&lt;YYYY-MM&gt;/&lt;run_id&gt;/</c>.</summary>
public sealed class StagedMonth(ExtractMonth month, string runId, string folder)
{
    public ExtractMonth Month => month;
    public string RunId => runId;
    public string Folder => folder;
    public List<StagedFile> Files { get; } = [];

    public string PathFor(string key) => System.IO.Path.Combine(folder, "files", key.Replace('/', System.IO.Path.DirectorySeparatorChar));
}

/// <summary>
/// The local extract store: a folder laid out exactly like the S3 bucket prefix
/// (docs/extract-store.md). Publishing a month is all-or-nothing: files are staged and verified,
/// a commit marker is written, then each file is renamed into place. A run that dies before the
/// marker leaves the month as it was; one that dies after it is rolled forward by the next run of
/// that month (or the portal's start-up sweep). One run per month at a time, across processes.
/// </summary>
public sealed class LocalExtractStore : IExtractStore
{
    private const string CommitMarker = "COMMIT";
    private const string LocksFolder = "locks";

    public LocalExtractStore(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Description => Root;

    /// <summary>Test hook: called after each file is moved into place (to simulate a crash mid-publish).</summary>
    internal Action<string>? AfterFileMoved { get; set; }

    private string StagingRoot => Path.Combine(Root, ExtractKeys.StagingFolder);
    private string MonthStaging(ExtractMonth month) => Path.Combine(StagingRoot, month.ToString());

    /// <summary>Maps a store key to a path inside the store, refusing anything that would leave it.</summary>
    public string PathOf(string key)
    {
        if (string.IsNullOrEmpty(key) || key.StartsWith('/') || key.Contains('\\') || key.Contains('\0')
            || key.Split('/').Any(part => part is "" or "." or ".."))
            throw new ArgumentException($"'{key}' is not a valid store key", nameof(key));
        var path = Path.GetFullPath(Path.Combine(Root, key));
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"'{key}' is outside the store", nameof(key));
        return path;
    }

    /// <summary>
    /// Takes the month's lock (an exclusive OS file lock, released if the process dies), then
    /// finishes or discards whatever an earlier run of the month left in staging.
    /// Returns null when another run, in this or another process, holds the month.
    /// </summary>
    public IDisposable? TryLockMonth(ExtractMonth month)
    {
        var locks = Path.Combine(StagingRoot, LocksFolder);
        Directory.CreateDirectory(locks);
        FileStream handle;
        try
        {
            handle = new FileStream(Path.Combine(locks, $"{month}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
        try
        {
            RecoverMonth(month);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        return handle;
    }

    /// <summary>Rolls forward or discards the staging of every month no run holds (portal start-up).</summary>
    public void RecoverAll()
    {
        if (!Directory.Exists(StagingRoot)) return;
        foreach (var folder in Directory.EnumerateDirectories(StagingRoot))
        {
            if (!ExtractMonth.TryParse(Path.GetFileName(folder), out var month, out _)) continue;
            TryLockMonth(month)?.Dispose();
        }
    }

    public StagedMonth Stage(ExtractMonth month, string runId)
    {
        if (runId.IndexOfAny(['/', '\\', '.']) >= 0 || runId.Length == 0) throw new ArgumentException($"invalid run id '{runId}'", nameof(runId));
        var folder = Path.Combine(MonthStaging(month), runId);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        return new StagedMonth(month, runId, folder);
    }

    /// <summary>True once the month's commit marker exists: from then on the publish completes, now or by recovery.</summary>
    public bool IsCommitted(StagedMonth staged) => File.Exists(Path.Combine(staged.Folder, CommitMarker));

    /// <summary>Removes an uncommitted staging folder (best effort: recovery removes it otherwise).</summary>
    public void Discard(StagedMonth staged)
    {
        try { if (Directory.Exists(staged.Folder)) Directory.Delete(staged.Folder, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>Verifies the staged files, commits, moves them into place and writes the manifests.</summary>
    public async Task<ExtractManifest> PublishAsync(StagedMonth staged, ExtractManifest manifest, CancellationToken ct)
    {
        foreach (var file in staged.Files)
            await VerifyAsync(file, ct);
        ct.ThrowIfCancellationRequested();

        // The point of no return: once the marker exists the month will be published, now or by recovery.
        var marker = Path.Combine(staged.Folder, CommitMarker);
        await File.WriteAllBytesAsync(marker + ".tmp", manifest.ToJsonBytes(), CancellationToken.None);
        File.Move(marker + ".tmp", marker, overwrite: true);
        RollForward(staged.Folder, staged.Month);
        return manifest;
    }

    private static async Task VerifyAsync(StagedFile file, CancellationToken ct)
    {
        await using var stream = new FileStream(file.StagedPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
        if (stream.Length != file.Rendered.Bytes || hash != file.Rendered.Sha256)
            throw new ExtractException(ExtractErrorKind.PublishFailed,
                $"staged file {file.Key} does not match what was rendered ({stream.Length} bytes, sha256 {hash}); nothing published");
    }

    private void RecoverMonth(ExtractMonth month)
    {
        var monthStaging = MonthStaging(month);
        if (!Directory.Exists(monthStaging)) return;
        foreach (var runFolder in Directory.EnumerateDirectories(monthStaging))
        {
            if (File.Exists(Path.Combine(runFolder, CommitMarker))) RollForward(runFolder, month);
            else Directory.Delete(runFolder, recursive: true);
        }
    }

    /// <summary>Idempotent: safe to repeat after a crash at any point.</summary>
    private void RollForward(string runFolder, ExtractMonth month)
    {
        var manifest = JsonSerializer.Deserialize<ExtractManifest>(File.ReadAllBytes(Path.Combine(runFolder, CommitMarker)), ExtractManifest.JsonOptions)!;
        var filesFolder = Path.Combine(runFolder, "files");
        foreach (var file in manifest.Files)
        {
            var stagedPath = Path.Combine(filesFolder, file.Key.Replace('/', Path.DirectorySeparatorChar));
            if (!File.Exists(stagedPath)) continue;   // moved before a crash
            var finalPath = PathOf(file.Key);
            Directory.CreateDirectory(Path.GetDirectoryName(finalPath)!);
            File.Move(stagedPath, finalPath, overwrite: true);   // rename(2): the key switches atomically
            AfterFileMoved?.Invoke(file.Key);
        }
        RemoveStaleFiles(month, manifest.Files.Select(f => f.Key).ToHashSet(StringComparer.Ordinal));

        var published = manifest with { PublishedAt = manifest.PublishedAt == default ? DateTimeOffset.UtcNow : manifest.PublishedAt };
        WriteAtomically(runFolder, ExtractKeys.RunManifestKey(month, manifest.RunId), published.ToJsonBytes());
        WriteAtomically(runFolder, ExtractKeys.ManifestKey(month), published.ToJsonBytes());
        Directory.Delete(runFolder, recursive: true);
    }

    /// <summary>Removes files of this month only that the new set does not contain (e.g. a renamed bank).</summary>
    private void RemoveStaleFiles(ExtractMonth month, HashSet<string> keep)
    {
        foreach (var bankFolder in Directory.EnumerateDirectories(Root, "bank_name=*"))
        {
            var monthFolder = Path.Combine(bankFolder, $"year={month.Year:D4}", $"month={month.Month:D2}");
            if (!Directory.Exists(monthFolder)) continue;
            foreach (var path in Directory.EnumerateFiles(monthFolder))
            {
                var key = Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/');
                if (!keep.Contains(key)) File.Delete(path);
            }
            DeleteIfEmpty(monthFolder);
            DeleteIfEmpty(Path.GetDirectoryName(monthFolder)!);
            DeleteIfEmpty(bankFolder);
        }
    }

    private void WriteAtomically(string runFolder, string key, byte[] content)
    {
        var target = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = Path.Combine(runFolder, Path.GetFileName(target) + ".tmp");
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, target, overwrite: true);
    }

    private static void DeleteIfEmpty(string folder)
    {
        if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
    }
}
