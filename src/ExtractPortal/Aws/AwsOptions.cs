using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace ExtractPortal.Aws;

/// <summary>
/// The "Aws" configuration section, used when <c>Portal:Mode</c> is <c>Aws</c>. Validated at start-up
/// (fail closed): a missing or malformed value stops the app with a message naming the setting.
/// Shared by the Glue/Logs clients, the S3 extract store, the DynamoDB run index/audit trail,
/// the ALB-Cognito sign-in and the Data Protection key ring.
/// </summary>
public sealed partial class AwsOptions : IValidatableObject
{
    public const string Section = "Aws";

    /// <summary>AWS region, e.g. <c>eu-west-1</c>. Empty: the SDK's default region chain (AWS_REGION, profile, ECS/EC2 metadata).</summary>
    public string? Region { get; set; }

    /// <summary>The Glue job that produces the extracts (Terraform output <c>glue_job_name</c>).</summary>
    public string GlueJobName { get; set; } = "";

    /// <summary>Custom continuous-logging group (<c>--continuous-log-logGroup</c>); empty means Glue's
    /// defaults <c>/aws-glue/jobs/output</c> and <c>/aws-glue/jobs/error</c>.</summary>
    public string? GlueLogGroup { get; set; }

    /// <summary>The extracts bucket (the Glue job's <c>--output_bucket</c>).</summary>
    public string ExtractsBucket { get; set; } = "";

    /// <summary>The extract root inside the bucket (the Glue job's <c>--output_prefix</c>).</summary>
    public string ExtractsPrefix { get; set; } = "extracts";

    /// <summary>KMS key (id, ARN or alias) the local engine's S3 store writes extracts with (SSE-KMS, the Glue
    /// job's <c>--kms_key_id</c>); empty: the bucket's default <c>aws:kms</c> key. The portal only reads in AWS mode.</summary>
    public string? ExtractsKmsKeyId { get; set; }

    /// <summary>How often the Glue run-state sync refreshes active runs and imports runs started outside
    /// the portal (the schedule). 0 turns the sync off (tests and tools only: runs would never finish).</summary>
    [Range(0, 3600)]
    public int GlueSyncIntervalSeconds { get; set; } = 15;

    /// <summary>Optional endpoint overrides (VPC endpoints, tests).</summary>
    public AwsServiceUrls ServiceUrls { get; set; } = new();

    /// <summary>DynamoDB table of the portal's run index and per-month guard.</summary>
    public string RunsTable { get; set; } = "";

    /// <summary>DynamoDB table of the audit trail.</summary>
    public string AuditTable { get; set; } = "";

    public AwsAuthOptions Auth { get; set; } = new();

    public AwsDataProtectionOptions DataProtection { get; set; } = new();

    /// <summary>Per-attempt timeout of a Glue/Logs call.</summary>
    [Range(1, 120)]
    public int RequestTimeoutSeconds { get; set; } = 15;

    /// <summary>Attempts of a Glue/Logs call (1 = no retry).</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 4;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Region is { Length: > 0 } r && !RegionPattern().IsMatch(r))
            yield return Error($"Aws:Region '{r}' is not a region name like eu-west-1", nameof(Region));
        if (string.IsNullOrWhiteSpace(GlueJobName))
            yield return Error("Aws:GlueJobName is required in AWS mode (the Glue job's name)", nameof(GlueJobName));
        if (GlueLogGroup is { Length: > 0 } g && !LogGroupPattern().IsMatch(g))
            yield return Error($"Aws:GlueLogGroup '{g}' is not a valid CloudWatch log group name", nameof(GlueLogGroup));
        if (string.IsNullOrWhiteSpace(ExtractsBucket))
            yield return Error("Aws:ExtractsBucket is required in AWS mode (the extracts bucket)", nameof(ExtractsBucket));
        if (ExtractsPrefix.StartsWith('/') || ExtractsPrefix.EndsWith('/') ||
            ExtractsPrefix.Split('/').Any(s => s is "" or "." or ".."))
            yield return Error("Aws:ExtractsPrefix must be a key prefix without leading/trailing '/' and no empty, '.' or '..' segments", nameof(ExtractsPrefix));
        if (string.IsNullOrWhiteSpace(RunsTable))
            yield return Error("Aws:RunsTable is required in AWS mode (DynamoDB run index)", nameof(RunsTable));
        if (string.IsNullOrWhiteSpace(AuditTable))
            yield return Error("Aws:AuditTable is required in AWS mode (DynamoDB audit trail)", nameof(AuditTable));
        foreach (var (name, url) in ServiceUrls.All())
            if (url is { Length: > 0 } && !IsHttpUrl(url))
                yield return Error($"Aws:ServiceUrls:{name} '{url}' is not an absolute http(s) URL", $"ServiceUrls.{name}");
        foreach (var e in Auth.Validate()) yield return e;
        foreach (var e in DataProtection.Validate()) yield return e;
    }

    /// <summary>The region to sign for: the configured one, else the SDK's default chain.</summary>
    public string ResolveRegion()
    {
        if (!string.IsNullOrWhiteSpace(Region)) return Region;
        var fromEnv = Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION");
        if (!string.IsNullOrWhiteSpace(fromEnv)) return fromEnv;
        try
        {
            var sdk = Amazon.Runtime.FallbackRegionFactory.GetRegionEndpoint();
            if (sdk is not null) return sdk.SystemName;
        }
        catch (Exception) { /* no region anywhere: reported below */ }
        throw new InvalidOperationException("No AWS region: set Aws:Region or AWS_REGION");
    }

    internal static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp);

    internal static ValidationResult Error(string message, string member) => new(message, [member]);

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex(@"^[\.\-_/#A-Za-z0-9]{1,512}$")]
    private static partial Regex LogGroupPattern();
}

