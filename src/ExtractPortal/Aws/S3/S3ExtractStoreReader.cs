using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Amazon.S3;
using Amazon.S3.Model;
using ExtractPortal.Features.Extracts;
using ExtractPortal.Features.Runs;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Rendering;
using ExtractPortal.Pipeline.Store;

namespace ExtractPortal.Aws.S3;

/// <summary>
/// The portal's read side of the S3 extract store (docs/aws-mode-state.md): listings are paged
/// ListObjectsV2 without a delimiter; previews are ranged GETs (<c>Range: bytes=0-N</c>); files are
/// streamed from GetObject through the app (never buffered whole, never a presigned URL, so every
/// download passes the portal's role check and audit record); a missing key or manifest is null, not
/// an exception. Keys are validated like the local store's paths: only keys under the extract root.
/// </summary>
public sealed partial class S3ExtractStoreReader(IAmazonS3 s3, S3StoreLocation location) : IExtractStoreReader
{
    private const int ManifestReadConcurrency = 8;

    public string Description => $"S3 {location}";

    public S3StoreLocation Location => location;

    /// <summary>Keys per ListObjectsV2 page (null: S3's default of 1000); tests set it small to exercise paging.</summary>
    public int? ListPageSize { get; init; }

    public async Task<IReadOnlyList<PartitionFile>> ListPartitionsAsync(CancellationToken ct)
    {
        var files = new List<PartitionFile>();
        await foreach (var obj in ListAsync("bank_name=", ct))
        {
            var key = location.Relative(obj.Key);
            var match = PartitionKey().Match(key);
            if (!match.Success) continue;
            if (!ExtractMonth.TryParse($"{match.Groups["year"].Value}-{match.Groups["month"].Value}", out var month, out _)) continue;
            var token = match.Groups["token"].Value;
            if (key != ExtractKeys.FileKey(token, month)) continue;   // only the extract itself, as the local store
            files.Add(new PartitionFile(token, month, key, obj.Size ?? 0, obj.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.MinValue));
        }
        return files;
    }

    public async Task<IReadOnlyList<ExtractManifest>> ListManifestsAsync(CancellationToken ct)
    {
        var months = new List<ExtractMonth>();
        await foreach (var obj in ListAsync(ExtractKeys.ManifestsFolder + "/", ct))
        {
            var match = ManifestKey().Match(location.Relative(obj.Key));
            if (match.Success && ExtractMonth.TryParse($"{match.Groups["year"].Value}-{match.Groups["month"].Value}", out var month, out _))
                months.Add(month);
        }
        var manifests = new ExtractManifest?[months.Count];
        await Parallel.ForAsync(0, months.Count, new ParallelOptions { MaxDegreeOfParallelism = ManifestReadConcurrency, CancellationToken = ct },
            async (i, token) => manifests[i] = await GetManifestAsync(months[i], token));
        return manifests.OfType<ExtractManifest>().ToList();
    }

    public Task<ExtractManifest?> GetManifestAsync(ExtractMonth month, CancellationToken ct) => ReadManifestAsync(ExtractKeys.ManifestKey(month), ct);

    public Task<ExtractManifest?> GetRunManifestAsync(ExtractMonth month, string runId, CancellationToken ct) =>
        RunIds.IsValid(runId) ? ReadManifestAsync(ExtractKeys.RunManifestKey(month, runId), ct) : Task.FromResult<ExtractManifest?>(null);

    private async Task<ExtractManifest?> ReadManifestAsync(string key, CancellationToken ct)
    {
        await using var stream = await OpenReadAsync(key, ct);
        return stream is null ? null : await ExtractManifest.ReadAsync(stream, ct);
    }

    /// <summary>Streams the whole object (GetObject; the body is read as the caller reads), or null when missing.</summary>
    public Task<Stream?> OpenReadAsync(string key, CancellationToken ct) => GetAsync(key, null, ct);

    /// <summary>The first <paramref name="maxBytes"/> bytes only: a ranged GET, never the whole object.</summary>
    public Task<Stream?> OpenHeadAsync(string key, long maxBytes, CancellationToken ct) =>
        GetAsync(key, new ByteRange(0, Math.Max(1, maxBytes) - 1), ct);

    private async Task<Stream?> GetAsync(string key, ByteRange? range, CancellationToken ct)
    {
        var request = new GetObjectRequest { BucketName = location.Bucket, Key = location.FullKey(CheckKey(key)), ByteRange = range };
        GetObjectResponse response;
        try
        {
            response = await s3.GetObjectAsync(request, ct);
        }
        catch (AmazonS3Exception e) when (S3ExtractStore.IsNotFound(e))
        {
            return null;
        }
        catch (AmazonS3Exception e) when (range is not null && e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return new MemoryStream([], writable: false);   // an empty object has no byte 0
        }
        return new S3ObjectStream(response, ObjectLength(response));
    }

    /// <summary>The whole object's size: Content-Range's total for a ranged GET, else Content-Length.</summary>
    private static long? ObjectLength(GetObjectResponse response)
    {
        var contentRange = response.ContentRange;
        if (contentRange is { Length: > 0 } && contentRange.LastIndexOf('/') is var slash and >= 0
            && long.TryParse(contentRange[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var total))
            return total;
        return response.ContentLength;
    }

    /// <summary>Lists the bucket once (a HEAD of the bucket would need s3:ListBucket too) to prove access.</summary>
    public async Task CheckAsync(CancellationToken ct) =>
        await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = location.Bucket, Prefix = location.Root, MaxKeys = 1 }, ct);

    private async IAsyncEnumerable<S3Object> ListAsync(string relativePrefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var request = new ListObjectsV2Request { BucketName = location.Bucket, Prefix = location.FullKey(relativePrefix), MaxKeys = ListPageSize };
        do
        {
            var page = await s3.ListObjectsV2Async(request, ct);
            foreach (var obj in page.S3Objects ?? []) yield return obj;
            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (request.ContinuationToken is not null);
    }

    /// <summary>A store key as the local store accepts it: relative, no empty, '.' or '..' segment, no backslash.</summary>
    public static string CheckKey(string key)
    {
        if (string.IsNullOrEmpty(key) || key.StartsWith('/') || key.Contains('\\') || key.Contains('\0')
            || key.Split('/').Any(part => part is "" or "." or ".."))
            throw new ArgumentException($"'{key}' is not a valid store key", nameof(key));
        return key;
    }

    [GeneratedRegex(@"^bank_name=(?<token>[A-Za-z0-9]+)/year=(?<year>\d{4})/month=(?<month>\d{2})/[^/]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PartitionKey();

    [GeneratedRegex(@"^_manifests/year=(?<year>\d{4})/month=(?<month>\d{2})/manifest\.json$", RegexOptions.CultureInvariant)]
    private static partial Regex ManifestKey();
}

/// <summary>
/// The body of a GetObject response, read as the caller reads; disposing it releases the HTTP
/// response. <see cref="ObjectLength"/> is the whole object's size (also for a ranged GET).
/// </summary>
public sealed class S3ObjectStream(GetObjectResponse response, long? objectLength) : Stream
{
    private readonly Stream _body = response.ResponseStream;

    public long? ObjectLength => objectLength;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => _body.Read(buffer, offset, count);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => _body.ReadAsync(buffer, offset, count, ct);
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => _body.ReadAsync(buffer, ct);
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body.Dispose();
            response.Dispose();
        }
        base.Dispose(disposing);
    }
}
