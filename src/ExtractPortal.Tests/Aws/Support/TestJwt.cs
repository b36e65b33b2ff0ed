using System.Text;
using System.Text.Json;

namespace ExtractPortal.Tests.Aws.Support;

/// <summary>The test issuers' tokens: <c>base64url(header).base64url(payload).base64url(signature)</c>.</summary>
public static class TestJwt
{
    /// <summary>Base64url; <paramref name="padded"/> keeps the '=' padding (as the ALB does).</summary>
    public static string Encode(byte[] bytes, bool padded)
    {
        var s = Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
        return padded ? s : s.TrimEnd('=');
    }

    /// <summary>Signs <c>header.payload</c> (ASCII) with <paramref name="sign"/>.</summary>
    public static string Create(Dictionary<string, object> header, Dictionary<string, object> payload, bool padded, Func<byte[], byte[]> sign)
    {
        var h = Encode(JsonSerializer.SerializeToUtf8Bytes(header), padded);
        var p = Encode(JsonSerializer.SerializeToUtf8Bytes(payload), padded);
        return h + "." + p + "." + Encode(sign(Encoding.ASCII.GetBytes(h + "." + p)), padded);
    }
}
