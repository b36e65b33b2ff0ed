using System.Security.Claims;
using ExtractPortal.Aws;
using ExtractPortal.Aws.Auth;
using ExtractPortal.Tests.Aws.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ExtractPortal.Tests.Aws.Auth;

public sealed class AlbTokenVerifierTests : IAsyncLifetime
{
    private AlbTestIssuer _alb = null!;
    private ServiceProvider _services = null!;
    private AlbTokenVerifier Verifier => _services.GetRequiredService<AlbTokenVerifier>();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _alb = await AlbTestIssuer.StartAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAlbOidcAuthentication(TestAws.Configuration(new() { ["Aws:Auth:PublicKeyEndpoint"] = _alb.Endpoint.ToString() }));
        _services = services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _alb.DisposeAsync();
    }

    private Task<ClaimsPrincipal> Verify(string token) => Verifier.VerifyAsync(token, AlbOidcAuthenticationHandler.SchemeName, Ct);

    private async Task<string> Refused(string token) => (await Assert.ThrowsAsync<AlbTokenException>(() => Verify(token))).Message;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_valid_token_gives_the_user_and_the_roles_of_known_groups(bool padded)
    {
        var token = _alb.Token(payload: AlbTestIssuer.Payload("operator", "auditor", "admins"), padded: padded);
        if (padded) Assert.Contains("=", token); // the fixture really produces AWS's padded form
        var user = await Verify(token);
        Assert.True(user.Identity!.IsAuthenticated);
        Assert.Equal("AlbOidc", user.Identity.AuthenticationType);
        Assert.Equal("olivia.operator", user.Identity.Name);
        Assert.Equal("olivia@example.com", user.FindFirstValue(ClaimTypes.Email));
        Assert.True(user.IsInRole("operator"));
        Assert.True(user.IsInRole("auditor"));
        Assert.False(user.IsInRole("admins"));
        Assert.False(user.IsInRole("support"));
    }

    [Fact]
    public async Task Keys_are_fetched_once_per_kid()
    {
        await Verify(_alb.Token());
        await Verify(_alb.Token(padded: false));
        Assert.Single(_alb.Requests);
    }

    [Fact]
    public async Task No_known_group_means_no_role()
    {
        var user = await Verify(_alb.Token(payload: AlbTestIssuer.Payload()));
        Assert.True(user.Identity!.IsAuthenticated);
        Assert.Empty(user.FindAll(ClaimTypes.Role));
        var other = await Verify(_alb.Token(payload: AlbTestIssuer.Payload("Operators", "OPERATOR")));
        Assert.Empty(other.FindAll(ClaimTypes.Role));
    }

    [Fact]
    public async Task A_bad_signature_is_refused()
    {
        Assert.Contains("signature", await Refused(_alb.Token(signWith: _alb.OtherKey)));
        // a valid signature over other claims: payload swapped after signing
        var good = _alb.Token(payload: AlbTestIssuer.Payload("support")).Split('.');
        var forged = _alb.Token(payload: AlbTestIssuer.Payload("operator")).Split('.');
        Assert.Contains("signature", await Refused(good[0] + "." + forged[1] + "." + good[2]));
    }

    [Fact]
    public async Task Another_load_balancer_is_refused_before_any_key_is_fetched()
    {
        var foreign = AlbTestIssuer.Header(signer: "arn:aws:elasticloadbalancing:eu-west-1:999999999999:loadbalancer/app/evil/0123456789abcdef");
        Assert.Contains("load balancer", await Refused(_alb.Token(header: foreign)));
        Assert.Empty(_alb.Requests);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var payload = AlbTestIssuer.Payload("operator");
        payload["exp"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds();
        Assert.Contains("expired", await Refused(_alb.Token(payload: payload)));
    }

    [Fact]
    public async Task Another_issuer_or_app_client_is_refused()
    {
        var payload = AlbTestIssuer.Payload("operator");
        payload["iss"] = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other";
        Assert.Contains("issuer", await Refused(_alb.Token(payload: payload)));
        var header = AlbTestIssuer.Header();
        header["client"] = "someone-else";
        Assert.Contains("client", await Refused(_alb.Token(header: header)));
    }

    [Fact]
    public async Task An_unknown_kid_is_refused_and_the_404_is_remembered()
    {
        var token = _alb.Token(header: AlbTestIssuer.Header(kid: "00000000-0000-4000-8000-000000000404"));
        Assert.Contains("404", await Refused(token));
        Assert.Contains("unknown", await Refused(token));
        Assert.Single(_alb.Requests);
    }

    [Fact]
    public async Task A_redirecting_key_server_is_not_followed()
    {
        Assert.Contains("302", await Refused(_alb.Token(header: AlbTestIssuer.Header(kid: AlbTestIssuer.RedirectKid))));
        Assert.Equal([AlbTestIssuer.RedirectKid], _alb.Requests);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("abc/def")]
    [InlineData("abc?x=1")]
    [InlineData("")]
    public async Task A_malformed_kid_never_reaches_the_key_server(string kid)
    {
        Assert.Contains("kid", await Refused(_alb.Token(header: AlbTestIssuer.Header(kid: kid))));
        Assert.Empty(_alb.Requests);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("!!!.e30=.AAAA")]
    public async Task Garbage_is_refused(string token) => await Refused(token);

    [Fact]
    public async Task Alg_none_or_HS256_is_refused()
    {
        foreach (var alg in new[] { "none", "HS256", "ES384" })
        {
            var header = AlbTestIssuer.Header();
            header["alg"] = alg;
            Assert.Contains("ES256", await Refused(_alb.Token(header: header)));
        }
    }

    [Theory]
    [InlineData("eyJ", new byte[] { })] // impossible length
    public void Base64url_rejects_impossible_lengths(string segment, byte[] _) =>
        Assert.Throws<AlbTokenException>(() => AlbTokenVerifier.Base64UrlDecode(segment[..1], "x"));

    [Fact]
    public void Base64url_accepts_padded_and_unpadded()
    {
        var bytes = new byte[] { 0xfb, 0xff, 0x01, 0x02 };
        Assert.Equal(bytes, AlbTokenVerifier.Base64UrlDecode(AlbTestIssuer.Encode(bytes, padded: true), "x"));
        Assert.Equal(bytes, AlbTokenVerifier.Base64UrlDecode(AlbTestIssuer.Encode(bytes, padded: false), "x"));
        Assert.Throws<AlbTokenException>(() => AlbTokenVerifier.Base64UrlDecode("+/8BAg==", "x")); // base64, not base64url
    }
}
