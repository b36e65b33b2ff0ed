using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using ExtractPortal.Aws;
using ExtractPortal.Aws.S3;
using ExtractPortal.Configuration;
using ExtractPortal.Pipeline.Engine;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Sources;
using ExtractPortal.Pipeline.Store;
using ExtractPortal.Tests.Infrastructure;
using ExtractPortal.Tests.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExtractPortal.Tests.Aws.S3;

/// <summary>
/// The portal's S3 reader against s3rver, over a store the engine published to (S3ExtractStore):
/// listing, ranged preview, streamed download, manifests, missing objects, key validation.
/// </summary>
public sealed class S3ExtractStoreReaderTests(S3Server server) : IDisposable
{
    private const string Prefix = "extracts";
    private readonly TempFolder _temp = new();
    private readonly AmazonS3Client _s3 = server.Client();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _s3.Dispose();
        _temp.Dispose();
    }

    private async Task<(string Bucket, S3ExtractStoreReader Reader, LocalExtractStore Local)> PublishedAsync(string caseName)
    {
        var golden = GoldenCase.Load(caseName);
        var source = new DuckDbFileOdsSource(golden.WriteDuckDbOds(_temp.Path), "golden " + caseName);
        var bucket = await server.CreateBucketAsync();
        var location = new S3StoreLocation(bucket, Prefix);
        var clock = FixedClock.At("2026-04-15T08:00:00Z");
        var request = new ExtractRequest(golden.Months, "run-reader-1", "test", "reader");
        await new ExtractEngine(source, new S3ExtractStore(_s3, location, _temp.Sub("staging"), clock), clock, NullLogger<ExtractEngine>.Instance)
            .RunAsync(request, null, Ct);
        var local = new LocalExtractStore(_temp.Sub("local"));
        await new ExtractEngine(source, local, clock, NullLogger<ExtractEngine>.Instance).RunAsync(request, null, Ct);
        return (bucket, new S3ExtractStoreReader(_s3, location), local);
    }

    [Fact]
    public async Task Lists_partitions_and_manifests_like_the_local_reader()
    {
        var (bucket, reader, local) = await PublishedAsync("window_boundaries");
        // Noise the listing must ignore: a non-extract file in a partition, another prefix, a staging leftover.
        await Put(bucket, $"{Prefix}/bank_name=AlphaBank/year=2026/month=03/notes.txt", "x");
        await Put(bucket, "other/bank_name=AlphaBank/year=2026/month=03/AlphaBank_20260331.csv", "x");
        await Put(bucket, $"{Prefix}/_staging/run-x/bank_name=AlphaBank/year=2026/month=03/AlphaBank_20260331.csv", "x");

        var localReader = new ExtractPortal.Local.LocalExtractStoreReader(local);
        var expected = (await localReader.ListPartitionsAsync(Ct)).Select(p => (p.Token, p.Month, p.Key, p.Bytes)).Order().ToList();
        var partitions = await reader.ListPartitionsAsync(Ct);
        Assert.Equal(expected, partitions.Select(p => (p.Token, p.Month, p.Key, p.Bytes)).Order());
        Assert.All(partitions, p => Assert.True(p.LastModified > DateTimeOffset.UtcNow.AddHours(-1)));
        var paged = new S3ExtractStoreReader(_s3, reader.Location) { ListPageSize = 1 };   // one key per ListObjectsV2 page
        Assert.Equal(expected, (await paged.ListPartitionsAsync(Ct)).Select(p => (p.Token, p.Month, p.Key, p.Bytes)).Order());
        Assert.Equal(2, (await paged.ListManifestsAsync(Ct)).Count);

        var manifests = await reader.ListManifestsAsync(Ct);
        Assert.Equal(["2026-02", "2026-03"], manifests.Select(m => m.Month).Order());
        var march = await reader.GetManifestAsync(ExtractMonth.Parse("2026-03"), Ct);
        Assert.Equal((await localReader.GetManifestAsync(ExtractMonth.Parse("2026-03"), Ct))!.ToJsonBytes(), march!.ToJsonBytes());
        Assert.NotNull(await reader.GetRunManifestAsync(ExtractMonth.Parse("2026-03"), "run-reader-1", Ct));
        await reader.CheckAsync(Ct);
    }

    [Fact]
    public async Task Missing_objects_and_manifests_are_null_and_bad_keys_are_refused()
    {
        var (_, reader, _) = await PublishedAsync("worked_example");
        Assert.Null(await reader.OpenReadAsync("bank_name=Nobody/year=2026/month=03/Nobody_20260331.csv", Ct));
        Assert.Null(await reader.OpenHeadAsync("bank_name=Nobody/year=2026/month=03/Nobody_20260331.csv", 100, Ct));
        Assert.Null(await reader.GetManifestAsync(ExtractMonth.Parse("2020-01"), Ct));
        Assert.Null(await reader.GetRunManifestAsync(ExtractMonth.Parse("2026-03"), "run-unknown", Ct));
        Assert.Null(await reader.GetRunManifestAsync(ExtractMonth.Parse("2026-03"), "../../x", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => reader.OpenReadAsync("../secret", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => reader.OpenReadAsync("/bank_name=a", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => reader.OpenReadAsync("a//b", Ct));

        var missingBucket = new S3ExtractStoreReader(_s3, new S3StoreLocation("no-such-bucket-here", Prefix));
        await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => missingBucket.CheckAsync(Ct));   // /readyz fails
    }

    [Fact]
    public async Task The_preview_is_a_ranged_get_and_the_download_streams_the_exact_bytes()
    {
        var (_, reader, local) = await PublishedAsync("quoting");
        var key = "bank_name=Plain/year=2026/month=03/Plain_20260331.csv";
        var expected = await File.ReadAllBytesAsync(local.PathOf(key));
        Assert.True(expected.Length > 40);

        await using (var head = await reader.OpenHeadAsync(key, 40, Ct))
        {
            var s3Head = Assert.IsType<S3ObjectStream>(head);
            Assert.Equal(expected.Length, s3Head.ObjectLength);   // the whole size, from Content-Range
            Assert.Equal(expected[..40], await ReadAll(head!));  // exactly the range, nothing more
        }
        await using (var whole = await reader.OpenReadAsync(key, Ct))
        {
            Assert.False(whole!.CanSeek);
            Assert.Equal(expected, await ReadAll(whole));
        }

        // Through the portal's extract service: the preview parses the ranged head.
        await using (var head = await reader.OpenHeadAsync(key, ExtractPortal.Features.Extracts.ExtractService.PreviewMaxBytes, Ct))
        {
            var preview = await ExtractPortal.Features.Extracts.CsvHead.ReadAsync(head!, 50, ExtractPortal.Features.Extracts.ExtractService.PreviewMaxBytes, Ct);
            Assert.Equal("bank_name", preview.Columns[0]);
        }
    }

    [Fact]
    public async Task The_cli_store_factory_honours_the_store_kind()
    {
        var portal = new PortalOptions { DataFolder = _temp.Sub("data") };
        var aws = new ExtractPortal.Aws.AwsOptions { ExtractsBucket = "b", ExtractsPrefix = "extracts", Region = "eu-west-1", ServiceUrls = { S3 = server.Endpoint } };
        Assert.IsType<LocalExtractStore>(AwsStateRegistration.CreateEngineStore(portal, aws, null));
        portal.ExtractStore.Kind = ExtractStoreKind.S3;
        var s3 = Assert.IsType<S3ExtractStore>(AwsStateRegistration.CreateEngineStore(portal, aws, null));
        Assert.Equal("s3://b/extracts/", s3.Description);
        Assert.IsType<LocalExtractStore>(AwsStateRegistration.CreateEngineStore(portal, aws, _temp.Sub("out")));   // --output wins
        Assert.Throws<InvalidOperationException>(() => AwsStateRegistration.CreateEngineStore(portal, new ExtractPortal.Aws.AwsOptions(), null));
    }

    private async Task Put(string bucket, string key, string body) =>
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = body, UseChunkEncoding = false }, Ct);

    private static async Task<byte[]> ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, Ct);
        return buffer.ToArray();
    }
}
