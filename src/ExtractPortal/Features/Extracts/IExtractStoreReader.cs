using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Store;

namespace ExtractPortal.Features.Extracts;

/// <summary>A published extract file found in the store.</summary>
public sealed record PartitionFile(string Token, ExtractMonth Month, string Key, long Bytes, DateTimeOffset LastModified);

/// <summary>
/// Read access to the extract store (layout: docs/extract-store.md). Local: the store folder.
/// AWS: the S3 bucket prefix (ListObjectsV2, GetObject streamed).
/// </summary>
public interface IExtractStoreReader
{
    string Description { get; }
    Task<IReadOnlyList<PartitionFile>> ListPartitionsAsync(CancellationToken ct);
    /// <summary>The current manifest of every published month.</summary>
    Task<IReadOnlyList<ExtractManifest>> ListManifestsAsync(CancellationToken ct);
    Task<ExtractManifest?> GetManifestAsync(ExtractMonth month, CancellationToken ct);
    Task<ExtractManifest?> GetRunManifestAsync(ExtractMonth month, string runId, CancellationToken ct);
    /// <summary>Opens a file of the store for reading, or null when it does not exist. The key must be a store key.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken ct);
    /// <summary>Opens at least the first <paramref name="maxBytes"/> bytes of a file (for previews), or null when it
    /// does not exist. S3 answers with a ranged GET; by default the whole file is opened and the caller stops early.</summary>
    Task<Stream?> OpenHeadAsync(string key, long maxBytes, CancellationToken ct) => OpenReadAsync(key, ct);
    /// <summary>Throws when the store cannot be read (for /readyz).</summary>
    Task CheckAsync(CancellationToken ct);
}
