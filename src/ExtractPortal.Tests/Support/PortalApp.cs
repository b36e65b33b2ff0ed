using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ExtractPortal.Tests.Support;

/// <summary>The real portal (Program.cs) on Kestrel at a free 127.0.0.1 port, with its own data folder.</summary>
public sealed partial class PortalApp : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;
    private readonly TempDataFolder _folder;

    private PortalApp(WebApplicationFactory<Program> factory, TempDataFolder folder, Uri baseAddress)
    {
        _factory = factory;
        _folder = folder;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }
    public string DataFolder => _folder.Path;
    public string StoreRoot => _folder.StoreRoot;
    public IServiceProvider Services => _factory.Services;

    public static PortalApp Start(Action<IServiceCollection>? services = null, IDictionary<string, string?>? settings = null)
    {
        var folder = new TempDataFolder();
        var factory = Create(folder.Path, services, settings);
        factory.UseKestrel();
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new UriBuilder(address) { Host = "127.0.0.1" }.Uri;
        return new PortalApp(factory, folder, uri);
    }

    public static WebApplicationFactory<Program> Create(string dataFolder, Action<IServiceCollection>? services = null, IDictionary<string, string?>? settings = null) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("urls", "http://127.0.0.1:0");
            builder.UseSetting("Portal:DataFolder", dataFolder);
            builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
            builder.UseSetting("Serilog:MinimumLevel:Override:Microsoft", "Warning");
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
            if (services is not null) builder.ConfigureTestServices(services);
        });

    /// <summary>A client with its own cookies, signed in through the real development sign-in as the given role (null: anonymous).</summary>
    public async Task<HttpClient> ClientAsync(string? role)
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress };
        if (role is null) return client;
        var page = await client.GetStringAsync("/signin");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        var user = ExtractPortal.Features.Access.DemoUsers.All.First(u => u.Role == role).UserName;
        using var response = await client.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["user"] = user, ["returnUrl"] = "/runs", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        }));
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in as {role} gave {response.StatusCode}");
        return client;
    }

    /// <summary>Sends the request line exactly as given (no client-side URL normalisation) and returns status and body.</summary>
    public async Task<(int Status, string Body)> RawGetAsync(string rawPath, string? cookieHeader = null)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(BaseAddress.Host, BaseAddress.Port);
        await using var stream = tcp.GetStream();
        var request = $"GET {rawPath} HTTP/1.1\r\nHost: {BaseAddress.Authority}\r\nConnection: close\r\n" +
                      (cookieHeader is null ? "" : $"Cookie: {cookieHeader}\r\n") + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var status = int.Parse(response.Split(' ', 3)[1]);
        var body = response.Contains("\r\n\r\n") ? response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..] : "";
        return (status, body);
    }

    public string CookieHeader(HttpClient client)
    {
        var handler = (HttpClientHandler)typeof(HttpMessageInvoker).GetField("_handler", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(client)!;
        return handler.CookieContainer.GetCookieHeader(BaseAddress);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        _folder.Dispose();
    }
}
