using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using ExtractPortal.Pipeline.Store;

[assembly: AssemblyFixture(typeof(ExtractPortal.Tests.Infrastructure.S3Server))]
[assembly: AssemblyFixture(typeof(ExtractPortal.Tests.Infrastructure.DynamoDbServer))]

namespace ExtractPortal.Tests.Infrastructure;

/// <summary>
/// A Node test server from the repository's node_modules (package.json: s3rver, dynalite) on
/// 127.0.0.1 at a free port, started once for the test run and stopped (this process only) after.
/// ./test.sh (scripts/install-test-deps.sh) runs <c>npm ci</c>; so does a plain <c>npm ci</c>.
/// </summary>
public abstract class NodeTestServer : IAsyncLifetime
{
    private Process? _process;

    /// <summary>Dummy static credentials (dynalite accepts any well-formed signature); never real keys.</summary>
    public static readonly AWSCredentials Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    public int Port { get; private set; }
    public string Endpoint => $"http://127.0.0.1:{Port}";
    protected string DataFolder { get; private set; } = "";

    protected abstract string Script { get; }
    protected virtual IEnumerable<string> NodeOptions => [];
    protected abstract IEnumerable<string> Arguments(int port);

    public async ValueTask InitializeAsync()
    {
        var root = RepositoryRoot();
        var script = Path.Combine(root, "node_modules", Script);
        if (!File.Exists(script))
            throw new InvalidOperationException($"{script} is missing: run 'npm ci' in {root} (./test.sh does it)");
        DataFolder = Directory.CreateTempSubdirectory("extractportal-node-").FullName;
        Port = FreePort();
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (var option in NodeOptions) start.ArgumentList.Add(option);
        start.ArgumentList.Add(script);
        foreach (var arg in Arguments(Port)) start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"{Script} exited early with code {_process.ExitCode}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new InvalidOperationException($"{Script} did not listen on 127.0.0.1:{Port} within 20 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();   // this process only (no process tree: node runs the server in-process)
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        try { if (DataFolder.Length > 0) Directory.Delete(DataFolder, recursive: true); } catch (IOException) { }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "package.json")) && File.Exists(Path.Combine(dir.FullName, "ExtractPortal.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException("the repository root (package.json) not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>s3rver 3.7.1: an S3-compatible server storing objects in a temp folder.</summary>
public sealed class S3Server : NodeTestServer
{
    protected override string Script => Path.Combine("s3rver", "bin", "s3rver.js");

    /// <summary>s3rver 3.7.1 encrypts ListObjectsV2 continuation tokens with a cipher OpenSSL 3 only has in its legacy provider.</summary>
    protected override IEnumerable<string> NodeOptions => ["--openssl-legacy-provider"];

    protected override IEnumerable<string> Arguments(int port) => ["-d", DataFolder, "-a", "127.0.0.1", "-p", port.ToString(), "--silent"];

    /// <summary>s3rver's built-in dummy account (it verifies SigV4 signatures against it); not an AWS key.</summary>
    public static readonly AWSCredentials S3rverCredentials = new BasicAWSCredentials("S3RVER", "S3RVER");

    /// <summary>A client as the app builds one for an endpoint override (path style, checksums when required).</summary>
    public AmazonS3Client Client() => S3ExtractStore.CreateClient("us-east-1", Endpoint, S3rverCredentials);

    /// <summary>A fresh, empty bucket.</summary>
    public async Task<string> CreateBucketAsync()
    {
        var name = $"extracts-{Guid.NewGuid():N}"[..24];
        using var client = Client();
        await client.PutBucketAsync(name);
        return name;
    }
}

/// <summary>dynalite 4.0.0: a DynamoDB-compatible server, in memory.</summary>
public sealed class DynamoDbServer : NodeTestServer
{
    protected override string Script => Path.Combine("dynalite", "cli.js");

    protected override IEnumerable<string> Arguments(int port) =>
        ["--port", port.ToString(), "--host", "127.0.0.1", "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"];

    public AmazonDynamoDBClient Client() =>
        new(Credentials, new AmazonDynamoDBConfig { ServiceURL = Endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 1 });
}
