using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExtractPortal.Tests.Aws.Support;

/// <summary>
/// The HTTP server under the tests' fake AWS endpoints (key servers, JSON services): Kestrel on
/// 127.0.0.1 with a free port, one request delegate, no logging; disposing stops it (2 s at most).
/// </summary>
public sealed class TestHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:50123</c> (no trailing slash).</summary>
    public string Root { get; }

    private TestHttpServer(WebApplication app, string root)
    {
        _app = app;
        Root = root;
    }

    public static async Task<TestHttpServer> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        return new TestHttpServer(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
