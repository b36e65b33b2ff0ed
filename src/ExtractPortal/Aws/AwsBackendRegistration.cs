using ExtractPortal.Aws.Auth;
using ExtractPortal.Aws.DataProtection;
using ExtractPortal.Aws.Glue;
using ExtractPortal.Aws.Logs;
using ExtractPortal.Configuration;
using ExtractPortal.Features.Audit;
using ExtractPortal.Features.Backfills;
using ExtractPortal.Features.Extracts;
using ExtractPortal.Features.Health;
using ExtractPortal.Features.Runs;
using ExtractPortal.Local;
using Microsoft.AspNetCore.Authentication;

namespace ExtractPortal.Aws;

/// <summary>What <c>Portal:Mode=Aws</c> changes in the host: backends, sign-in, Data Protection.</summary>
public static class AwsBackendRegistration
{
    /// <summary>
    /// The portal's seams; AWS mode refuses to start unless each has an implementation registered.
    /// (<c>IOdsSourceProvider</c> is not one: in AWS mode the portal never reads the ODS, Glue does.)
    /// </summary>
    public static readonly Type[] Seams =
        [typeof(IRunStore), typeof(IRunLauncher), typeof(IRunLogs), typeof(IExtractStoreReader), typeof(IAuditTrail), typeof(IBackfillStore)];

    public static bool IsAwsMode(this IConfiguration configuration) =>
        configuration.GetSection(PortalOptions.Section).GetValue<PortalMode>(nameof(PortalOptions.Mode)) == PortalMode.Aws;

    /// <summary>
    /// AWS mode: the validated "Aws" section, the Glue and CloudWatch Logs clients, the Data Protection
    /// key ring in S3. The S3 extract store and the DynamoDB run index, month guard and audit trail
    /// register their seam implementations next to these; any seam left without one stops the start
    /// with a message naming it (fail closed, never a half-local portal).
    /// </summary>
    public static IServiceCollection AddAwsBackends(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<AwsBackendsMarker>();
        services.AddAwsClients(configuration);
        services.AddAwsStateBackends();   // S3 extract store reader, DynamoDB run index + month guard + audit trail + backfills
        services.AddGlueRuns();           // Glue launcher, run-state sync, CloudWatch run logs
        services.AddS3DataProtection(configuration);
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<PortalOptions>>(new SeamsImplemented(services));
        services.AddOptions<PortalOptions>().ValidateOnStart();
        return services;
    }

    /// <summary>Runs in Glue: <see cref="GlueRunLauncher"/> (IRunLauncher), the hosted <see cref="GlueRunSync"/>
    /// and <see cref="CloudWatchRunLogs"/> (IRunLogs), over the run index of the state backends.</summary>
    public static IServiceCollection AddGlueRuns(this IServiceCollection services)
    {
        services.AddSingleton<GlueRunLauncher>();
        services.AddSingleton<IRunLauncher>(sp => sp.GetRequiredService<GlueRunLauncher>());
        services.AddSingleton<GlueRunSync>();
        services.AddHostedService(sp => sp.GetRequiredService<GlueRunSync>());
        services.AddSingleton<IRunLogs>(sp => new CloudWatchRunLogs(sp.GetRequiredService<DynamoDb.DynamoRunIndex>(), sp,
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<AwsOptions>>().Value));
        services.AddHealthChecks();
        services.PostConfigure<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckServiceOptions>(options =>
            AwsStateRegistration.AddCheckOnce(options, "glue", sp => ActivatorUtilities.CreateInstance<GlueHealthCheck>(sp)));
        return services;
    }

    public static bool IsRegistered(IServiceCollection services) => services.Any(d => d.ServiceType == typeof(AwsBackendsMarker));

    private sealed class AwsBackendsMarker;

    public static IReadOnlyList<Type> MissingSeams(IServiceCollection services) =>
        Seams.Where(seam => services.All(d => d.ServiceType != seam)).ToList();

    /// <summary>AWS mode's authentication: the verified ALB token only (no cookie, no development sign-in).</summary>
    public static AuthenticationBuilder AddAwsAccess(this IServiceCollection services, IConfiguration configuration) =>
        services.AddAlbOidcAuthentication(configuration);

    private sealed class SeamsImplemented(IServiceCollection services) : Microsoft.Extensions.Options.IValidateOptions<PortalOptions>
    {
        public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, PortalOptions options)
        {
            var missing = MissingSeams(services);
            return missing.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
                : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(
                    $"Portal:Mode is Aws, but this build has no AWS implementation of {string.Join(", ", missing.Select(t => t.Name))}; use Portal:Mode=Local");
        }
    }
}
