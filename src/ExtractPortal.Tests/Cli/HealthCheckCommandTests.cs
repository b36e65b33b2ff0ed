using System.Net;
using System.Net.Sockets;
using ExtractPortal.Cli;

namespace ExtractPortal.Tests.Cli;

/// <summary>The healthcheck verb: the Dockerfile's HEALTHCHECK (the runtime image has no curl or wget).</summary>
public sealed class HealthCheckCommandTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null, "http://127.0.0.1:8080/healthz")]
    [InlineData("8080", "http://127.0.0.1:8080/healthz")]
    [InlineData("9090;8080", "http://127.0.0.1:9090/healthz")]
    [InlineData("not-a-port", "http://127.0.0.1:8080/healthz")]
    public void The_default_url_follows_ASPNETCORE_HTTP_PORTS(string? ports, string expected) =>
        Assert.Equal(expected, HealthCheckCommand.Parse([], ports).Url.ToString());

    [Fact]
    public async Task A_2xx_answer_is_healthy_and_anything_else_is_not()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var server = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                var context = await listener.GetContextAsync();
                context.Response.StatusCode = context.Request.Url!.AbsolutePath == "/healthz" ? 200 : 503;
                context.Response.Close();
            }
        }, _ct);

        var (okOut, okErr) = (new StringWriter(), new StringWriter());
        Assert.Equal(0, await HealthCheckCommand.RunAsync(["--url", $"http://127.0.0.1:{port}/healthz"], okOut, okErr, _ct));
        Assert.Contains("healthy", okOut.ToString());

        var (badOut, badErr) = (new StringWriter(), new StringWriter());
        Assert.Equal(1, await HealthCheckCommand.RunAsync(["--url", $"http://127.0.0.1:{port}/readyz"], badOut, badErr, _ct));
        Assert.Contains("answered 503", badErr.ToString());
        await server;
    }

    [Fact]
    public async Task Nothing_listening_is_unhealthy()
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        Assert.Equal(1, await HealthCheckCommand.RunAsync(["--url", $"http://127.0.0.1:{FreePort()}/healthz", "--timeout-seconds", "2"], stdout, stderr, _ct));
        Assert.StartsWith("unhealthy:", stderr.ToString());
    }

    [Theory]
    [InlineData("--url", "ftp://x/healthz")]
    [InlineData("--timeout-seconds", "0")]
    [InlineData("--bogus", "1")]
    public async Task A_wrong_command_line_exits_2(string name, string value)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        Assert.Equal(2, await HealthCheckCommand.RunAsync([name, value], stdout, stderr, _ct));
        Assert.Contains(HealthCheckCommand.Usage, stderr.ToString());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
