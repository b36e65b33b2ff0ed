using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ExtractPortal.Aws;
using ExtractPortal.Aws.DataProtection;
using ExtractPortal.Tests.Aws.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace ExtractPortal.Tests.Aws.DataProtection;

/// <summary>s3rver (npm, S3-compatible) on 127.0.0.1 for the Data Protection key ring tests.</summary>
public sealed class KeyRingS3rver : IAsyncLifetime
{
    private Process? _process;
    private string _folder = "";
    public int Port { get; private set; }
    public string Url => $"http://127.0.0.1:{Port}";
    public const string Bucket = "portal-keys";
    // s3rver's built-in development credentials (not a secret).
    public static AWSCredentials Credentials => new BasicAWSCredentials("S3RVER", "S3RVER");

    public async ValueTask InitializeAsync()
    {
        var script = Path.Combine(RepoPaths.Root, "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script)) throw new InvalidOperationException("node_modules/s3rver missing: run ./scripts/install-test-deps.sh (npm ci)");
        _folder = Directory.CreateTempSubdirectory("extractportal-dpkeys-").FullName;
        using (var l = new TcpListener(IPAddress.Loopback, 0)) { l.Start(); Port = ((IPEndPoint)l.LocalEndpoint).Port; }
        _process = Process.Start(new ProcessStartInfo("node", [script, "-d", _folder, "-a", "127.0.0.1", "-p", Port.ToString(), "--silent"])
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try { using var c = new TcpClient(); await c.ConnectAsync(IPAddress.Loopback, Port); break; }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited) { await Task.Delay(100); }
        }
        using var s3 = Client();
        await s3.PutBucketAsync(Bucket);
    }

    public AmazonS3Client Client() => DataProtectionRegistration.CreateS3Client(
        new AwsOptions { Region = TestAws.Region, ServiceUrls = new AwsServiceUrls { S3 = Url } }, Credentials);

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false }) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
        _process?.Dispose();
        try { Directory.Delete(_folder, true); } catch (IOException) { }
    }
}

public sealed class S3XmlRepositoryTests(KeyRingS3rver s3rver) : IClassFixture<KeyRingS3rver>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Keys_are_stored_one_object_each_under_the_prefix_with_SSE_KMS_and_read_back()
    {
        var prefix = "dp-" + Guid.NewGuid().ToString("N")[..8];
        using var s3 = s3rver.Client();
        var repository = new S3XmlRepository(s3, KeyRingS3rver.Bucket, prefix, "alias/portal-keys");
        Assert.Empty(await repository.GetAllElementsAsync(Ct));

        repository.StoreElement(new XElement("key", new XAttribute("id", "1"), "one"), "0b3a6c4e-1");
        repository.StoreElement(new XElement("key", new XAttribute("id", "2"), "two"), "../../evil name");

        var all = repository.GetAllElements();
        Assert.Equal(["one", "two"], all.Select(e => e.Value).Order());
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = KeyRingS3rver.Bucket, Prefix = prefix + "/" }, Ct);
        Assert.Equal(2, listed.S3Objects.Count);
        Assert.All(listed.S3Objects, o => Assert.Matches($"^{prefix}/key-[A-Za-z0-9-]+\\.xml$", o.Key));
        Assert.Contains(listed.S3Objects, o => o.Key == $"{prefix}/key-0b3a6c4e-1.xml");
    }

    [Fact]
    public async Task Two_instances_share_one_key_ring_so_a_protected_value_survives_a_restart()
    {
        var prefix = "dp-" + Guid.NewGuid().ToString("N")[..8];
        var settings = new Dictionary<string, string?>
        {
            ["Aws:ServiceUrls:S3"] = s3rver.Url, ["Aws:DataProtection:Bucket"] = KeyRingS3rver.Bucket, ["Aws:DataProtection:Prefix"] = prefix,
        };
        ServiceProvider Instance()
        {
            var services = new ServiceCollection();
            services.AddLogging();
            var configuration = TestAws.Configuration(settings);
            services.AddAwsOptions(configuration);
            services.AddS3DataProtection(configuration);
            // the instance's S3 client with s3rver's credentials instead of the default chain
            services.PostConfigure<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(km =>
                km.XmlRepository = new S3XmlRepository(s3rver.Client(), KeyRingS3rver.Bucket, prefix, null));
            return services.BuildServiceProvider();
        }

        string protectedText;
        await using (var first = Instance())
            protectedText = first.GetRequiredService<IDataProtectionProvider>().CreateProtector("antiforgery").Protect("hello");
        await using var second = Instance();
        Assert.Equal("hello", second.GetRequiredService<IDataProtectionProvider>().CreateProtector("antiforgery").Unprotect(protectedText));

        using var s3 = s3rver.Client();
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = KeyRingS3rver.Bucket, Prefix = prefix + "/" }, Ct);
        Assert.Single(listed.S3Objects);
    }
}
