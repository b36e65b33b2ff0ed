using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExtractPortal.Features.Access;

namespace ExtractPortal.Aws.Auth;

/// <summary>
/// Verifies the ALB's <c>x-amzn-oidc-data</c> JWT before any claim is trusted: structure, <c>alg</c>
/// ES256, <c>signer</c> equal to our ALB's ARN, the ECDSA P-256 signature with the ALB's public key for
/// the <c>kid</c>, <c>exp</c> and the issuer (our Cognito user pool), and <c>client</c> when present.
/// AWS pads the base64url segments with '=', which most JWT libraries reject; both forms are decoded
/// here, and the signature is checked over the segments exactly as received.
/// </summary>
public sealed class AlbTokenVerifier(AlbPublicKeyProvider keys, AwsAuthOptions options, TimeProvider time)
{
    public const string HeaderName = "x-amzn-oidc-data";
    public const string GroupsClaim = "cognito:groups";
    public const string DisplayNameClaim = "display_name";
    private const int MaxTokenLength = 16 * 1024;

    /// <summary>A principal with the name, subject, email and one role claim per known Cognito group.</summary>
    public async Task<ClaimsPrincipal> VerifyAsync(string token, string authenticationType, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength) throw new AlbTokenException("the token is empty or too long");
        var parts = token.Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0)) throw new AlbTokenException("the token is not header.payload.signature");

        using var header = ParseJson(parts[0], "header");
        var h = header.RootElement;
        if (String(h, "alg") != "ES256") throw new AlbTokenException("the token's alg is not ES256");
        var kid = String(h, "kid");
        if (!AlbPublicKeyProvider.IsValidKid(kid)) throw new AlbTokenException("the token's kid is missing or malformed");
        // Checked before fetching a key: a foreign token never makes us call out.
        if (!string.Equals(String(h, "signer"), options.AlbArn, StringComparison.Ordinal))
            throw new AlbTokenException("the token was not signed by this portal's load balancer");

        var signature = Base64UrlDecode(parts[2], "signature");
        if (signature.Length != 64) throw new AlbTokenException("the token's signature is not an ES256 signature");
        var key = await keys.GetAsync(kid!, ct).ConfigureAwait(false);
        var signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        if (!key.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            throw new AlbTokenException("the token's signature is invalid");

        // Only now are the claims trusted.
        using var payload = ParseJson(parts[1], "payload");
        var p = payload.RootElement;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var exp = Number(p, "exp") ?? Number(h, "exp") ?? throw new AlbTokenException("the token has no exp");
        if (exp + options.ClockSkewSeconds < now) throw new AlbTokenException("the token has expired");
        var issuers = new[] { String(h, "iss"), String(p, "iss") }.OfType<string>().ToList();
        if (issuers.Count == 0 || issuers.Any(i => !SameIssuer(i, options.Issuer)))
            throw new AlbTokenException("the token's issuer is not the configured Cognito user pool");
        if (String(h, "client") is { } client && !string.Equals(client, options.ClientId, StringComparison.Ordinal))
            throw new AlbTokenException("the token is for another app client");

        var subject = String(p, "sub") ?? throw new AlbTokenException("the token has no sub");
        var userName = String(p, "username") ?? String(p, "cognito:username") ?? String(p, "email") ?? subject;
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, subject),
            new(ClaimTypes.Name, userName),
            new(DisplayNameClaim, String(p, "name") ?? String(p, "email") ?? userName),
        };
        if (String(p, "email") is { } email) claims.Add(new Claim(ClaimTypes.Email, email));
        foreach (var role in RolesFrom(p)) claims.Add(new Claim(ClaimTypes.Role, role));
        claims.Add(new Claim("exp", exp.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The Cognito groups that are portal roles; anything else is ignored (no group, no role).</summary>
    public static IReadOnlyList<string> RolesFrom(JsonElement payload)
    {
        if (!payload.TryGetProperty(GroupsClaim, out var groups)) return [];
        IEnumerable<string> names = groups.ValueKind switch
        {
            JsonValueKind.Array => groups.EnumerateArray().Where(g => g.ValueKind == JsonValueKind.String).Select(g => g.GetString()!),
            // Some flows flatten the list: "[support, operator]" or "support,operator".
            JsonValueKind.String => groups.GetString()!.Trim('[', ']').Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            _ => [],
        };
        return names.Where(n => Roles.All.Contains(n, StringComparer.Ordinal)).Distinct().ToList();
    }

    /// <summary>base64url with or without '=' padding (AWS pads; RFC 7515 does not).</summary>
    public static byte[] Base64UrlDecode(string segment, string what)
    {
        var s = segment.TrimEnd('=');
        if (s.Length % 4 == 1 || s.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) || segment.Length - s.Length > 2)
            throw new AlbTokenException($"the token's {what} is not base64url");
        s = s.Replace('-', '+').Replace('_', '/');
        s += new string('=', (4 - s.Length % 4) % 4);
        try { return Convert.FromBase64String(s); }
        catch (FormatException) { throw new AlbTokenException($"the token's {what} is not base64url"); }
    }

    private static JsonDocument ParseJson(string segment, string what)
    {
        try
        {
            var doc = JsonDocument.Parse(Base64UrlDecode(segment, what));
            if (doc.RootElement.ValueKind != JsonValueKind.Object) { doc.Dispose(); throw new AlbTokenException($"the token's {what} is not a JSON object"); }
            return doc;
        }
        catch (JsonException) { throw new AlbTokenException($"the token's {what} is not JSON"); }
    }

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n
        : e.TryGetProperty(name, out v) && v.ValueKind == JsonValueKind.Number ? (long)v.GetDouble() : null;

    private static bool SameIssuer(string a, string b) =>
        string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.Ordinal);
}
