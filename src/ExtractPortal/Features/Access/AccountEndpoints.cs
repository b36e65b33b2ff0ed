using System.Net;
using System.Security.Claims;
using ExtractPortal.Configuration;
using ExtractPortal.Features.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ExtractPortal.Features.Access;

/// <summary>
/// The development sign-in of local mode: pick one of three demo users. It exists only in local
/// mode and answers only requests from the loopback address; anything else gets 404.
/// </summary>
public static class AccountEndpoints
{
    public const string SignInPage = "/signin";
    public const string SignInPost = "/account/signin";
    public const string SignOutPost = "/account/signout";

    public static bool IsLoopback(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address);

    public static WebApplication UseLocalSignInGuard(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (path.StartsWithSegments(SignInPage) || path.StartsWithSegments(SignInPost))
            {
                var options = context.RequestServices.GetRequiredService<IOptions<PortalOptions>>().Value;
                if (options.Mode != PortalMode.Local || !IsLoopback(context))
                {
                    // A bare 404, as if the page did not exist (no status page re-executed with this method).
                    if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }
            }
            await next(context);
        });
        return app;
    }

    public static WebApplication MapAccountEndpoints(this WebApplication app)
    {
        if (ExtractPortal.Aws.AwsBackendRegistration.IsAwsMode(app.Configuration))
        {
            // AWS mode: no development sign-in at all; sign-out ends the ALB session and goes to Cognito.
            ExtractPortal.Aws.Auth.AlbAuthRegistration.MapAlbSignOut(app);
            return app;
        }
        app.MapPost(SignInPost, async (HttpContext context, [FromForm] string user, [FromForm] string? returnUrl, AuditService audit) =>
        {
            var demo = DemoUsers.Find(user);
            if (demo is null) return Results.BadRequest("unknown demo user");
            var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, demo.UserName),
                new Claim("display_name", demo.DisplayName),
                new Claim(ClaimTypes.Role, demo.Role),
            ], CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role));
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
            await audit.RecordAsync(principal, AuditActions.SignedIn, detail: "development sign-in (local mode)");
            return Results.LocalRedirect(SafeReturnUrl(returnUrl));
        }).AllowAnonymous();

        app.MapPost(SignOutPost, async (HttpContext context, AuditService audit) =>
        {
            if (context.User.Identity?.IsAuthenticated == true) await audit.RecordAsync(context.User, AuditActions.SignedOut);
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect(SignInPage);
        }).AllowAnonymous();
        return app;
    }

    /// <summary>Only a local path of this app (never //host or a scheme): no open redirect.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\")
            ? returnUrl : "/runs";
}
