using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ExtractPortal.Aws.Auth;

/// <summary>
/// The user pool's RS256 signing keys (<c>https://cognito-idp.&lt;region&gt;.amazonaws.com/&lt;pool&gt;/.well-known/jwks.json</c>),
/// fetched whole and cached by kid. An unknown kid triggers at most one refetch per 30 s (key rotation),
/// so forged kids cannot make the portal hammer Cognito. Redirects are never followed (the HttpClient's
/// handler has AllowAutoRedirect off; any non-200 fails), 5 s timeout, 64 KB cap.
/// </summary>
public sealed class CognitoJwksProvider(HttpClient http, Uri jwksEndpoint, TimeProvider time)
{
    public const string HttpClientName = "cognito-jwks";
    private const int MaxJwksBytes = 64 * 1024;
    private static readonly TimeSpan RefetchInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, RSA> _keys = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _fetch = new(1, 1);
    private DateTimeOffset _lastFetch = DateTimeOffset.MinValue;

    public Uri Endpoint => jwksEndpoint;

    public async Task<RSA> GetAsync(string kid, CancellationToken ct)
    {
        if (_keys.TryGetValue(kid, out var key)) return key;
        await _fetch.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_keys.TryGetValue(kid, out key)) return key;
            if (time.GetUtcNow() - _lastFetch < RefetchInterval)
                throw new AlbTokenException("the access token's signing key is not in the user pool's key set");
            _lastFetch = time.GetUtcNow();
            foreach (var (id, rsa) in await FetchAsync(ct).ConfigureAwait(false))
                if (!_keys.TryAdd(id, rsa)) rsa.Dispose();
            return _keys.TryGetValue(kid, out key) ? key
                : throw new AlbTokenException("the access token's signing key is not in the user pool's key set");
        }
        finally
        {
            _fetch.Release();
        }
    }

    private async Task<List<(string Kid, RSA Key)>> FetchAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        byte[] body;
        try
        {
            using var response = await http.GetAsync(jwksEndpoint, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new AlbTokenException($"the user pool's key set answered {(int)response.StatusCode}");
            if (response.Content.Headers.ContentLength > MaxJwksBytes) throw new AlbTokenException("the user pool's key set is too large");
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            var buffer = new byte[MaxJwksBytes + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), timeout.Token).ConfigureAwait(false)) > 0) total += read;
            if (total > MaxJwksBytes) throw new AlbTokenException("the user pool's key set is too large");
            body = buffer[..total];
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            throw new AlbTokenException($"the user pool's key set could not be fetched ({e.GetType().Name})");
        }
        var keys = new List<(string, RSA)>();
        try
        {
            using var doc = JsonDocument.Parse(body);
            foreach (var jwk in doc.RootElement.GetProperty("keys").EnumerateArray())
            {
                if (Str(jwk, "kty") != "RSA" || Str(jwk, "kid") is not { Length: > 0 } kid) continue;
                if (Str(jwk, "use") is { } use && use != "sig") continue;
                if (Str(jwk, "alg") is { } alg && alg != "RS256") continue;
                var rsa = RSA.Create();
                try
                {
                    rsa.ImportParameters(new RSAParameters
                    {
                        Modulus = AlbTokenVerifier.Base64UrlDecode(Str(jwk, "n") ?? "", "key modulus"),
                        Exponent = AlbTokenVerifier.Base64UrlDecode(Str(jwk, "e") ?? "", "key exponent"),
                    });
                }
                catch (Exception e) when (e is CryptographicException or AlbTokenException)
                {
                    rsa.Dispose();   // a malformed key is skipped; the others stay usable
                    continue;
                }
                if (rsa.KeySize < 2048) { rsa.Dispose(); continue; }
                keys.Add((kid, rsa));
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or CryptographicException)
        {
            foreach (var (_, k) in keys) k.Dispose();
            throw new AlbTokenException("the user pool's key set is not a JWKS");
        }
        return keys;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>
/// Verifies the Cognito access token the ALB forwards in <c>x-amzn-oidc-accesstoken</c> and returns its
/// portal roles (<c>cognito:groups</c>). The ALB's <c>x-amzn-oidc-data</c> is built from Cognito's userInfo,
/// which may not carry the groups; the access token reliably does. Checked: RS256 signature with the
/// pool's key for the kid, <c>iss</c> = the user pool (<c>Aws:Auth:Issuer</c>), <c>token_use</c> =
/// <c>access</c>, <c>client_id</c> = <c>Aws:Auth:ClientId</c>, <c>exp</c> (+ skew), and <c>sub</c> equal to
/// the verified ALB token's <c>sub</c> (a token of another user cannot lend its groups).
/// </summary>
public sealed class CognitoAccessTokenVerifier(CognitoJwksProvider keys, AwsAuthOptions options, TimeProvider time)
{
    public const string HeaderName = "x-amzn-oidc-accesstoken";
    private const int MaxTokenLength = 16 * 1024;

    /// <summary>The token's portal roles, or null when it has no <c>cognito:groups</c> claim (a user in no group).</summary>
    public async Task<IReadOnlyList<string>?> VerifyAsync(string token, string expectedSubject, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength) throw new AlbTokenException("the access token is empty or too long");
        var parts = token.Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0)) throw new AlbTokenException("the access token is not header.payload.signature");
        using var header = Json(parts[0], "header");
        if (Str(header.RootElement, "alg") != "RS256") throw new AlbTokenException("the access token's alg is not RS256");
        var kid = Str(header.RootElement, "kid");
        if (kid is not { Length: > 0 and <= 256 } || kid.Any(char.IsControl)) throw new AlbTokenException("the access token's kid is missing or malformed");

        var key = await keys.GetAsync(kid, ct).ConfigureAwait(false);
        var signature = AlbTokenVerifier.Base64UrlDecode(parts[2], "access token signature");
        if (!key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            throw new AlbTokenException("the access token's signature is invalid");

        using var payload = Json(parts[1], "payload");
        var p = payload.RootElement;
        var exp = p.TryGetProperty("exp", out var e) && e.ValueKind == JsonValueKind.Number ? (long)e.GetDouble()
            : throw new AlbTokenException("the access token has no exp");
        if (exp + options.ClockSkewSeconds < time.GetUtcNow().ToUnixTimeSeconds()) throw new AlbTokenException("the access token has expired");
        if (!string.Equals(Str(p, "iss")?.TrimEnd('/'), options.Issuer.TrimEnd('/'), StringComparison.Ordinal))
            throw new AlbTokenException("the access token is not from the configured user pool");
        if (Str(p, "token_use") != "access") throw new AlbTokenException("the token in x-amzn-oidc-accesstoken is not an access token");
        if (!string.Equals(Str(p, "client_id"), options.ClientId, StringComparison.Ordinal))
            throw new AlbTokenException("the access token is for another app client");
        if (!string.Equals(Str(p, "sub"), expectedSubject, StringComparison.Ordinal))
            throw new AlbTokenException("the access token belongs to another user than x-amzn-oidc-data");
        return p.TryGetProperty(AlbTokenVerifier.GroupsClaim, out _) ? AlbTokenVerifier.RolesFrom(p) : null;
    }

    private static JsonDocument Json(string segment, string what)
    {
        try
        {
            var doc = JsonDocument.Parse(AlbTokenVerifier.Base64UrlDecode(segment, "access token " + what));
            if (doc.RootElement.ValueKind == JsonValueKind.Object) return doc;
            doc.Dispose();
        }
        catch (JsonException) { }
        throw new AlbTokenException($"the access token's {what} is not a JSON object");
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
