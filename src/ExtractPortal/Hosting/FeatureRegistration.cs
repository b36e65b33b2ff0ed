using Amazon.Runtime;
using ExtractPortal.Aws;
using ExtractPortal.Aws.S3;
using ExtractPortal.Configuration;
using ExtractPortal.Features.Audit;
using ExtractPortal.Features.Backfills;
using ExtractPortal.Features.Extracts;
using ExtractPortal.Features.Health;
using ExtractPortal.Features.Runs;
using ExtractPortal.Local;
using ExtractPortal.Pipeline.Store;
using Microsoft.Extensions.Options;

namespace ExtractPortal.Hosting;

/// <summary>Per-feature services (mode independent) and the local backends behind their interfaces.</summary>
public static class FeatureRegistration
{
    public static IServiceCollection AddRuns(this IServiceCollection services) => services.AddScoped<IRunService, RunService>();
    public static IServiceCollection AddExtracts(this IServiceCollection services) => services.AddScoped<ExtractService>();
    public static IServiceCollection AddBackfills(this IServiceCollection services) => services.AddScoped<BackfillService>();
    public static IServiceCollection AddAudit(this IServiceCollection services) => services.AddScoped<AuditService>();

    /// <summary>
    /// Local mode: SQLite (<c>&lt;DataFolder&gt;/portal.db</c>) for runs, backfills and audit; run logs in
    /// <c>&lt;DataFolder&gt;/runs/</c>; the local extract store; the DuckDB engine in a hosted queue.
    /// </summary>
    public static IServiceCollection AddLocalBackends(this IServiceCollection services)
    {
        services.AddSingleton(sp => new PortalDatabase(Path.Combine(sp.GetRequiredService<IOptions<PortalOptions>>().Value.ResolvedDataFolder, PortalDatabase.FileName)));
        services.AddSingleton(sp => new LocalExtractStore(sp.GetRequiredService<IOptions<PortalOptions>>().Value.ExtractStoreFolder));
        // Where the local engine publishes and the pages read: the folder, or with Portal:ExtractStore:Kind=S3
        // the Aws:ExtractsBucket/Aws:ExtractsPrefix (the Docker stack's MinIO; Aws:ServiceUrls:S3).
        services.AddSingleton<IExtractStore>(sp =>
        {
            var portal = sp.GetRequiredService<IOptions<PortalOptions>>().Value;
            return portal.ExtractStore.Kind == ExtractStoreKind.Folder ? sp.GetRequiredService<LocalExtractStore>()
                : AwsStateRegistration.CreateEngineStore(portal, StoreAwsOptions(sp), null, sp.GetService<ILoggerFactory>(), sp.GetService<AWSCredentials>());
        });
        services.AddSingleton(sp => new LocalRunLogs(Path.Combine(sp.GetRequiredService<IOptions<PortalOptions>>().Value.ResolvedDataFolder, "runs")));
        services.AddSingleton<IRunLogs>(sp => sp.GetRequiredService<LocalRunLogs>());
        services.AddSingleton<IRunStore, SqliteRunStore>();
        services.AddSingleton<IAuditTrail, SqliteAuditTrail>();
        services.AddSingleton<IBackfillStore, SqliteBackfillStore>();
        services.AddSingleton<IExtractStoreReader>(sp =>
        {
            if (sp.GetRequiredService<IOptions<PortalOptions>>().Value.ExtractStore.Kind == ExtractStoreKind.Folder)
                return new LocalExtractStoreReader(sp.GetRequiredService<LocalExtractStore>());
            var aws = StoreAwsOptions(sp);
            return new S3ExtractStoreReader(AwsStateRegistration.CreateS3Client(aws, sp.GetService<AWSCredentials>()), AwsStateRegistration.ExtractsLocation(aws));
        });
        services.AddSingleton<IOdsSourceProvider, OdsSourceProvider>();
        services.AddSingleton<LocalRunQueue>();
        services.AddSingleton<IRunLauncher>(sp => sp.GetRequiredService<LocalRunQueue>());
        services.AddHostedService(sp => sp.GetRequiredService<LocalRunQueue>());
        services.AddHealthChecks()
            .AddCheck<OdsHealthCheck>("ods", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<ExtractStoreHealthCheck>("extract-store", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<DatabaseHealthCheck>("portal-database", tags: [HealthEndpoints.ReadyTag]);
        return services;
    }

    /// <summary>The "Aws" section as the S3 extract store needs it in local mode (bucket, prefix, region, ServiceUrls:S3).</summary>
    private static AwsOptions StoreAwsOptions(IServiceProvider sp) =>
        sp.GetService<IConfiguration>()?.GetSection(AwsOptions.Section).Get<AwsOptions>() ?? new AwsOptions();
}
