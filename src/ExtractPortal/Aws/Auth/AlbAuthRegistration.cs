using ExtractPortal.Features.Access;
using ExtractPortal.Features.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ExtractPortal.Aws.Auth;

/// <summary>AWS mode's sign-in (ALB + Cognito), its request gate and its sign-out.</summary>
public static class AlbAuthRegistration
{
    public const string SignOutPath = "/account/signout";
    private static readonly string[] OpenPaths = ["/healthz", "/readyz"];

    /// <summary>The AlbOidc scheme as the only and default scheme; needs the validated <see cref="AwsOptions"/>.</summary>
    public static AuthenticationBuilder AddAlbOidcAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAwsOptions(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(AlbPublicKeyProvider.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(5))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(3) });
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AwsOptions>>().Value;
            var endpoint = o.Auth.PublicKeyEndpoint.Replace("{region}", o.ResolveRegion(), StringComparison.Ordinal);
            return new AlbPublicKeyProvider(sp.GetRequiredService<IHttpClientFactory>().CreateClient(AlbPublicKeyProvider.HttpClientName),
                new Uri(endpoint, UriKind.Absolute), sp.GetRequiredService<TimeProvider>());
        });
        services.AddHttpClient(CognitoJwksProvider.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(5))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(3) });
        services.TryAddSingleton(sp => new CognitoJwksProvider(sp.GetRequiredService<IHttpClientFactory>().CreateClient(CognitoJwksProvider.HttpClientName),
            sp.GetRequiredService<IOptions<AwsOptions>>().Value.Auth.ResolveJwksEndpoint(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new CognitoAccessTokenVerifier(sp.GetRequiredService<CognitoJwksProvider>(),
            sp.GetRequiredService<IOptions<AwsOptions>>().Value.Auth, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new AlbTokenVerifier(sp.GetRequiredService<AlbPublicKeyProvider>(),
            sp.GetRequiredService<IOptions<AwsOptions>>().Value.Auth, sp.GetRequiredService<TimeProvider>()));
        return services.AddAuthentication(o =>
            {
                o.DefaultScheme = AlbOidcAuthenticationHandler.SchemeName;
                o.DefaultAuthenticateScheme = AlbOidcAuthenticationHandler.SchemeName;
                o.DefaultChallengeScheme = AlbOidcAuthenticationHandler.SchemeName;
                o.DefaultForbidScheme = AlbOidcAuthenticationHandler.SchemeName;
            })
            .AddScheme<AlbOidcAuthenticationOptions, AlbOidcAuthenticationHandler>(AlbOidcAuthenticationHandler.SchemeName, _ => { });
    }

    /// <summary>
    /// After UseAuthentication: every request except the health probes (the ALB's target-group checks
    /// carry no token) needs a verified token, pages, Blazor's hub, downloads and static files alike.
    /// </summary>
    public static IApplicationBuilder UseAlbAuthenticationGate(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (OpenPaths.Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase)) ||
                context.User.Identity?.IsAuthenticated == true)
            {
                await next(context);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.CacheControl = "no-store";
        });

    /// <summary>POST /account/signout: audit, expire the ALB session cookie shards, go to Cognito's logout.</summary>
    public static IEndpointRouteBuilder MapAlbSignOut(this IEndpointRouteBuilder app)
    {
        app.MapPost(SignOutPath, async (HttpContext context, IOptions<AwsOptions> options, IServiceProvider services) =>
        {
            if (context.User.Identity?.IsAuthenticated == true && services.GetService<AuditService>() is { } audit)
                await audit.RecordAsync(context.User, AuditActions.SignedOut);
            ExpireAlbSessionCookies(context.Response, options.Value.Auth.SessionCookieName);
            context.Response.Headers.CacheControl = "no-store";
            return Results.Redirect(options.Value.Auth.LogoutUrl);
        });
        return app;
    }

    public static void ExpireAlbSessionCookies(HttpResponse response, string cookieName)
    {
        for (var shard = 0; shard <= 3; shard++)
            response.Cookies.Delete($"{cookieName}-{shard}", new CookieOptions { Path = "/", Secure = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
    }
}
