using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ExtractPortal.Pipeline.Engine;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Rendering;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExtractPortal.Pipeline.Store;

/// <summary>Where an S3 extract store lives: the bucket, the extract prefix, and how objects are encrypted.</summary>
/// <param name="Bucket">The extracts bucket.</param>
/// <param name="Prefix">The extract root inside the bucket (e.g. <c>extracts</c>; empty: the bucket root).</param>
/// <param name="KmsKeyId">SSE-KMS key for every write; null: the bucket's default encryption applies.</param>
public sealed record S3StoreLocation(string Bucket, string Prefix, string? KmsKeyId = null)
{
    public string Root => Prefix.Trim('/') is { Length: > 0 } p ? p + "/" : "";

    /// <summary>The full object key of a key relative to the extract root.</summary>
    public string FullKey(string relative) => Root + relative;

    public string Relative(string fullKey) =>
        fullKey.StartsWith(Root, StringComparison.Ordinal) ? fullKey[Root.Length..] : fullKey;

    public override string ToString() => $"s3://{Bucket}/{Root}";
}

/// <summary>
/// The extract store in an S3(-compatible) bucket prefix, for the local engine (docs/extract-store.md,
/// docs/aws-mode-state.md). Files are rendered into a local staging folder (<see cref="Stage"/>);
/// <see cref="PublishAsync"/> then uploads them to <c>_staging/&lt;run_id&gt;/</c>, reads each back
/// (size and SHA-256), server-side copies each to its final key, removes the month's stale objects,
/// writes the run manifest and then <c>manifest.json</c>, and deletes the staging objects.
/// The bytes and keys are exactly those of <see cref="LocalExtractStore"/> for the same run.
/// <para>
/// S3 has no multi-key transaction: a failure before the first copy leaves the month exactly as it
/// was; a failure during the copies or the stale removal can leave some keys switched (each object is
/// always complete) while <c>manifest.json</c> still describes the previous run, which is detectable,
/// and a re-run of the month converges to the same bytes. There is no commit marker or roll-forward
/// here (unlike the local store): the run fails and says so.
/// </para>
/// <para>
/// <see cref="TryLockMonth"/> excludes runs of one month inside this process only. Across portal
/// instances in AWS the exclusion is the DynamoDB month guard (one active run per month) and the
/// Glue job's <c>max_concurrent_runs</c>.
/// </para>
/// </summary>
public sealed class S3ExtractStore : IExtractStore
{
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string JsonContentType = "application/json";
    private const string BankFolderPrefix = "bank_name=";

    private static readonly ConcurrentDictionary<string, byte> HeldMonths = new(StringComparer.Ordinal);
    private static readonly Regex RunIdPattern = new("^[A-Za-z0-9_-]{1,200}$", RegexOptions.CultureInvariant);

    private readonly IAmazonS3 s3;
    private readonly string stagingRoot;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, byte> committed = new(StringComparer.Ordinal);

    /// <param name="s3">A client for the bucket's region/endpoint (see <see cref="CreateClient"/>).</param>
    /// <param name="location">Bucket, prefix and KMS key.</param>
    /// <param name="localStagingFolder">Where files are rendered before upload; null: a folder under the temp path.</param>
    public S3ExtractStore(IAmazonS3 s3, S3StoreLocation location, string? localStagingFolder = null, TimeProvider? clock = null, ILogger? logger = null)
    {
        if (string.IsNullOrWhiteSpace(location.Bucket)) throw new ArgumentException("the extracts bucket is not set", nameof(location));
        this.s3 = s3;
        Location = location;
        stagingRoot = Path.GetFullPath(localStagingFolder ?? Path.Combine(Path.GetTempPath(), "extractportal-s3-staging"));
        this.clock = clock ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
    }

    public S3StoreLocation Location { get; }

    public string Description => Location.ToString();

    /// <summary>Test hook: called after each publishing step ("staged", "copied:&lt;key&gt;", "stale_removed", "manifests_written").</summary>
    internal Func<string, Task>? AfterStep { get; set; }