/// <summary>Endpoint overrides; empty means the regional AWS endpoint.</summary>
public sealed class AwsServiceUrls
{
    public string? Glue { get; set; }
    public string? Logs { get; set; }
    public string? S3 { get; set; }
    public string? DynamoDB { get; set; }

    internal IEnumerable<(string Name, string? Url)> All() =>
        [(nameof(Glue), Glue), (nameof(Logs), Logs), (nameof(S3), S3), (nameof(DynamoDB), DynamoDB)];
}

/// <summary>ALB + Cognito sign-in (the ALB forwards <c>x-amzn-oidc-data</c>; the app verifies it).</summary>
public sealed partial class AwsAuthOptions
{
    public const string DefaultPublicKeyEndpoint = "https://public-keys.auth.elb.{region}.amazonaws.com";

    /// <summary>ARN of the ALB that authenticates users; the token's <c>signer</c> must equal it.</summary>
    public string AlbArn { get; set; } = "";

    /// <summary>The Cognito user pool issuer, e.g. <c>https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123</c>.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>Cognito hosted-UI logout endpoint, e.g. <c>https://auth.example.com/logout?client_id=...&amp;logout_uri=...</c>.</summary>
    public string LogoutUrl { get; set; } = "";

    /// <summary>The Cognito user pool id, e.g. <c>eu-west-1_AbC123</c>: the issuer of the access token the ALB
    /// forwards in <c>x-amzn-oidc-accesstoken</c> (its <c>cognito:groups</c> are the roles).</summary>
    public string UserPoolId { get; set; } = "";

    /// <summary>Where the user pool's signing keys are fetched (RS256, by kid); empty:
    /// <c>&lt;Issuer&gt;/.well-known/jwks.json</c>. Only tests point it elsewhere.</summary>
    public string? JwksEndpoint { get; set; }

    /// <summary>The Cognito app client id the ALB uses (the token's <c>client</c> claim when present).</summary>
    public string ClientId { get; set; } = "";

    /// <summary>Where ALB public keys are fetched by kid; <c>{region}</c> is replaced by the region.</summary>
    public string PublicKeyEndpoint { get; set; } = DefaultPublicKeyEndpoint;

    /// <summary>Name of the ALB's session cookie (the listener rule's <c>session_cookie_name</c>); the ALB
    /// shards it into <c>-0</c> .. <c>-3</c>. Sign-out expires all shards.</summary>
    public string SessionCookieName { get; set; } = "AWSELBAuthSessionCookie";

    /// <summary>Clock skew accepted on <c>exp</c>.</summary>
    public int ClockSkewSeconds { get; set; } = 60;

