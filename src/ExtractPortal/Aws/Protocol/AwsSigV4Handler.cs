using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace ExtractPortal.Aws.Protocol;

/// <summary>
/// Signs every outgoing request with AWS Signature Version 4 (AWSSDK.Core's public
/// <see cref="AWSSigV4Signer"/>): the payload hash, <c>X-Amz-Date</c>, <c>X-Amz-Security-Token</c> for
/// temporary credentials (the ECS task role) and <c>Authorization</c>. Credentials come from
/// <see cref="IAwsCredentialsSource"/> (the SDK's default chain unless replaced) on each send, so
/// refreshed task-role credentials are picked up.
/// </summary>
public sealed class AwsSigV4Handler(IAwsCredentialsSource credentials, string region, string service) : DelegatingHandler
{
    private readonly RegionEndpoint _region = RegionEndpoint.GetBySystemName(region);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        var signing = new AWSSigningRequest
        {
            HttpMethod = request.Method,
            RequestUri = request.RequestUri ?? throw new InvalidOperationException("request without URI"),
            Content = body,
        };
        // Sign the headers the service must see unchanged (not the transport ones HttpClient adds later).
        foreach (var header in request.Headers)
            if (header.Key.StartsWith("X-Amz-", StringComparison.OrdinalIgnoreCase))
                signing.Headers[header.Key] = string.Join(",", header.Value);
        if (request.Content?.Headers.ContentType is { } contentType)
            signing.Headers["Content-Type"] = contentType.ToString();

        var parameters = new AWSSigV4Parameters
        {
            Credentials = await credentials.GetAsync(ct).ConfigureAwait(false),
            Region = _region,
            Service = service,
        };
        var result = await AWSSigV4Signer.SignAsync(signing, parameters, ct).ConfigureAwait(false);
        foreach (var (name, value) in result.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) || name.Equals("Host", StringComparison.OrdinalIgnoreCase))
                continue;
            // Without validation: the SigV4 Authorization value is not an RFC 7235 token68/params form.
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return await base.SendAsync(request, ct).ConfigureAwait(false);
    }
}

/// <summary>Where the signing credentials come from.</summary>
public interface IAwsCredentialsSource
{
    ValueTask<AWSCredentials> GetAsync(CancellationToken ct);
}

/// <summary>
/// The SDK's default chain (environment, profile, SSO, web identity, ECS task role, EC2 metadata),
/// resolved once; the returned object refreshes temporary credentials itself.
/// </summary>
public sealed class DefaultAwsCredentialsSource : IAwsCredentialsSource, IDisposable
{
    private readonly Amazon.Runtime.Credentials.DefaultAWSCredentialsIdentityResolver _resolver = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AWSCredentials? _credentials;

    public async ValueTask<AWSCredentials> GetAsync(CancellationToken ct)
    {
        if (_credentials is { } known) return known;
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return _credentials ??= await _resolver.ResolveIdentityAsync(null, ct).ConfigureAwait(false);
        }
        finally { _gate.Release(); }
    }

    public void Dispose()
    {
        _resolver.Dispose();
        _gate.Dispose();
    }
}

/// <summary>Fixed credentials (tests, or explicit configuration).</summary>
public sealed class StaticAwsCredentialsSource(AWSCredentials credentials) : IAwsCredentialsSource
{
    public ValueTask<AWSCredentials> GetAsync(CancellationToken ct) => ValueTask.FromResult(credentials);
}
