using Amazon.S3;
using Amazon.S3.Model;
using ExtractPortal.Pipeline.Engine;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Sources;
using ExtractPortal.Pipeline.Store;
using ExtractPortal.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExtractPortal.Tests.Pipeline;

/// <summary>
/// The S3 extract store against a real S3-compatible server (s3rver on 127.0.0.1), driven by the
/// real engine over golden ODS data: same keys and bytes as the local store, re-runs, failures
/// mid-publish, stale files, the in-process month lock.
/// </summary>
public sealed class S3ExtractStoreTests(S3Server server) : IDisposable
{
    private const string Prefix = "extracts";
    private static readonly FixedClock Clock = FixedClock.At("2026-04-15T08:00:00Z");
    private readonly TempFolder _temp = new();
    private readonly AmazonS3Client _s3 = server.Client();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _s3.Dispose();
        _temp.Dispose();
    }

    public static TheoryData<string> PublishedCases =>
        new(GoldenCase.Names.Where(n => GoldenCase.Load(n).ErrorMessageParts is null));

    [Theory]
    [MemberData(nameof(PublishedCases))]
    public async Task Publishes_the_same_keys_and_bytes_as_the_local_store(string name)
    {
        var golden = GoldenCase.Load(name);
        var source = new DuckDbFileOdsSource(golden.WriteDuckDbOds(_temp.Path), "golden " + name);
        var request = new ExtractRequest(golden.Months, "run-20260415-080000-abcd", "test", "golden vector");

        var local = new LocalExtractStore(_temp.Sub("local"));
        await Engine(source, local).RunAsync(request, null, Ct);
        var (bucket, s3Store) = await NewStoreAsync();
        await Engine(source, s3Store).RunAsync(request, null, Ct);

        var localKeys = TempFolder.Keys(local.Root).Where(k => !k.StartsWith("_staging/")).ToList();
        var s3Keys = await KeysAsync(bucket);
        Assert.Equal(localKeys, s3Keys);   // extracts and both manifests per month; no _staging object left
        Assert.Equal(TempFolder.Keys(golden.ExpectedFilesFolder), s3Keys.Where(k => k.StartsWith("bank_name=")));
        foreach (var key in s3Keys)
            Assert.Equal(await File.ReadAllBytesAsync(local.PathOf(key)), await ReadAsync(bucket, key));

        var head = await _s3.GetObjectMetadataAsync(bucket, $"{Prefix}/{s3Keys.First(k => k.StartsWith("bank_name="))}", Ct);
        Assert.Equal(S3ExtractStore.CsvContentType, head.Headers.ContentType);
        Assert.False(Directory.Exists(_temp.Sub("s3-staging", golden.Months[0].ToString(), request.RunId)));   // local staging removed
    }

    [Fact]
    public async Task A_rerun_gives_the_same_bytes_without_duplicates_and_keeps_each_run_manifest()
    {
        var source = WorkedExample();
        var (bucket, store) = await NewStoreAsync();
        var month = ExtractMonth.Parse("2026-03");
        await Engine(source, store).RunAsync(new ExtractRequest([month], "run-1", "test", "first"), null, Ct);
        var first = await SnapshotAsync(bucket);
        await Engine(source, store).RunAsync(new ExtractRequest([month], "run-2", "test", "again"), null, Ct);
        var second = await SnapshotAsync(bucket);

        var extracts = first.Keys.Where(k => k.StartsWith("bank_name=")).ToList();
        Assert.Equal(extracts, second.Keys.Where(k => k.StartsWith("bank_name=")));
        foreach (var key in extracts) Assert.Equal(first[key], second[key]);
        Assert.Contains("_manifests/year=2026/month=03/runs/run-1.json", second.Keys);
        Assert.Contains("_manifests/year=2026/month=03/runs/run-2.json", second.Keys);
        Assert.Equal(second["_manifests/year=2026/month=03/runs/run-2.json"], second["_manifests/year=2026/month=03/manifest.json"]);
        Assert.DoesNotContain(second.Keys, k => k.StartsWith("_staging/"));
    }

    [Fact]
    public async Task A_failure_after_staging_leaves_the_month_as_it_was_and_no_staging_objects()
    {
        var source = WorkedExample();
        var (bucket, store) = await NewStoreAsync();
        var month = ExtractMonth.Parse("2026-03");
        await Engine(source, store).RunAsync(new ExtractRequest([month], "run-good", "test", "first"), null, Ct);
        var before = await SnapshotAsync(bucket);

        store.AfterStep = step => step == "staged" ? throw new IOException("network gone") : Task.CompletedTask;
        await Assert.ThrowsAsync<IOException>(() => Engine(source, store).RunAsync(new ExtractRequest([month], "run-bad", "test", "again"), null, Ct));

        var after = await SnapshotAsync(bucket);
        Assert.Equal(before.Keys, after.Keys);
        foreach (var key in before.Keys) Assert.Equal(before[key], after[key]);
        Assert.False(Directory.Exists(_temp.Sub("s3-staging", "2026-03", "run-bad")));
    }

    [Fact]
    public async Task A_failure_during_the_copies_keeps_the_old_manifest_and_a_rerun_converges()
    {
        var source = WorkedExample();
        var (bucket, store) = await NewStoreAsync();
        var month = ExtractMonth.Parse("2026-03");
        await Engine(source, store).RunAsync(new ExtractRequest([month], "run-good", "test", "first"), null, Ct);
        var before = await SnapshotAsync(bucket);

        store.AfterStep = step => step.StartsWith("copied:") ? throw new IOException("killed mid-copy") : Task.CompletedTask;
        await Assert.ThrowsAsync<IOException>(() => Engine(source, store).RunAsync(new ExtractRequest([month], "run-bad", "test", "again"), null, Ct));
        var after = await SnapshotAsync(bucket);
        Assert.DoesNotContain(after.Keys, k => k.StartsWith("_staging/"));
        Assert.Equal(before["_manifests/year=2026/month=03/manifest.json"], after["_manifests/year=2026/month=03/manifest.json"]);
        Assert.DoesNotContain("_manifests/year=2026/month=03/runs/run-bad.json", after.Keys);
        foreach (var key in before.Keys.Where(k => k.StartsWith("bank_name="))) Assert.Equal(before[key], after[key]);   // complete objects only

        store.AfterStep = null;
        await Engine(source, store).RunAsync(new ExtractRequest([month], "run-fix", "test", "re-run"), null, Ct);
        var fixedUp = await SnapshotAsync(bucket);
        foreach (var key in before.Keys.Where(k => k.StartsWith("bank_name="))) Assert.Equal(before[key], fixedUp[key]);
        Assert.Equal(fixedUp["_manifests/year=2026/month=03/runs/run-fix.json"], fixedUp["_manifests/year=2026/month=03/manifest.json"]);
    }

    [Fact]
    public async Task Stale_files_of_the_month_are_removed_and_other_months_kept()
    {
        var source = WorkedExample();
        var (bucket, store) = await NewStoreAsync();
        string[] planted =
        [
            "bank_name=OldName/year=2026/month=03/OldName_20260331.csv",   // a renamed bank, same month: stale
            "bank_name=OldName/year=2026/month=02/OldName_20260228.csv",   // another month: kept
            "bank_name=OldName/year=2025/month=03/OldName_20250331.csv",   // same month number, another year: kept
        ];
        foreach (var key in planted)
            await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"{Prefix}/{key}", ContentBody = "old\n" }, Ct);

        await Engine(source, store).RunAsync(new ExtractRequest([ExtractMonth.Parse("2026-03")], "run-1", "test", "stale"), null, Ct);

        var keys = await KeysAsync(bucket);
        Assert.DoesNotContain(planted[0], keys);
        Assert.Contains(planted[1], keys);
        Assert.Contains(planted[2], keys);
        Assert.Contains("bank_name=CoralBankTrust/year=2026/month=03/CoralBankTrust_20260331.csv", keys);
    }

    [Fact]
    public async Task The_month_lock_excludes_a_second_run_in_this_process_and_is_released()
    {
        var (_, store) = await NewStoreAsync();
        var month = ExtractMonth.Parse("2026-03");
        using (var held = store.TryLockMonth(month))
        {
            Assert.NotNull(held);
            Assert.Null(store.TryLockMonth(month));
            using var other = store.TryLockMonth(ExtractMonth.Parse("2026-02"));
            Assert.NotNull(other);
            var busy = await Assert.ThrowsAsync<ExtractException>(() =>
                Engine(WorkedExample(), store).RunAsync(new ExtractRequest([month], "run-2", "test", "busy"), null, Ct));
            Assert.Equal(ExtractErrorKind.MonthBusy, busy.Kind);
        }
        using var again = store.TryLockMonth(month);
        Assert.NotNull(again);
    }

    [Fact]
    public void Staging_keys_are_the_keys_under_the_run_staging_prefix()
    {
        Assert.Equal("_staging/run-1/bank_name=A/year=2026/month=03/A_20260331.csv",
            S3ExtractStore.StagingKey("run-1", "bank_name=A/year=2026/month=03/A_20260331.csv"));
        Assert.Throws<ArgumentException>(() => new S3ExtractStore(_s3, new S3StoreLocation("b", "p")).Stage(ExtractMonth.Parse("2026-03"), "../x"));
    }

    private IOdsSource WorkedExample()
    {
        var golden = GoldenCase.Load("worked_example");
        var folder = _temp.Sub("ods-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return new DuckDbFileOdsSource(golden.WriteDuckDbOds(folder), "golden worked_example");
    }

    private static ExtractEngine Engine(IOdsSource source, IExtractStore store) =>
        new(source, store, Clock, NullLogger<ExtractEngine>.Instance);

    private async Task<(string Bucket, S3ExtractStore Store)> NewStoreAsync()
    {
        var bucket = await server.CreateBucketAsync();
        return (bucket, new S3ExtractStore(_s3, new S3StoreLocation(bucket, Prefix), _temp.Sub("s3-staging"), Clock));
    }

    /// <summary>Every key of the bucket relative to the extract prefix, sorted; fails on keys outside it.</summary>
    private async Task<List<string>> KeysAsync(string bucket)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket };
        do
        {
            var page = await _s3.ListObjectsV2Async(request, Ct);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (request.ContinuationToken is not null);
        Assert.All(keys, k => Assert.StartsWith(Prefix + "/", k));
        return keys.Select(k => k[(Prefix.Length + 1)..]).Order(StringComparer.Ordinal).ToList();
    }

    private async Task<byte[]> ReadAsync(string bucket, string key)
    {
        using var response = await _s3.GetObjectAsync(bucket, $"{Prefix}/{key}", Ct);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer, Ct);
        return buffer.ToArray();
    }

    private async Task<SortedDictionary<string, byte[]>> SnapshotAsync(string bucket)
    {
        var result = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var key in await KeysAsync(bucket)) result[key] = await ReadAsync(bucket, key);
        return result;
    }
}
