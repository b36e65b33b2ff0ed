using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace ExtractPortal.Aws.DataProtection;

/// <summary>
/// The ASP.NET Data Protection key ring in S3: one object per key (<c>&lt;prefix&gt;/key-&lt;id&gt;.xml</c>),
/// written with SSE-KMS (the configured key, else the bucket's default aws:kms key), so every portal
/// task decrypts the same antiforgery tokens and cookies across restarts and scale-out. Keys are only
/// ever added (Data Protection revokes by writing a revocation element), never overwritten.
/// </summary>
public sealed partial class S3XmlRepository(IAmazonS3 s3, string bucket, string prefix, string? kmsKeyId, ILogger<S3XmlRepository>? logger = null)
    : IXmlRepository
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(20);

    public IReadOnlyCollection<XElement> GetAllElements() => GetAllElementsAsync(CancellationToken.None).GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName) =>
        StoreElementAsync(element, friendlyName, CancellationToken.None).GetAwaiter().GetResult();

    public async Task<IReadOnlyCollection<XElement>> GetAllElementsAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(CallTimeout);
        var elements = new List<XElement>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix + "/" };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request, timeout.Token).ConfigureAwait(false);
            foreach (var o in (page.S3Objects ?? []).Where(o => o.Key.EndsWith(".xml", StringComparison.Ordinal)).OrderBy(o => o.Key, StringComparer.Ordinal))
            {
                try
                {
                    using var response = await s3.GetObjectAsync(bucket, o.Key, timeout.Token).ConfigureAwait(false);
                    elements.Add(await XElement.LoadAsync(response.ResponseStream, LoadOptions.None, timeout.Token).ConfigureAwait(false));
                }
                catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
                {
                    // listed then deleted by an operator: skip
                }
                catch (System.Xml.XmlException e)
                {
                    logger?.LogError(e, "Data Protection key object {Key} is not XML; ignored", o.Key);
                }
            }
            request.ContinuationToken = page.NextContinuationToken;
        } while (page.IsTruncated == true);
        return elements;
    }

    public async Task StoreElementAsync(XElement element, string friendlyName, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(CallTimeout);
        var name = SafeName().Replace(friendlyName ?? "", "");
        var key = $"{prefix}/key-{(name.Length is > 0 and <= 100 ? name : Guid.NewGuid().ToString("N"))}.xml";
        var put = new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            ContentBody = element.ToString(SaveOptions.DisableFormatting),
            ContentType = "application/xml",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS,
            UseChunkEncoding = false, // a small body: one signed payload (S3-compatible servers rarely speak aws-chunked)
        };
        if (!string.IsNullOrWhiteSpace(kmsKeyId)) put.ServerSideEncryptionKeyManagementServiceKeyId = kmsKeyId;
        put.Headers["If-None-Match"] = "*"; // never overwrite an existing key
        try
        {
            await s3.PutObjectAsync(put, timeout.Token).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            // Another instance stored this very key id: nothing to do.
        }
        logger?.LogInformation("Stored Data Protection key {Key} in s3://{Bucket}", key, bucket);
    }

    [GeneratedRegex("[^A-Za-z0-9-]")]
    private static partial Regex SafeName();
}
