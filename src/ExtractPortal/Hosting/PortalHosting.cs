using ExtractPortal.Aws;
using ExtractPortal.Aws.Auth;
using ExtractPortal.Configuration;
using ExtractPortal.Features.Access;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace ExtractPortal.Hosting;

/// <summary>Options, logging, UI, authentication and the request pipeline of the portal.</summary>
public static class PortalHosting
{
    /// <summary>The validated "Portal" section (bad values stop the start with a message naming the setting).</summary>
    public static WebApplicationBuilder AddPortalOptions(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddJsonFile("appsettings.Local.json", optional: true, reloadOnChange: false);
        builder.Services.AddOptions<PortalOptions>()
            .Bind(builder.Configuration.GetSection(PortalOptions.Section))
            .ValidateDataAnnotations()
            // AWS mode adds its own checks (the Aws section, every seam implemented): Aws/AwsBackendRegistration.cs
            .Validate(o => o.Mode == PortalMode.Local || AwsBackendRegistration.IsRegistered(builder.Services),
                "Portal:Mode is Aws, but the AWS backends are not registered (services.AddAwsBackends); use Portal:Mode=Local")
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>Serilog: readable console lines in Development, compact JSON otherwise; run ids from the log context.</summary>
    public static WebApplicationBuilder AddPortalLogging(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Extensions.Http", LogEventLevel.Warning)
                .ReadFrom.Configuration(builder.Configuration)
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Application", "ExtractPortal");
            if (development)
                logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {RunId} {SourceContext}: {Message:lj}{NewLine}{Exception}");
            else
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
        });
        return builder;
    }

    public static IServiceCollection AddPortalUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();
        return services;
    }

    /// <summary>Cookie sign-in (local mode: the development sign-in page) or, in AWS mode, only the
    /// verified ALB/Cognito token (Aws/Auth); the role policies either way.</summary>
    public static WebApplicationBuilder AddPortalAccess(this WebApplicationBuilder builder)
    {
        if (builder.Configuration.IsAwsMode()) builder.Services.AddAwsAccess(builder.Configuration);
        else builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "ExtractPortal.Auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.LoginPath = "/signin";
                options.AccessDeniedPath = "/access-denied";
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                // Browsers navigating get the sign-in or access-denied page; downloads and API calls get 401/403.
                options.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = async context =>
                {
                    // A signed-in user asked for something their role does not allow (e.g. a support user's download): audited.
                    var audit = context.HttpContext.RequestServices.GetRequiredService<Features.Audit.AuditService>();
                    await audit.RecordAsync(context.HttpContext.User, Features.Audit.AuditActions.AccessDenied,
                        context.Request.Path.Value, detail: $"{context.Request.Method} refused by role");
                    await RedirectOrStatus(context, StatusCodes.Status403Forbidden);
                };
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.ViewRuns, p => p.RequireRole(Roles.All))
            .AddPolicy(Policies.OperateRuns, p => p.RequireRole(Roles.Operator))
            .AddPolicy(Policies.DownloadExtracts, p => p.RequireRole(Roles.Auditor))
            .AddPolicy(Policies.ViewAudit, p => p.RequireRole(Roles.Auditor));
        return builder;
    }

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var accept = context.Request.Headers.Accept.ToString();
        if (HttpMethods.IsGet(context.Request.Method) && accept.Contains("text/html", StringComparison.OrdinalIgnoreCase))
            context.Response.Redirect(context.RedirectUri);
        else
            context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    /// <summary>Friendly errors (never a stack trace), authentication, antiforgery, static assets.</summary>
    public static WebApplication UsePortalPipeline(this WebApplication app)
    {
        app.UseExceptionHandler("/Error", createScopeForErrors: true);
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseLocalSignInGuard();
        app.UseAuthentication();
        if (app.Configuration.IsAwsMode()) app.UseAlbAuthenticationGate(); // no verified ALB token: 401, whatever the path
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets();
        return app;
    }

    public static WebApplication MapPortalUi(this WebApplication app)
    {
        app.MapRazorComponents<Components.App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>Starts the portal; a configuration error ends it with one clear line instead of a stack trace.</summary>
    public static async Task<int> RunPortalAsync(this WebApplication app)
    {
        try
        {
            _ = app.Services.GetRequiredService<IOptions<PortalOptions>>().Value;   // validate before the host logs anything
            await app.RunAsync();
            return 0;
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync($"error: invalid configuration: {string.Join("; ", e.Failures)}");
            return 2;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"error: the portal could not start: {e.Message}");
            return 1;
        }
    }
}
