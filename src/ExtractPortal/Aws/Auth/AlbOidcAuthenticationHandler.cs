using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ExtractPortal.Aws.Auth;

public sealed class AlbOidcAuthenticationOptions : AuthenticationSchemeOptions;

/// <summary>
/// AWS mode's only sign-in: the ALB authenticates with Cognito and forwards <c>x-amzn-oidc-data</c>;
/// this handler verifies it on every request (<see cref="AlbTokenVerifier"/>). No header: no result;
/// a bad header: failure; either way the challenge is a plain 401 (the ALB, not the app, sends people
/// to Cognito). There is no fallback to cookies or a development sign-in.
/// Blazor's circuit gets the principal of the request that opened it (the standard
/// ServerAuthenticationStateProvider + AddCascadingAuthenticationState).
/// </summary>
public sealed class AlbOidcAuthenticationHandler(
    IOptionsMonitor<AlbOidcAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder, AlbTokenVerifier verifier,
    CognitoAccessTokenVerifier accessTokens)
    : AuthenticationHandler<AlbOidcAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "AlbOidc";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var values = Request.Headers[AlbTokenVerifier.HeaderName];
        if (values.Count == 0) return AuthenticateResult.NoResult();
        if (values.Count > 1) return Fail("more than one x-amzn-oidc-data header");
        try
        {
            var principal = await verifier.VerifyAsync(values[0]!, SchemeName, Context.RequestAborted);
            // Roles: the Cognito access token's groups (the userInfo-based x-amzn-oidc-data may lack them);
            // without that header, or when the access token has no groups claim, the groups of x-amzn-oidc-data.
            var access = Request.Headers[CognitoAccessTokenVerifier.HeaderName];
            if (access.Count > 1) return Fail("more than one x-amzn-oidc-accesstoken header");
            if (access.Count == 1)
            {
                var subject = principal.FindFirstValue(ClaimTypes.NameIdentifier)!;
                if (await accessTokens.VerifyAsync(access[0]!, subject, Context.RequestAborted) is { } roles)
                    principal = WithRoles(principal, roles);
            }
            return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
        }
        catch (AlbTokenException e)
        {
            return Fail(e.Message);
        }
    }

    private static ClaimsPrincipal WithRoles(ClaimsPrincipal principal, IReadOnlyList<string> roles)
    {
        var identity = (ClaimsIdentity)principal.Identity!;
        var claims = identity.Claims.Where(c => c.Type != ClaimTypes.Role).Concat(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, identity.AuthenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    private AuthenticateResult Fail(string reason)
    {
        Logger.LogWarning("Refused x-amzn-oidc-data from {RemoteIp}: {Reason}", Context.Connection.RemoteIpAddress, reason);
        return AuthenticateResult.Fail(reason);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }
}
