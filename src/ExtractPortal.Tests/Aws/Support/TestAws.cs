using Amazon.Runtime;
using ExtractPortal.Aws;
using ExtractPortal.Aws.Protocol;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ExtractPortal.Tests.Aws.Support;

/// <summary>A complete, valid "Aws" section with fake values (nothing here is a secret) and the test credentials.</summary>
public static class TestAws
{
    public const string Region = "eu-west-1";
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string AlbArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/extract-portal/50dc6c495c0c9188";
    public const string UserPoolId = "eu-west-1_Example1";
    public const string Issuer = "https://cognito-idp.eu-west-1.amazonaws.com/" + UserPoolId;

    public static Dictionary<string, string?> Settings(Dictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Aws:Region"] = Region,
            ["Aws:GlueJobName"] = "extract-portal-monthly",
            ["Aws:ExtractsBucket"] = "extracts-bucket",
            ["Aws:RunsTable"] = "portal-runs",
            ["Aws:AuditTable"] = "portal-audit",
            ["Aws:Auth:AlbArn"] = AlbArn,
            ["Aws:Auth:Issuer"] = Issuer,
            ["Aws:Auth:UserPoolId"] = UserPoolId,
            ["Aws:Auth:LogoutUrl"] = "https://auth.example.com/logout?client_id=abc&logout_uri=https%3A%2F%2Fportal.example.com%2F",
            ["Aws:Auth:ClientId"] = "abc",
            ["Aws:DataProtection:Bucket"] = "portal-keys",
            ["Aws:GlueSyncIntervalSeconds"] = "0",   // no background calls to AWS endpoints unless a test turns it on
        };
        foreach (var (k, v) in overrides ?? []) settings[k] = v;
        return settings;
    }

    public static IConfiguration Configuration(Dictionary<string, string?>? overrides = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(Settings(overrides)).Build();

    public static AWSCredentials Credentials => new BasicAWSCredentials(AccessKey, SecretKey);

    /// <summary>Fast retries for tests: same policy shape, millisecond delays.</summary>
    public static AwsRetryPolicy FastRetry(int attempts = 4, int attemptTimeoutMs = 5000) => new()
    {
        MaxAttempts = attempts,
        BaseDelay = TimeSpan.FromMilliseconds(2),
        ThrottlingBaseDelay = TimeSpan.FromMilliseconds(5),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromMilliseconds(attemptTimeoutMs),
    };

    /// <summary>The production registration pointed at the fake servers, with test credentials and fast retries.</summary>
    public static ServiceProvider Clients(Uri? glue = null, Uri? logs = null, AwsRetryPolicy? retry = null,
        Dictionary<string, string?>? overrides = null, AWSCredentials? credentials = null)
    {
        var o = new Dictionary<string, string?>(overrides ?? [])
        {
            ["Aws:ServiceUrls:Glue"] = glue?.ToString(),
            ["Aws:ServiceUrls:Logs"] = logs?.ToString(),
        };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IAwsCredentialsSource>(new StaticAwsCredentialsSource(credentials ?? Credentials));
        services.AddSingleton(retry ?? FastRetry());
        services.AddAwsClients(Configuration(o));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
