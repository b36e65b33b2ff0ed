using Amazon.S3;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace ExtractPortal.Aws.DataProtection;

public static class DataProtectionRegistration
{
    /// <summary>Data Protection with its key ring in S3 (SSE-KMS) under the configured application name.</summary>
    public static IServiceCollection AddS3DataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(AwsOptions.Section).Get<AwsOptions>() ?? new AwsOptions();
        services.AddDataProtection().SetApplicationName(options.DataProtection.ApplicationName);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(km =>
        {
            var o = sp.GetRequiredService<IOptions<AwsOptions>>().Value;
            km.XmlRepository = new S3XmlRepository(CreateS3Client(o), o.DataProtection.Bucket, o.DataProtection.Prefix,
                o.DataProtection.KmsKeyId, sp.GetRequiredService<ILogger<S3XmlRepository>>());
        }));
        return services;
    }

    /// <summary>An S3 client for the configured region, or the ServiceUrls:S3 override (path-style) for VPC endpoints and tests.
    /// Credentials: the SDK's default chain (the ECS task role in AWS).</summary>
    public static AmazonS3Client CreateS3Client(AwsOptions o, Amazon.Runtime.AWSCredentials? credentials = null)
    {
        var config = new AmazonS3Config();
        if (!string.IsNullOrWhiteSpace(o.ServiceUrls.S3))
        {
            config.ServiceURL = o.ServiceUrls.S3;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = o.ResolveRegion();
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(o.ResolveRegion());
        }
        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }
}