    /// <summary>
    /// An S3 client for AWS (region, default credential chain) or, with <paramref name="serviceUrl"/>,
    /// an S3-compatible server (MinIO, s3rver): path-style addressing, checksums only when required
    /// (such servers do not understand the SDK's default trailing checksums).
    /// </summary>
    public static AmazonS3Client CreateClient(string? region, string? serviceUrl, AWSCredentials? credentials = null)
    {
        var config = new AmazonS3Config();
        if (!string.IsNullOrWhiteSpace(serviceUrl))
        {
            config.ServiceURL = serviceUrl;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = string.IsNullOrWhiteSpace(region) ? "us-east-1" : region;
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
            var client = credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
            client.BeforeRequestEvent += UnescapeCopySource;
            return client;
        }
        else if (!string.IsNullOrWhiteSpace(region))
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }
        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }

    /// <summary>
    /// The SDK sends <c>x-amz-copy-source</c> fully percent-encoded (<c>bucket%2Fextracts%2Fbank_name%3DX...</c>).
    /// AWS S3 decodes it; S3-compatible servers built on JavaScript's <c>decodeURI</c> (s3rver) leave
    /// <c>%2F</c> and <c>%3D</c> encoded and answer NoSuchBucket/NoSuchKey. For an endpoint override only,
    /// the characters decodeURI keeps encoded are sent literally (S3 accepts both forms). The event runs
    /// before signing, so the header is signed as sent.
    /// </summary>
    private static void UnescapeCopySource(object sender, RequestEventArgs e)
    {
        if (e is not WebServiceRequestEventArgs args || !args.Headers.TryGetValue("x-amz-copy-source", out var value)) return;
        foreach (var (escaped, literal) in DecodeUriReserved)
            value = value.Replace(escaped, literal, StringComparison.OrdinalIgnoreCase);
        args.Headers["x-amz-copy-source"] = value;
    }

    private static readonly (string, string)[] DecodeUriReserved =
        [("%2F", "/"), ("%3D", "="), ("%26", "&"), ("%2B", "+"), ("%24", "$"), ("%2C", ","), ("%3A", ":"), ("%40", "@"), ("%3B", ";")];

    /// <summary>
    /// Holds the month for one run of this process (null when another run of this process holds it).
    /// Cross-instance exclusion in AWS is the DynamoDB month guard and Glue's max_concurrent_runs.
    /// </summary>
    public IDisposable? TryLockMonth(ExtractMonth month)
    {
        var name = $"{Location.Bucket}/{Location.Root}{month}";
        return HeldMonths.TryAdd(name, 0) ? new Releaser(() => HeldMonths.TryRemove(name, out _)) : null;
    }

    public StagedMonth Stage(ExtractMonth month, string runId)
    {
        if (!RunIdPattern.IsMatch(runId)) throw new ArgumentException($"invalid run id '{runId}'", nameof(runId));
        var folder = Path.Combine(stagingRoot, month.ToString(), runId);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        return new StagedMonth(month, runId, folder);
    }

    /// <summary>True once the first object has been copied to its final key (the month is no longer as it was).</summary>
    public bool IsCommitted(StagedMonth staged) => committed.ContainsKey(staged.Folder);

    /// <summary>Removes the local staging folder and (best effort) the run's staging objects.</summary>
    public void Discard(StagedMonth staged)
    {
        DeleteLocal(staged.Folder);
        try { RemoveStagingAsync(staged.RunId, CancellationToken.None).GetAwaiter().GetResult(); }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException or IOException)
        {
            logger.LogWarning("Could not remove {Staging}: {Error}", Location.FullKey(StagingPrefix(staged.RunId)), e.Message);
        }
    }

    /// <summary><c>_staging/&lt;run_id&gt;/</c>, relative to the extract root.</summary>
    public static string StagingPrefix(string runId) => $"{ExtractKeys.StagingFolder}/{runId}/";

    /// <summary>The staging object of a file: <c>_staging/&lt;run_id&gt;/&lt;key&gt;</c> (as the Glue job names it).</summary>
    public static string StagingKey(string runId, string key) => StagingPrefix(runId) + key;

    public async Task<ExtractManifest> PublishAsync(StagedMonth staged, ExtractManifest manifest, CancellationToken ct)
    {
        var month = staged.Month;
        var step = "staged";
        try
        {
            CheckKeys(staged);
            // 2. upload to _staging/<run_id>/ and read each object back: size and SHA-256
            foreach (var file in staged.Files)
                await UploadAndVerifyAsync(staged.RunId, file, ct);
            logger.LogInformation("Publish {Month}: staged and verified {Files} file(s) under {Staging}",
                month, staged.Files.Count, Location.FullKey(StagingPrefix(staged.RunId)));
            await Hook("staged");
            ct.ThrowIfCancellationRequested();

            // 3. server-side copy to the final keys: from here the month is being switched
            step = "copied";
            committed[staged.Folder] = 0;
            foreach (var file in staged.Files)
            {
                await CopyToFinalAsync(staged.RunId, file.Key, CancellationToken.None);
                await Hook("copied:" + file.Key);
            }

            // 4. the month's objects that the new set does not contain
            step = "stale_removed";
            var keep = staged.Files.Select(f => Location.FullKey(f.Key)).ToHashSet(StringComparer.Ordinal);
            var stale = await StaleKeysAsync(month, keep, CancellationToken.None);
            await DeleteKeysAsync(stale, CancellationToken.None);
            if (stale.Count > 0) logger.LogInformation("Publish {Month}: removed stale {Keys}", month, string.Join(", ", stale));
            await Hook("stale_removed");

            // 5. the run manifest, then the month's current manifest (the same JSON)
            step = "manifests_written";
            var published = manifest with { PublishedAt = manifest.PublishedAt == default ? clock.GetUtcNow() : manifest.PublishedAt };
            var body = published.ToJsonBytes();
            await PutAsync(ExtractKeys.RunManifestKey(month, manifest.RunId), body, JsonContentType, CancellationToken.None);
            await PutAsync(ExtractKeys.ManifestKey(month), body, JsonContentType, CancellationToken.None);
            await Hook("manifests_written");
            return published;
        }
        catch (AmazonServiceException e)
        {
            throw new ExtractException(ExtractErrorKind.PublishFailed,
                $"publishing {month} to {Description} failed during step '{step}': {e.ErrorCode ?? e.StatusCode.ToString()} {e.Message}", e);
        }
        finally
        {
            // 6. the run's work area, also when a step failed (never hide the error propagating)
            DeleteLocal(staged.Folder);
            committed.TryRemove(staged.Folder, out _);
            try { await RemoveStagingAsync(staged.RunId, CancellationToken.None); }
            catch (Exception e) when (e is AmazonServiceException or HttpRequestException or IOException)
            {
                logger.LogWarning("Could not remove {Staging}: {Error}", Location.FullKey(StagingPrefix(staged.RunId)), e.Message);
            }
        }
    }

    private static void CheckKeys(StagedMonth staged)
    {
        var suffix = $"/year={staged.Month.Year:D4}/month={staged.Month.Month:D2}/";
        var keys = staged.Files.Select(f => f.Key).ToList();
        if (keys.Distinct(StringComparer.Ordinal).Count() != keys.Count)
            throw new ExtractException(ExtractErrorKind.PublishFailed, $"{staged.Month}: two files share one key; nothing published");
        foreach (var key in keys)
            if (!key.StartsWith(BankFolderPrefix, StringComparison.Ordinal) || !key.Contains(suffix, StringComparison.Ordinal) || key.Contains(".."))
                throw new ExtractException(ExtractErrorKind.PublishFailed, $"{staged.Month}: '{key}' is not an extract key of this month; nothing published");
    }

    private async Task UploadAndVerifyAsync(string runId, StagedFile file, CancellationToken ct)
    {
        var stagingKey = Location.FullKey(StagingKey(runId, file.Key));
        var request = new PutObjectRequest
        {
            BucketName = Location.Bucket,
            Key = stagingKey,
            FilePath = file.StagedPath,
            ContentType = CsvContentType,
            // A plain signed body: S3-compatible servers (s3rver) store aws-chunked framing verbatim.
            // The read-back below caught exactly that; the files are small, so nothing is lost.
            UseChunkEncoding = false,
        };
        Encrypt(request);
        await s3.PutObjectAsync(request, ct);

        // Read back what S3 stores (not what was sent): size and SHA-256 against the rendered file.
        using var response = await s3.GetObjectAsync(Location.Bucket, stagingKey, ct);
        await using var body = response.ResponseStream;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long length = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            length += read;
        }
        var hash = Convert.ToHexStringLower(sha.GetHashAndReset());
        if (length != file.Rendered.Bytes || hash != file.Rendered.Sha256)
            throw new ExtractException(ExtractErrorKind.PublishFailed,
                $"staged {file.Key} reads back as {length} bytes with sha256 {hash}, not the {file.Rendered.Bytes} bytes rendered; nothing published");
    }

    private async Task CopyToFinalAsync(string runId, string key, CancellationToken ct)
    {
        var request = new CopyObjectRequest
        {
            SourceBucket = Location.Bucket,
            SourceKey = Location.FullKey(StagingKey(runId, key)),
            DestinationBucket = Location.Bucket,
            DestinationKey = Location.FullKey(key),
            ContentType = CsvContentType,
            MetadataDirective = S3MetadataDirective.REPLACE,
        };
        if (Location.KmsKeyId is { Length: > 0 } kms)
        {
            request.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS;
            request.ServerSideEncryptionKeyManagementServiceKeyId = kms;
        }
        await s3.CopyObjectAsync(request, ct);
    }

    private async Task PutAsync(string relativeKey, byte[] content, string contentType, CancellationToken ct)
    {
        var request = new PutObjectRequest
        {
            BucketName = Location.Bucket,
            Key = Location.FullKey(relativeKey),
            InputStream = new MemoryStream(content, writable: false),
            ContentType = contentType,
            UseChunkEncoding = false,
        };
        Encrypt(request);
        await s3.PutObjectAsync(request, ct);
    }

    private void Encrypt(PutObjectRequest request)
    {
        if (Location.KmsKeyId is not { Length: > 0 } kms) return;
        request.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS;
        request.ServerSideEncryptionKeyManagementServiceKeyId = kms;
    }

    /// <summary>
    /// Full keys under <c>bank_name=*/year=YYYY/month=MM/</c> not in <paramref name="keep"/>. Lists every
    /// extract object without a delimiter and filters by pattern (s3rver mis-lists '=' with a delimiter).
    /// </summary>
    internal async Task<List<string>> StaleKeysAsync(ExtractMonth month, IReadOnlySet<string> keep, CancellationToken ct)
    {
        var pattern = new Regex("^" + Regex.Escape(Location.FullKey(BankFolderPrefix)) + "[^/]+/"
                                + Regex.Escape($"year={month.Year:D4}/month={month.Month:D2}/"), RegexOptions.CultureInvariant);
        var stale = new List<string>();
        await foreach (var obj in ListAsync(Location.FullKey(BankFolderPrefix), ct))
            if (pattern.IsMatch(obj.Key) && !keep.Contains(obj.Key)) stale.Add(obj.Key);
        stale.Sort(StringComparer.Ordinal);
        return stale;
    }

    /// <summary>Every object under a full-key prefix, paged, no delimiter.</summary>
    internal async IAsyncEnumerable<S3Object> ListAsync(string fullPrefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var request = new ListObjectsV2Request { BucketName = Location.Bucket, Prefix = fullPrefix };
        do
        {
            var page = await s3.ListObjectsV2Async(request, ct);
            foreach (var obj in page.S3Objects ?? []) yield return obj;
            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (request.ContinuationToken is not null);
    }

    private async Task RemoveStagingAsync(string runId, CancellationToken ct)
    {
        var keys = new List<string>();
        await foreach (var obj in ListAsync(Location.FullKey(StagingPrefix(runId)), ct)) keys.Add(obj.Key);
        await DeleteKeysAsync(keys, ct);
    }

    /// <summary>Deletes in batches of 1000, failing on any per-key error.</summary>
    private async Task DeleteKeysAsync(IReadOnlyList<string> fullKeys, CancellationToken ct)
    {
        foreach (var batch in fullKeys.Chunk(1000))
        {
            var response = await s3.DeleteObjectsAsync(new DeleteObjectsRequest
            {
                BucketName = Location.Bucket,
                Objects = batch.Select(k => new KeyVersion { Key = k }).ToList(),
                Quiet = true,
            }, ct);
            if (response.DeleteErrors is { Count: > 0 } errors)
                throw new ExtractException(ExtractErrorKind.PublishFailed,
                    $"could not delete {errors.Count} object(s) of {Description}, e.g. {errors[0].Key}: {errors[0].Code} {errors[0].Message}");
        }
    }

    private Task Hook(string step) => AfterStep?.Invoke(step) ?? Task.CompletedTask;

    private static void DeleteLocal(string folder)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>True for a 404 of S3 (missing key or bucket).</summary>
    public static bool IsNotFound(AmazonS3Exception e) =>
        e.StatusCode == HttpStatusCode.NotFound || e.ErrorCode is "NoSuchKey" or "NotFound";

    private sealed class Releaser(Action release) : IDisposable
    {
        private int released;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) release();
        }
    }
}
