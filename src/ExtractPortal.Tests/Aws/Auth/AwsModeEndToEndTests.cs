using System.Net;
using ExtractPortal.Aws.DataProtection;
using ExtractPortal.Hosting;
using ExtractPortal.Tests.Aws.DataProtection;
using ExtractPortal.Tests.Aws.Support;
using ExtractPortal.Tests.Support;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ExtractPortal.Tests.Aws.Auth;

/// <summary>
/// The real portal (Program.cs) in AWS mode on Kestrel: the ALB token is the only way in. The seams
/// the AWS state part implements are stood in for by the local backends here (this suite is about
/// sign-in); the Data Protection key ring lives in s3rver.
/// </summary>
public sealed class AwsModeEndToEndTests(KeyRingS3rver s3rver) : IClassFixture<KeyRingS3rver>, IAsyncLifetime
{
    private AlbTestIssuer _alb = null!;
    private CognitoTestIssuer _pool = null!;
    private PortalApp _app = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _alb = await AlbTestIssuer.StartAsync();
        _pool = await CognitoTestIssuer.StartAsync();
        var settings = TestAws.Settings(new()
        {
            ["Portal:Mode"] = "Aws",
            ["Portal:EnvironmentName"] = "AWS TEST",
            ["Aws:Auth:PublicKeyEndpoint"] = _alb.Endpoint.ToString(),
            ["Aws:Auth:JwksEndpoint"] = _pool.Jwks.ToString(),
            ["Aws:ServiceUrls:S3"] = s3rver.Url,
            ["Aws:DataProtection:Bucket"] = KeyRingS3rver.Bucket,
        });
        _app = PortalApp.Start(services =>
        {
            services.AddLocalBackends();
            services.PostConfigure<KeyManagementOptions>(km =>
                km.XmlRepository = new S3XmlRepository(s3rver.Client(), KeyRingS3rver.Bucket, "e2e-" + Guid.NewGuid().ToString("N")[..8], null));
        }, settings);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _alb.DisposeAsync();
        await _pool.DisposeAsync();
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? token, string? accessToken = null)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");
        if (token is not null) request.Headers.TryAddWithoutValidation("x-amzn-oidc-data", token);
        if (accessToken is not null) request.Headers.TryAddWithoutValidation("x-amzn-oidc-accesstoken", accessToken);
        return await client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task A_verified_operator_sees_the_runs_page_with_name_and_role()
    {
        using var response = await GetAsync("/runs", _alb.Token(payload: AlbTestIssuer.Payload("operator")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("_framework/blazor.web", html); // the interactive shell; the circuit gets the same principal
    }

    [Fact]
    public async Task Unpadded_tokens_work_too()
    {
        using var response = await GetAsync("/runs", _alb.Token(payload: AlbTestIssuer.Payload("support"), padded: false));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Missing_forged_expired_and_foreign_tokens_get_401_everywhere()
    {
        var expired = AlbTestIssuer.Payload("operator");
        expired["exp"] = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
        var tokens = new Dictionary<string, string?>
        {
            ["missing"] = null,
            ["forged"] = _alb.Token(signWith: _alb.OtherKey),
            ["expired"] = _alb.Token(payload: expired),
            ["foreign ALB"] = _alb.Token(header: AlbTestIssuer.Header(signer: "arn:aws:elasticloadbalancing:eu-west-1:999999999999:loadbalancer/app/other/0123456789abcdef")),
            ["unknown kid"] = _alb.Token(header: AlbTestIssuer.Header(kid: "00000000-0000-4000-8000-000000000404")),
            ["garbage"] = "not-a-token",
        };
        foreach (var (name, token) in tokens)
            foreach (var path in new[] { "/runs", "/audit", "/", "/app.css", "/_framework/blazor.web.js", "/account/signout" })
            {
                using var response = await GetAsync(path, token);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{name} {path}: {response.StatusCode}");
            }
    }

    [Fact]
    public async Task Roles_come_from_the_verified_Cognito_access_token()
    {
        var noGroups = _alb.Token(payload: AlbTestIssuer.Payload());   // userInfo without cognito:groups
        using (var none = await GetAsync("/runs", noGroups)) Assert.Equal(HttpStatusCode.Forbidden, none.StatusCode);
        using (var ok = await GetAsync("/runs", noGroups, _pool.Token(CognitoTestIssuer.Payload("support")))) Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        // the access token decides over x-amzn-oidc-data's groups
        using (var auditOnly = await GetAsync("/audit", _alb.Token(payload: AlbTestIssuer.Payload("auditor")), _pool.Token(CognitoTestIssuer.Payload("support"))))
            Assert.Equal(HttpStatusCode.Forbidden, auditOnly.StatusCode);
        // without the access token header, x-amzn-oidc-data's groups are used
        using (var fallback = await GetAsync("/audit", _alb.Token(payload: AlbTestIssuer.Payload("auditor")))) Assert.Equal(HttpStatusCode.OK, fallback.StatusCode);

        var otherUser = CognitoTestIssuer.Payload("auditor");
        otherUser["sub"] = "another-user";
        var expired = CognitoTestIssuer.Payload("auditor");
        expired["exp"] = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
        var otherClient = CognitoTestIssuer.Payload("auditor");
        otherClient["client_id"] = "nope";
        var otherPool = CognitoTestIssuer.Payload("auditor");
        otherPool["iss"] = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other";
        foreach (var (name, access) in new[]
        {
            ("wrong sub", _pool.Token(otherUser)), ("expired", _pool.Token(expired)), ("wrong client", _pool.Token(otherClient)),
            ("wrong pool", _pool.Token(otherPool)), ("unknown kid", _pool.Token(kid: "unknown")), ("forged", _pool.Token(signWith: _pool.OtherKey)),
        })
        {
            using var response = await GetAsync("/runs", noGroups, access);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{name}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_user_without_a_known_group_is_signed_in_but_gets_no_page()
    {
        using var response = await GetAsync("/runs", _alb.Token(payload: AlbTestIssuer.Payload("admins")));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var audit = await GetAsync("/audit", _alb.Token(payload: AlbTestIssuer.Payload("operator")));
        Assert.Equal(HttpStatusCode.Forbidden, audit.StatusCode);
    }

    [Fact]
    public async Task Health_probes_need_no_token_and_the_development_sign_in_does_not_exist()
    {
        using var health = await GetAsync("/healthz", null);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var signIn = await GetAsync("/signin", _alb.Token());
        Assert.Equal(HttpStatusCode.NotFound, signIn.StatusCode);
        using var client = new HttpClient { BaseAddress = _app.BaseAddress };
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/signin") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = "olivia.operator" }) };
        post.Headers.TryAddWithoutValidation("x-amzn-oidc-data", _alb.Token());
        using var posted = await client.SendAsync(post, Ct);
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
    }

    [Fact]
    public async Task Sign_out_expires_the_ALB_cookies_and_goes_to_the_Cognito_logout()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/signout");
        request.Headers.TryAddWithoutValidation("x-amzn-oidc-data", _alb.Token(payload: AlbTestIssuer.Payload("auditor")));
        using var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(TestAws.Settings()["Aws:Auth:LogoutUrl"], response.Headers.Location!.ToString());
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        for (var shard = 0; shard <= 3; shard++)
            Assert.Contains(cookies, c => c.StartsWith($"AWSELBAuthSessionCookie-{shard}=;") && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));

        using var anonymous = new HttpRequestMessage(HttpMethod.Post, "/account/signout");
        using var refused = await client.SendAsync(anonymous, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        // the sign-out was audited under the verified user's name; auditors may export, operators may not
        using var export = await GetAsync("/audit/export.csv", _alb.Token(payload: AlbTestIssuer.Payload("auditor")));
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var csv = await export.Content.ReadAsStringAsync(Ct);
        Assert.Contains("user.signed-out", csv);
        Assert.Contains("olivia.operator", csv);
        using var denied = await GetAsync("/audit/export.csv", _alb.Token(payload: AlbTestIssuer.Payload("operator")));
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public void Aws_mode_without_its_auth_settings_does_not_start()
    {
        using var folder = new TempDataFolder();
        using var factory = PortalApp.Create(folder.Path, services => services.AddLocalBackends(), new Dictionary<string, string?> { ["Portal:Mode"] = "Aws" });
        var e = Assert.ThrowsAny<Exception>(() => factory.Server);
        var message = e is OptionsValidationException o ? string.Join("\n", o.Failures) : e.ToString();
        Assert.Contains("Aws:Auth:AlbArn", message);
        Assert.Contains("Aws:Auth:Issuer", message);
    }

    [Fact]
    public void Aws_mode_with_a_seam_left_unimplemented_does_not_start()
    {
        using var folder = new TempDataFolder();
        var settings = TestAws.Settings(new() { ["Portal:Mode"] = "Aws" });
        using var factory = PortalApp.Create(folder.Path,
            services => services.RemoveAll<ExtractPortal.Features.Backfills.IBackfillStore>(), settings);
        var e = Assert.ThrowsAny<Exception>(() => factory.Server);
        // Development validates the container first (naming the unresolvable seam); Production stops at the options check.
        Assert.Contains("IBackfillStore", e.ToString());
    }
}
