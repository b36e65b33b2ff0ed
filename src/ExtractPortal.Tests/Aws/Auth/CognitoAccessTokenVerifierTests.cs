using ExtractPortal.Aws;
using ExtractPortal.Aws.Auth;
using ExtractPortal.Tests.Aws.Support;

namespace ExtractPortal.Tests.Aws.Auth;

/// <summary>The access token of <c>x-amzn-oidc-accesstoken</c>: RS256 with the pool's JWKS (keys made in the test), claims, sub binding.</summary>
public sealed class CognitoAccessTokenVerifierTests : IAsyncLifetime
{
    private CognitoTestIssuer _pool = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _pool = await CognitoTestIssuer.StartAsync();
    public async ValueTask DisposeAsync() => await _pool.DisposeAsync();

    private static AwsAuthOptions Options => new() { Issuer = TestAws.Issuer, ClientId = "abc", UserPoolId = TestAws.UserPoolId };

    private CognitoAccessTokenVerifier Verifier(Uri? jwks = null) =>
        new(new CognitoJwksProvider(new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }), jwks ?? _pool.Jwks, TimeProvider.System), Options, TimeProvider.System);

    private async Task<string> RefusedAsync(string token, string subject = CognitoTestIssuer.Subject, CognitoAccessTokenVerifier? verifier = null) =>
        (await Assert.ThrowsAsync<AlbTokenException>(() => (verifier ?? Verifier()).VerifyAsync(token, subject, Ct))).Message;

    [Fact]
    public async Task A_valid_token_gives_its_groups_as_roles()
    {
        var roles = await Verifier().VerifyAsync(_pool.Token(CognitoTestIssuer.Payload("operator", "auditor", "admins")), CognitoTestIssuer.Subject, Ct);
        Assert.Equal(["operator", "auditor"], roles);
        Assert.Null(await Verifier().VerifyAsync(_pool.Token(CognitoTestIssuer.Payload()), CognitoTestIssuer.Subject, Ct));   // no groups claim
    }

    [Fact]
    public async Task Wrong_sub_expired_wrong_client_wrong_pool_and_id_tokens_are_refused()
    {
        Assert.Contains("another user", await RefusedAsync(_pool.Token(), subject: "someone-else"));
        var expired = CognitoTestIssuer.Payload("operator");
        expired["exp"] = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
        Assert.Contains("expired", await RefusedAsync(_pool.Token(expired)));
        var client = CognitoTestIssuer.Payload("operator");
        client["client_id"] = "other-client";
        Assert.Contains("another app client", await RefusedAsync(_pool.Token(client)));
        var pool = CognitoTestIssuer.Payload("operator");
        pool["iss"] = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other";
        Assert.Contains("user pool", await RefusedAsync(_pool.Token(pool)));
        var id = CognitoTestIssuer.Payload("operator");
        id["token_use"] = "id";
        Assert.Contains("not an access token", await RefusedAsync(_pool.Token(id)));
    }

    [Fact]
    public async Task Bad_signatures_algorithms_and_shapes_are_refused()
    {
        Assert.Contains("signature", await RefusedAsync(_pool.Token(signWith: _pool.OtherKey)));
        Assert.Contains("RS256", await RefusedAsync(_pool.Token(alg: "none")));
        Assert.Contains("RS256", await RefusedAsync(_pool.Token(alg: "HS256")));
        var parts = _pool.Token().Split('.');
        var swapped = parts[0] + "." + CognitoTestIssuer.Encode(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(CognitoTestIssuer.Payload("auditor"))) + "." + parts[2];
        Assert.Contains("signature", await RefusedAsync(swapped));
        Assert.Contains("header.payload.signature", await RefusedAsync("garbage"));
    }

    [Fact]
    public async Task An_unknown_kid_refetches_the_key_set_at_most_once_per_interval()
    {
        var verifier = Verifier();
        Assert.NotNull(await verifier.VerifyAsync(_pool.Token(), CognitoTestIssuer.Subject, Ct));
        Assert.Contains("key set", await RefusedAsync(_pool.Token(kid: "unknown-kid"), verifier: verifier));
        Assert.Contains("key set", await RefusedAsync(_pool.Token(kid: "another-unknown"), verifier: verifier));
        Assert.Equal(1, _pool.Requests.Count(r => r == "/jwks.json"));   // fetched within the last 30 s: unknown kids do not refetch
        Assert.Contains("key set", await RefusedAsync(_pool.Token(kid: "small")));   // a key under 2048 bits is never used
    }

    [Fact]
    public async Task A_redirecting_key_set_endpoint_is_not_followed()
    {
        Assert.Contains("302", await RefusedAsync(_pool.Token(), verifier: Verifier(_pool.RedirectingJwks)));
        Assert.DoesNotContain("/jwks.json", _pool.Requests);
    }

    [Fact]
    public void The_options_need_the_user_pool_and_it_must_match_the_issuer()
    {
        var missing = new AwsOptions { GlueJobName = "j", ExtractsBucket = "b", RunsTable = "r", AuditTable = "a",
            Auth = new AwsAuthOptions { AlbArn = TestAws.AlbArn, Issuer = TestAws.Issuer, ClientId = "abc", LogoutUrl = "https://x/logout" },
            DataProtection = new AwsDataProtectionOptions { Bucket = "k" } };
        Assert.Contains(missing.Validate(new(missing)), r => r.ErrorMessage!.Contains("Aws:Auth:UserPoolId is required"));
        missing.Auth.UserPoolId = "eu-west-1_Other";
        Assert.Contains(missing.Validate(new(missing)), r => r.ErrorMessage!.Contains("is not the issuer of user pool"));
        missing.Auth.UserPoolId = TestAws.UserPoolId;
        Assert.Empty(missing.Validate(new(missing)));
        Assert.Equal(TestAws.Issuer + "/.well-known/jwks.json", missing.Auth.ResolveJwksEndpoint().ToString());
    }
}
