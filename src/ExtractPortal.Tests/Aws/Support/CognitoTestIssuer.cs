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
/// Plays the Cognito user pool in tests: an RSA key made here, its JWKS on 127.0.0.1
/// (<c>/jwks.json</c>; <c>/redirect.json</c> answers 302 to it), and access tokens shaped like the one the
/// ALB forwards in <c>x-amzn-oidc-accesstoken</c>.
/// </summary>
public sealed class CognitoTestIssuer : IAsyncDisposable
{
    public const string Kid = "Xq3pZk1N0sR4uVw8yA2bC5dE7fG9hJ0kL1mN3oP5qR=";
    public const string Subject = "0f6e4c1a-1111-2222-3333-444455556666";   // the same user as AlbTestIssuer.Payload
    private readonly WebApplication _app;

    public RSA Key { get; } = RSA.Create(2048);
    public RSA OtherKey { get; } = RSA.Create(2048);
    private RSA Small { get; } = RSA.Create(1024);
    public ConcurrentQueue<string> Requests { get; } = new();
    public Uri Jwks { get; private set; } = null!;
    public Uri RedirectingJwks { get; private set; } = null!;

    private CognitoTestIssuer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(async context =>
        {
            Requests.Enqueue(context.Request.Path.Value!);
            if (context.Request.Path == "/jwks.json")
            {
                var p = Key.ExportParameters(false);
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(JsonSerializer.Serialize(new
                {
                    keys = new object[]
                    {
                        new { alg = "RS256", e = Encode(p.Exponent!), kid = Kid, kty = "RSA", n = Encode(p.Modulus!), use = "sig" },
                        new { alg = "RS256", e = "AQAB", kid = "small", kty = "RSA", n = Encode(Small.ExportParameters(false).Modulus!), use = "sig" },   // 1024 bits: ignored
                        new { alg = "RS256", e = "AQAB", kid = "broken", kty = "RSA", n = "!!", use = "sig" },   // malformed: skipped
                    },
                }));
            }
            else if (context.Request.Path == "/redirect.json") context.Response.Redirect("/jwks.json");
            else context.Response.StatusCode = 404;
        });
    }

    public static async Task<CognitoTestIssuer> StartAsync()
    {
        var issuer = new CognitoTestIssuer();
        await issuer._app.StartAsync();
        var root = issuer._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        issuer.Jwks = new Uri(root + "/jwks.json");
        issuer.RedirectingJwks = new Uri(root + "/redirect.json");
        return issuer;
    }

    public static Dictionary<string, object> Payload(params string[] groups)
    {
        var p = new Dictionary<string, object>
        {
            ["sub"] = Subject, ["iss"] = TestAws.Issuer, ["token_use"] = "access", ["client_id"] = "abc", ["scope"] = "openid",
            ["username"] = "olivia.operator", ["exp"] = DateTimeOffset.UtcNow.AddMinutes(2).ToUnixTimeSeconds(),
            ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        };
        if (groups.Length > 0) p["cognito:groups"] = groups;
        return p;
    }

    public string Token(Dictionary<string, object>? payload = null, string kid = Kid, RSA? signWith = null, string alg = "RS256")
    {
        var h = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["kid"] = kid, ["alg"] = alg }));
        var p = Encode(JsonSerializer.SerializeToUtf8Bytes(payload ?? Payload("operator")));
        var signature = (signWith ?? Key).SignData(Encoding.ASCII.GetBytes(h + "." + p), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return h + "." + p + "." + Encode(signature);
    }

    public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_').TrimEnd('=');

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
        Key.Dispose();
        OtherKey.Dispose();
    }
}
