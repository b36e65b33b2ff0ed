using Amazon.DynamoDBv2;
using ExtractPortal.Aws;
using ExtractPortal.Aws.DynamoDb;
using ExtractPortal.Aws.S3;
using ExtractPortal.Features.Audit;
using ExtractPortal.Features.Extracts;
using ExtractPortal.Features.Runs;
using ExtractPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ExtractPortal.Tests.Aws;

/// <summary>AddAwsStateBackends resolves the seams against S3/DynamoDB endpoint overrides, and its /readyz checks pass.</summary>
public sealed class AwsStateRegistrationTests(S3Server s3, DynamoDbServer dynamo)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_seams_resolve_and_the_readiness_checks_pass()
    {
        var bucket = await s3.CreateBucketAsync();
        var (runs, audit) = ("runs-" + Guid.NewGuid().ToString("N")[..10], "audit-" + Guid.NewGuid().ToString("N")[..10]);
        using (var client = dynamo.Client())
        {
            await DynamoTables.CreateAsync(client, DynamoTables.RunsTable(runs), Ct);
            await DynamoTables.CreateAsync(client, DynamoTables.AuditTable(audit), Ct);
        }
        var services = new ServiceCollection();
        services.AddSingleton(S3Server.S3rverCredentials);   // dummy: s3rver's account (dynalite takes any)
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.Configure<AwsOptions>(o =>
        {
            o.Region = "eu-west-1";
            o.ExtractsBucket = bucket;
            o.RunsTable = runs;
            o.AuditTable = audit;
            o.ServiceUrls.S3 = s3.Endpoint;
            o.ServiceUrls.DynamoDB = dynamo.Endpoint;
        });
        services.AddAwsStateBackends();
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<S3ExtractStoreReader>(provider.GetRequiredService<IExtractStoreReader>());
        Assert.IsType<DynamoRunStore>(provider.GetRequiredService<IRunStore>());
        Assert.IsType<DynamoAuditTrail>(provider.GetRequiredService<IAuditTrail>());
        Assert.Equal("extracts", provider.GetRequiredService<ExtractPortal.Pipeline.Store.S3StoreLocation>().Prefix);

        var start = await provider.GetRequiredService<IRunStore>().StartOrGetActiveAsync(new NewRun("2026-03", "op@example", "di", null), Ct);
        Assert.False(start.AlreadyActive);

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);
        Assert.Equal(["dynamodb", "extract-store"], report.Entries.Keys.Order());
        Assert.True(report.Status == HealthStatus.Healthy, string.Join("; ", report.Entries.Select(e => $"{e.Key}: {e.Value.Description}")));
    }
}
