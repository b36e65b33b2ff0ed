using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

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
    private TestHttpServer _server = null!;

    public RSA Key { get; } = RSA.Create(2048);
    public RSA OtherKey { get; } = RSA.Create(2048);
    private RSA Small { get; } = RSA.Create(1024);
    public ConcurrentQueue<string> Requests { get; } = new();
    public Uri Jwks { get; private set; } = null!;
    public Uri RedirectingJwks { get; private set; } = null!;

    private CognitoTestIssuer() { }

    public static async Task<CognitoTestIssuer> StartAsync()
    {
        var issuer = new CognitoTestIssuer();
        issuer._server = await TestHttpServer.StartAsync(issuer.HandleAsync);
        issuer.Jwks = new Uri(issuer._server.Root + "/jwks.json");
        issuer.RedirectingJwks = new Uri(issuer._server.Root + "/redirect.json");
        return issuer;
    }

    private async Task HandleAsync(HttpContext context)
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

    public string Token(Dictionary<string, object>? payload = null, string kid = Kid, RSA? signWith = null, string alg = "RS256") =>
        TestJwt.Create(new Dictionary<string, object> { ["kid"] = kid, ["alg"] = alg }, payload ?? Payload("operator"), padded: false,
            data => (signWith ?? Key).SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    public static string Encode(byte[] bytes) => TestJwt.Encode(bytes, padded: false);

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Key.Dispose();
        OtherKey.Dispose();
    }
}
