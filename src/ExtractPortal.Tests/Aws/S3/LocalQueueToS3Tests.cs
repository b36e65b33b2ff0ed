using Amazon.Runtime;
using ExtractPortal.Aws.S3;
using ExtractPortal.Configuration;
using ExtractPortal.Features.Extracts;
using ExtractPortal.Features.Runs;
using ExtractPortal.Local;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Store;
using ExtractPortal.Tests.Infrastructure;
using ExtractPortal.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ExtractPortal.Tests.Aws.S3;

/// <summary>The Docker stack's set-up: local mode, Portal:ExtractStore:Kind=S3: the local queue publishes to the bucket (s3rver here, MinIO there) and the pages read it.</summary>
public sealed class LocalQueueToS3Tests(S3Server s3) : IDisposable
{
    private readonly TempDataFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task The_local_queue_publishes_a_month_to_S3_and_the_reader_shows_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var bucket = await s3.CreateBucketAsync();
        var services = new ServiceCollection().AddPortalForTests(_folder.Path, realQueue: true);
        services.AddSingleton<IOptions<PortalOptions>>(Options.Create(new PortalOptions
        {
            DataFolder = _folder.Path, MaxConcurrentRuns = 1, ExtractStore = new ExtractStoreOptions { Kind = ExtractStoreKind.S3 },
        }));
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Aws:Region"] = "us-east-1", ["Aws:ServiceUrls:S3"] = s3.Endpoint, ["Aws:ExtractsBucket"] = bucket, ["Aws:ExtractsPrefix"] = "extracts",
        }).Build());
        services.AddSingleton<AWSCredentials>(S3Server.S3rverCredentials);
        await using var provider = services.BuildServiceProvider();
        Assert.IsType<S3ExtractStore>(provider.GetRequiredService<IExtractStore>());
        var reader = Assert.IsType<S3ExtractStoreReader>(provider.GetRequiredService<IExtractStoreReader>());

        var queue = provider.GetRequiredService<LocalRunQueue>();
        await queue.StartAsync(ct);
        try
        {
            var runs = provider.GetRequiredService<IRunService>();
            var month = ExtractMonth.PreviousOf(DateOnly.FromDateTime(DateTime.UtcNow));
            var started = Assert.Single(await runs.StartAsync(TestUsers.Operator, [month], "to MinIO", ct: ct));
            RunRecord? run = null;
            for (var i = 0; i < 300 && run?.IsActive != false; i++)
            {
                await Task.Delay(100, ct);
                run = await runs.GetAsync(TestUsers.Support, started.Run.RunId, ct);
            }
            Assert.Equal(RunState.Succeeded, run!.State);

            var manifest = await reader.GetManifestAsync(month, ct);
            Assert.NotNull(manifest);
            Assert.Equal(run.RunId, manifest.RunId);
            Assert.NotNull(await reader.GetRunManifestAsync(month, run.RunId, ct));
            var partitions = await reader.ListPartitionsAsync(ct);
            Assert.Equal(manifest.Files.Select(f => f.Key).Order(), partitions.Where(p => p.Month == month).Select(p => p.Key).Order());
            await using var file = await reader.OpenReadAsync(manifest.Files[0].Key, ct);
            using var copy = new MemoryStream();
            await file!.CopyToAsync(copy, ct);
            Assert.Equal(manifest.Files[0].Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(copy.ToArray())));
            Assert.False(Directory.Exists(_folder.StoreRoot) && Directory.EnumerateFiles(_folder.StoreRoot, "*.csv", SearchOption.AllDirectories).Any());
        }
        finally
        {
            await queue.StopAsync(CancellationToken.None);
        }
    }
}
