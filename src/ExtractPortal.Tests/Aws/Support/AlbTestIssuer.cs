using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExtractPortal.Tests.Aws.Support;

/// <summary>
/// Plays the ALB in tests: a P-256 key made here, a public-key server on 127.0.0.1 answering
/// GET /&lt;kid&gt; with the PEM (404 for unknown kids, a 302 for the "redirect" kid), and tokens shaped
/// like <c>x-amzn-oidc-data</c>, padded like AWS's or unpadded.
/// </summary>
public sealed class AlbTestIssuer : IAsyncDisposable
{
    public const string Kid = "6e5a7c51-3f6e-4d0c-9c2b-1f9f3d2a7b10";
    public const string RedirectKid = "7f000000-0000-4000-8000-000000000302";
    private readonly WebApplication _app;

    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public ECDsa OtherKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public ConcurrentQueue<string> Requests { get; } = new();
    public Uri Endpoint { get; private set; } = null!;

    private AlbTestIssuer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(async context =>
        {
            var kid = context.Request.Path.Value!.TrimStart('/');
            Requests.Enqueue(kid);
            if (kid == Kid) await context.Response.WriteAsync(Key.ExportSubjectPublicKeyInfoPem());
            else if (kid == RedirectKid) context.Response.Redirect("/" + Kid);
            else context.Response.StatusCode = 404;
        });
    }

    public static async Task<AlbTestIssuer> StartAsync()
    {
        var issuer = new AlbTestIssuer();
        await issuer._app.StartAsync();
        issuer.Endpoint = new Uri(issuer._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return issuer;
    }

    public static Dictionary<string, object> Header(string kid = Kid, string signer = TestAws.AlbArn) => new()
    {
        ["alg"] = "ES256", ["kid"] = kid, ["signer"] = signer, ["iss"] = TestAws.Issuer, ["client"] = "abc",
        ["exp"] = DateTimeOffset.UtcNow.AddMinutes(2).ToUnixTimeSeconds(),
    };

    public static Dictionary<string, object> Payload(params string[] groups)
    {
        var p = new Dictionary<string, object>
        {
            ["sub"] = "0f6e4c1a-1111-2222-3333-444455556666", ["username"] = "olivia.operator", ["email"] = "olivia@example.com",
            ["exp"] = DateTimeOffset.UtcNow.AddMinutes(2).ToUnixTimeSeconds(), ["iss"] = TestAws.Issuer,
        };
        if (groups.Length > 0) p["cognito:groups"] = groups;
        return p;
    }

    /// <summary>header.payload.signature; <paramref name="padded"/> keeps '=' like the ALB does.</summary>
    public string Token(Dictionary<string, object>? header = null, Dictionary<string, object>? payload = null, bool padded = true, ECDsa? signWith = null)
    {
        var h = Encode(JsonSerializer.SerializeToUtf8Bytes(header ?? Header()), padded);
        var p = Encode(JsonSerializer.SerializeToUtf8Bytes(payload ?? Payload("operator")), padded);
        var signature = (signWith ?? Key).SignData(Encoding.ASCII.GetBytes(h + "." + p), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return h + "." + p + "." + Encode(signature, padded);
    }

    public static string Encode(byte[] bytes, bool padded)
    {
        var s = Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
        return padded ? s : s.TrimEnd('=');
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
        Key.Dispose();
        OtherKey.Dispose();
    }
}