    internal IEnumerable<ValidationResult> Validate()
    {
        if (string.IsNullOrWhiteSpace(AlbArn))
            yield return AwsOptions.Error("Aws:Auth:AlbArn is required in AWS mode (sign-in is verified against the ALB's ARN)", "Auth.AlbArn");
        else if (!AlbArnPattern().IsMatch(AlbArn))
            yield return AwsOptions.Error($"Aws:Auth:AlbArn '{AlbArn}' is not an application load balancer ARN", "Auth.AlbArn");
        if (string.IsNullOrWhiteSpace(Issuer))
            yield return AwsOptions.Error("Aws:Auth:Issuer is required in AWS mode (the Cognito user pool issuer URL)", "Auth.Issuer");
        else if (!Uri.TryCreate(Issuer, UriKind.Absolute, out var iss) || iss.Scheme != Uri.UriSchemeHttps)
            yield return AwsOptions.Error($"Aws:Auth:Issuer '{Issuer}' must be an https URL", "Auth.Issuer");
        if (string.IsNullOrWhiteSpace(UserPoolId))
            yield return AwsOptions.Error("Aws:Auth:UserPoolId is required in AWS mode (the Cognito user pool whose access token carries the groups)", "Auth.UserPoolId");
        else if (!UserPoolIdPattern().IsMatch(UserPoolId))
            yield return AwsOptions.Error($"Aws:Auth:UserPoolId '{UserPoolId}' is not a user pool id like eu-west-1_AbC123", "Auth.UserPoolId");
        else if (!string.IsNullOrWhiteSpace(Issuer) && !Issuer.TrimEnd('/').EndsWith("/" + UserPoolId, StringComparison.Ordinal))
            yield return AwsOptions.Error($"Aws:Auth:Issuer '{Issuer}' is not the issuer of user pool {UserPoolId} (https://cognito-idp.<region>.amazonaws.com/{UserPoolId})", "Auth.Issuer");
        if (JwksEndpoint is { Length: > 0 } jwks && !AwsOptions.IsHttpUrl(jwks))
            yield return AwsOptions.Error("Aws:Auth:JwksEndpoint must be an absolute http(s) URL", "Auth.JwksEndpoint");
        if (string.IsNullOrWhiteSpace(LogoutUrl))
            yield return AwsOptions.Error("Aws:Auth:LogoutUrl is required in AWS mode (the Cognito logout endpoint)", "Auth.LogoutUrl");
        else if (!AwsOptions.IsHttpUrl(LogoutUrl))
            yield return AwsOptions.Error($"Aws:Auth:LogoutUrl '{LogoutUrl}' is not an absolute http(s) URL", "Auth.LogoutUrl");
        if (string.IsNullOrWhiteSpace(ClientId))
            yield return AwsOptions.Error("Aws:Auth:ClientId is required in AWS mode (the Cognito app client)", "Auth.ClientId");
        if (string.IsNullOrWhiteSpace(PublicKeyEndpoint) || !AwsOptions.IsHttpUrl(PublicKeyEndpoint.Replace("{region}", "r")))
            yield return AwsOptions.Error("Aws:Auth:PublicKeyEndpoint must be an absolute http(s) URL", "Auth.PublicKeyEndpoint");
        if (string.IsNullOrWhiteSpace(SessionCookieName) || SessionCookieName.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            yield return AwsOptions.Error("Aws:Auth:SessionCookieName must be a cookie name (letters, digits, '-', '_', '.')", "Auth.SessionCookieName");
        if (ClockSkewSeconds is < 0 or > 300)
            yield return AwsOptions.Error("Aws:Auth:ClockSkewSeconds must be between 0 and 300", "Auth.ClockSkewSeconds");
    }

    /// <summary>The JWKS of the user pool: the configured override or <c>&lt;Issuer&gt;/.well-known/jwks.json</c>.</summary>
    public Uri ResolveJwksEndpoint() =>
        new(string.IsNullOrWhiteSpace(JwksEndpoint) ? Issuer.TrimEnd('/') + "/.well-known/jwks.json" : JwksEndpoint, UriKind.Absolute);

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-[0-9]+_[A-Za-z0-9]+$")]
    private static partial Regex UserPoolIdPattern();

    [GeneratedRegex(@"^arn:aws[a-z\-]*:elasticloadbalancing:[a-z0-9\-]+:[0-9]{12}:loadbalancer/app/[A-Za-z0-9\-]+/[0-9a-f]+$")]
    private static partial Regex AlbArnPattern();
}

/// <summary>ASP.NET Data Protection key ring, one XML object per key in S3 (SSE-KMS).</summary>
public sealed class AwsDataProtectionOptions
{
    /// <summary>Bucket of the key ring (may be the extracts bucket: keys live under their own prefix).</summary>
    public string Bucket { get; set; } = "";

    /// <summary>Key prefix of the key ring.</summary>
    public string Prefix { get; set; } = "portal/data-protection";

    /// <summary>KMS key (id, ARN or alias) for SSE-KMS; empty means the bucket's default aws:kms key.</summary>
    public string? KmsKeyId { get; set; }

    /// <summary>Data Protection application name: instances sharing it share cookies and antiforgery tokens.</summary>
    public string ApplicationName { get; set; } = "ExtractPortal";

    internal IEnumerable<ValidationResult> Validate()
    {
        if (string.IsNullOrWhiteSpace(Bucket))
            yield return AwsOptions.Error("Aws:DataProtection:Bucket is required in AWS mode (shared Data Protection key ring)", "DataProtection.Bucket");
        if (Prefix.StartsWith('/') || Prefix.EndsWith('/') || Prefix.Split('/').Any(s => s is "" or "." or ".."))
            yield return AwsOptions.Error("Aws:DataProtection:Prefix must be a key prefix without leading/trailing '/' and no empty, '.' or '..' segments", "DataProtection.Prefix");
        if (string.IsNullOrWhiteSpace(ApplicationName))
            yield return AwsOptions.Error("Aws:DataProtection:ApplicationName must not be empty", "DataProtection.ApplicationName");
    }
}
