using System.Data.Common;
using Amazon.Runtime;
using ExtractPortal.Features.Access;

namespace ExtractPortal.Features;

/// <summary>
/// The failures a page turns into a message ("could not be loaded: ...") rather than the error
/// page: access refused, or a backend that did not answer as expected, whichever backend it is
/// (SQLite or DynamoDB, the local folder or S3, Glue or CloudWatch Logs). Anything else is a bug
/// and goes to the error page and the log.
/// </summary>
public static class BackendFailure
{
    public static bool IsExpected(Exception e) => e is AccessDeniedException
        or DbException                          // SQLite (local run history and audit)
        or AmazonServiceException               // AWS SDK: S3, DynamoDB
        or Aws.Protocol.AwsServiceException     // our Glue and CloudWatch Logs clients
        or HttpRequestException or TimeoutException
        or IOException or UnauthorizedAccessException
        or System.Text.Json.JsonException;      // an unreadable manifest
}
