using ExtractPortal.Aws.Glue;
using ExtractPortal.Aws.Logs;
using ExtractPortal.Aws.Protocol;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ExtractPortal.Aws;

/// <summary>Registers the validated <see cref="AwsOptions"/> and the Glue and CloudWatch Logs clients.</summary>
public static class AwsClientRegistration
{
    public const string GlueHttpClient = "aws-glue";
    public const string LogsHttpClient = "aws-logs";

    /// <summary>The "Aws" section, validated at start-up (fail closed).</summary>
    public static OptionsBuilder<AwsOptions> AddAwsOptions(this IServiceCollection services, IConfiguration configuration) =>
        services.AddOptions<AwsOptions>()
            .Bind(configuration.GetSection(AwsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

    public static IServiceCollection AddAwsClients(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAwsOptions(configuration);
        services.TryAddSingleton<IAwsCredentialsSource, DefaultAwsCredentialsSource>();
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AwsOptions>>().Value;
            return new AwsRetryPolicy { MaxAttempts = o.MaxAttempts, AttemptTimeout = TimeSpan.FromSeconds(o.RequestTimeoutSeconds) };
        });
        services.TryAddSingleton<AwsRegion>(sp => new AwsRegion(sp.GetRequiredService<IOptions<AwsOptions>>().Value.ResolveRegion()));

        AddSignedClient(services, GlueHttpClient, GlueClient.SigningName);
        AddSignedClient(services, LogsHttpClient, CloudWatchLogsClient.SigningName);

        services.TryAddTransient(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AwsOptions>>().Value;
            var region = sp.GetRequiredService<AwsRegion>().Name;
            var service = new AwsJsonService(GlueClient.SigningName, GlueClient.TargetPrefix,
                AwsJsonService.ResolveEndpoint(o.ServiceUrls.Glue, "glue", region));
            return new GlueClient(JsonClient(sp, GlueHttpClient, service), o.GlueJobName);
        });
        services.TryAddTransient(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AwsOptions>>().Value;
            var region = sp.GetRequiredService<AwsRegion>().Name;
            var service = new AwsJsonService(CloudWatchLogsClient.SigningName, CloudWatchLogsClient.TargetPrefix,
                AwsJsonService.ResolveEndpoint(o.ServiceUrls.Logs, "logs", region));
            return new CloudWatchLogsClient(JsonClient(sp, LogsHttpClient, service));
        });
        services.TryAddTransient(sp => new GlueRunLogs(sp.GetRequiredService<CloudWatchLogsClient>(),
            sp.GetRequiredService<IOptions<AwsOptions>>().Value.GlueLogGroup));
        return services;
    }

    private static void AddSignedClient(IServiceCollection services, string name, string signingName) =>
        services.AddHttpClient(name, c => c.Timeout = Timeout.InfiniteTimeSpan) // per-attempt timeouts in AwsJsonClient
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(5),
            })
            .AddHttpMessageHandler(sp => new AwsSigV4Handler(sp.GetRequiredService<IAwsCredentialsSource>(),
                sp.GetRequiredService<AwsRegion>().Name, signingName));

    private static AwsJsonClient JsonClient(IServiceProvider sp, string httpClientName, AwsJsonService service) =>
        new(sp.GetRequiredService<IHttpClientFactory>().CreateClient(httpClientName), service,
            sp.GetRequiredService<AwsRetryPolicy>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<AwsJsonClient>());
}

/// <summary>The region requests are signed for and regional endpoints are built from.</summary>
public sealed record AwsRegion(string Name);
