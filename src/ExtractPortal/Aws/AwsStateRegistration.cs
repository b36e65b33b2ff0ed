using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.S3;
using ExtractPortal.Aws.DynamoDb;
using ExtractPortal.Aws.S3;
using ExtractPortal.Configuration;
using ExtractPortal.Features.Audit;
using ExtractPortal.Features.Backfills;
using ExtractPortal.Features.Extracts;
using ExtractPortal.Features.Health;
using ExtractPortal.Features.Runs;
using ExtractPortal.Pipeline.Store;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ExtractPortal.Aws;

/// <summary>
/// AWS mode's shared state and extract store (docs/aws-mode-state.md): the S3 reader, the DynamoDB
/// run index with the per-month guard, and the DynamoDB audit trail. Credentials and region come from
/// the SDK's default chains (the ECS task role in AWS; a profile or environment variables locally);
/// Aws:ServiceUrls:S3 / :DynamoDB point the clients at S3/DynamoDB-compatible servers.
/// Needs <see cref="AwsOptions"/> bound and validated (the AWS client registration does that).
/// </summary>
public static class AwsStateRegistration
{
    public static IServiceCollection AddAwsStateBackends(this IServiceCollection services)
    {
        services.AddOptions<AwsOptions>();
        // Credentials: an AWSCredentials registered in the container (tests), else the SDK's default chain.
        services.AddSingleton<IAmazonS3>(sp => CreateS3Client(sp.GetRequiredService<IOptions<AwsOptions>>().Value, sp.GetService<AWSCredentials>()));
        services.AddSingleton<IAmazonDynamoDB>(sp => CreateDynamoDbClient(sp.GetRequiredService<IOptions<AwsOptions>>().Value, sp.GetService<AWSCredentials>()));
        services.AddSingleton(sp => ExtractsLocation(sp.GetRequiredService<IOptions<AwsOptions>>().Value));
        services.AddSingleton<IExtractStoreReader>(sp => new S3ExtractStoreReader(sp.GetRequiredService<IAmazonS3>(), sp.GetRequiredService<S3StoreLocation>()));
        services.AddSingleton(sp => new DynamoRunIndex(sp.GetRequiredService<IAmazonDynamoDB>(),
            sp.GetRequiredService<IOptions<AwsOptions>>().Value.RunsTable, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new DynamoAuditLog(sp.GetRequiredService<IAmazonDynamoDB>(),
            sp.GetRequiredService<IOptions<AwsOptions>>().Value.AuditTable, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IRunStore, DynamoRunStore>();
        services.AddSingleton<IAuditTrail, DynamoAuditTrail>();
        services.AddSingleton<IBackfillStore>(sp => new DynamoBackfillStore(sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<DynamoRunIndex>()));
        // /readyz checks, added after every other registration and only under names not taken yet (a
        // host or test that stands in other backends for some seams keeps its own checks).
        services.AddHealthChecks();
        services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            AddCheckOnce(options, "extract-store", sp => ActivatorUtilities.CreateInstance<ExtractStoreHealthCheck>(sp));
            AddCheckOnce(options, "dynamodb", sp => ActivatorUtilities.CreateInstance<DynamoTablesHealthCheck>(sp));
        });
        return services;
    }

    /// <summary>Each AWS readiness check gives up after this (the ALB's health check must get an answer quickly).</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(5);

    internal static void AddCheckOnce(HealthCheckServiceOptions options, string name, Func<IServiceProvider, IHealthCheck> factory)
    {
        if (options.Registrations.All(r => r.Name != name))
            options.Registrations.Add(new HealthCheckRegistration(name, factory, failureStatus: null, tags: [HealthEndpoints.ReadyTag], timeout: ReadyTimeout));
    }

    /// <summary>The extracts bucket and prefix (the Glue job's --output_bucket and --output_prefix).</summary>
    public static S3StoreLocation ExtractsLocation(AwsOptions aws) =>
        string.IsNullOrWhiteSpace(aws.ExtractsBucket)
            ? throw new InvalidOperationException("Aws:ExtractsBucket is not set: the S3 extract store needs the extracts bucket")
            : new S3StoreLocation(aws.ExtractsBucket, aws.ExtractsPrefix,
                string.IsNullOrWhiteSpace(aws.ExtractsKmsKeyId) ? null : aws.ExtractsKmsKeyId.Trim());

    public static AmazonS3Client CreateS3Client(AwsOptions aws, AWSCredentials? credentials = null) =>
        S3ExtractStore.CreateClient(string.IsNullOrWhiteSpace(aws.ServiceUrls.S3) ? aws.ResolveRegion() : aws.Region, aws.ServiceUrls.S3, credentials);

    public static AmazonDynamoDBClient CreateDynamoDbClient(AwsOptions aws, AWSCredentials? credentials = null)
    {
        var config = new AmazonDynamoDBConfig();
        if (!string.IsNullOrWhiteSpace(aws.ServiceUrls.DynamoDB))
        {
            config.ServiceURL = aws.ServiceUrls.DynamoDB;
            config.AuthenticationRegion = string.IsNullOrWhiteSpace(aws.Region) ? "us-east-1" : aws.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(aws.ResolveRegion());
        }
        return credentials is null ? new AmazonDynamoDBClient(config) : new AmazonDynamoDBClient(credentials, config);
    }

    /// <summary>
    /// The store the local engine publishes to (CLI, and the local run queue once it takes an
    /// <see cref="IExtractStore"/>): the folder by default, S3 with Portal:ExtractStore:Kind=S3.
    /// An explicit output folder (the CLI's --output) always wins.
    /// </summary>
    public static IExtractStore CreateEngineStore(PortalOptions portal, AwsOptions? aws, string? outputFolder, ILoggerFactory? loggers = null,
        AWSCredentials? credentials = null)
    {
        if (outputFolder is not null || portal.ExtractStore.Kind == ExtractStoreKind.Folder)
            return new LocalExtractStore(outputFolder ?? portal.ExtractStoreFolder);
        aws ??= new AwsOptions();
        return new S3ExtractStore(CreateS3Client(aws, credentials), ExtractsLocation(aws),
            Path.Combine(portal.ResolvedDataFolder, "s3-staging"), TimeProvider.System, loggers?.CreateLogger<S3ExtractStore>());
    }
}

/// <summary>/readyz: both DynamoDB tables answer DescribeTable.</summary>
public sealed class DynamoTablesHealthCheck(IAmazonDynamoDB dynamo, DynamoRunIndex runs, DynamoAuditLog audit) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            foreach (var table in new[] { runs.TableName, audit.TableName })
            {
                var description = await dynamo.DescribeTableAsync(new DescribeTableRequest { TableName = table }, ct);
                if (description.Table.TableStatus != TableStatus.ACTIVE && description.Table.TableStatus != TableStatus.UPDATING)
                    return HealthCheckResult.Unhealthy($"DynamoDB table {table} is {description.Table.TableStatus}");
            }
            return HealthCheckResult.Healthy($"DynamoDB tables {runs.TableName}, {audit.TableName}");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"DynamoDB not reachable: {e.Message.Split('\n')[0]}");
        }
    }
}
