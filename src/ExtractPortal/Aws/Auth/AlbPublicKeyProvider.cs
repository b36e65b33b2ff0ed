using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace ExtractPortal.Aws.Auth;

/// <summary>
/// The ALB's token-signing public keys, fetched by <c>kid</c> from the regional endpoint
/// (<c>https://public-keys.auth.elb.&lt;region&gt;.amazonaws.com/&lt;kid&gt;</c>, a PEM document).
/// The kid is checked against a strict pattern before it goes into a URL; redirects are never
/// followed (the HttpClient's handler has AllowAutoRedirect off, and any non-200 is a failure);
/// fetched keys are cached (a kid's key never changes); failures are remembered briefly so a flood
/// of forged kids cannot turn the portal into a request amplifier.
/// </summary>
public sealed partial class AlbPublicKeyProvider(HttpClient http, Uri endpoint, TimeProvider time)
{
    public const string HttpClientName = "alb-public-keys";
    private const int MaxCachedKeys = 64;
    private const int MaxPemBytes = 4096;
    private static readonly TimeSpan FailureMemory = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Lazy<Task<ECDsa>>> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _failures = new(StringComparer.Ordinal);

    public static bool IsValidKid(string? kid) => kid is not null && KidPattern().IsMatch(kid);

    /// <summary>The P-256 key for <paramref name="kid"/>; throws <see cref="AlbTokenException"/> when it cannot be had.</summary>
    public async Task<ECDsa> GetAsync(string kid, CancellationToken ct)
    {
        if (!IsValidKid(kid)) throw new AlbTokenException("the token's kid is malformed");
        if (_failures.TryGetValue(kid, out var failedAt) && time.GetUtcNow() - failedAt < FailureMemory)
            throw new AlbTokenException("the token's signing key is unknown");
        if (_keys.Count >= MaxCachedKeys && !_keys.ContainsKey(kid)) _keys.Clear();

        var lazy = _keys.GetOrAdd(kid, k => new Lazy<Task<ECDsa>>(() => FetchAsync(k)));
        try
        {
            return await lazy.Value.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (AlbTokenException)
        {
            _keys.TryRemove(new KeyValuePair<string, Lazy<Task<ECDsa>>>(kid, lazy));
            _failures[kid] = time.GetUtcNow();
            throw;
        }
    }

    private async Task<ECDsa> FetchAsync(string kid)
    {
        var url = new Uri(endpoint.ToString().TrimEnd('/') + "/" + kid);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            throw new AlbTokenException($"the ALB public key could not be fetched ({e.GetType().Name})");
        }
        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
                throw new AlbTokenException($"the ALB public key endpoint answered {(int)response.StatusCode} for the token's kid");
            if (response.Content.Headers.ContentLength > MaxPemBytes)
                throw new AlbTokenException("the ALB public key document is too large");
            var bytes = await ReadLimitedAsync(response, timeout.Token).ConfigureAwait(false);
            var pem = System.Text.Encoding.ASCII.GetString(bytes);
            var key = ECDsa.Create();
            try
            {
                key.ImportFromPem(pem);
                if (key.KeySize != 256 || key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
                    throw new AlbTokenException("the ALB public key is not a P-256 key");
                return key;
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                key.Dispose();
                throw new AlbTokenException("the ALB public key document is not a PEM EC public key");
            }
        }
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var buffer = new byte[MaxPemBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), ct).ConfigureAwait(false)) > 0) total += read;
        if (total > MaxPemBytes) throw new AlbTokenException("the ALB public key document is too large");
        return buffer[..total];
    }

    // ALB kids are UUIDs; allow the general URL-safe shape but nothing that could change the path.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,127}$")]
    private static partial Regex KidPattern();
}

/// <summary>Why an <c>x-amzn-oidc-data</c> header is not accepted (logged; the client only sees 401).</summary>
public sealed class AlbTokenException(string message) : Exception(message);
