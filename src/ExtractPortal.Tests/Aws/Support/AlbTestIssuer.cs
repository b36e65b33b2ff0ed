using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

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
    private TestHttpServer _server = null!;

    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public ECDsa OtherKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public ConcurrentQueue<string> Requests { get; } = new();
    public Uri Endpoint { get; private set; } = null!;

    private AlbTestIssuer() { }

    public static async Task<AlbTestIssuer> StartAsync()
    {
        var issuer = new AlbTestIssuer();
        issuer._server = await TestHttpServer.StartAsync(issuer.HandleAsync);
        issuer.Endpoint = new Uri(issuer._server.Root);
        return issuer;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var kid = context.Request.Path.Value!.TrimStart('/');
        Requests.Enqueue(kid);
        if (kid == Kid) await context.Response.WriteAsync(Key.ExportSubjectPublicKeyInfoPem());
        else if (kid == RedirectKid) context.Response.Redirect("/" + Kid);
        else context.Response.StatusCode = 404;
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
    public string Token(Dictionary<string, object>? header = null, Dictionary<string, object>? payload = null, bool padded = true, ECDsa? signWith = null) =>
        TestJwt.Create(header ?? Header(), payload ?? Payload("operator"), padded,
            data => (signWith ?? Key).SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    public static string Encode(byte[] bytes, bool padded) => TestJwt.Encode(bytes, padded);

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Key.Dispose();
        OtherKey.Dispose();
    }
}
