using System.Net;

namespace ExtractPortal.Aws.Protocol;

/// <summary>
/// An error answered by an AWS JSON 1.1 service (<c>__type</c> and <c>message</c> of the body), or the
/// end of retries. <see cref="UserMessage"/> is safe and meant for the UI; <see cref="Exception.Message"/>
/// carries the service's own text for logs.
/// </summary>
public class AwsServiceException : Exception
{
    public AwsServiceException(string service, string operation, string errorCode, string message,
        HttpStatusCode statusCode, string? requestId, Exception? inner = null)
        : base($"{service}.{operation} failed: {errorCode} ({(int)statusCode}): {message}", inner)
    {
        Service = service;
        Operation = operation;
        ErrorCode = errorCode;
        ServiceMessage = message;
        StatusCode = statusCode;
        RequestId = requestId;
    }

    /// <summary>Signing name of the service, e.g. <c>glue</c> or <c>logs</c>.</summary>
    public string Service { get; }
    public string Operation { get; }
    /// <summary>The error code without namespace, e.g. <c>ConcurrentRunsExceededException</c>.</summary>
    public string ErrorCode { get; }
    public string ServiceMessage { get; }
    public HttpStatusCode StatusCode { get; }
    /// <summary><c>x-amzn-RequestId</c>, to quote in a support case.</summary>
    public string? RequestId { get; }

    /// <summary>A sentence for the portal's UI (no stack trace, no internals).</summary>
    public virtual string UserMessage => $"AWS {Service} refused the request ({ErrorCode}).";

    /// <summary>Builds the most specific exception type for an error code.</summary>
    public static AwsServiceException Create(string service, string operation, string errorCode, string message,
        HttpStatusCode status, string? requestId) => errorCode switch
    {
        "ConcurrentRunsExceededException" => new ConcurrentRunsExceededException(service, operation, errorCode, message, status, requestId),
        "EntityNotFoundException" => new EntityNotFoundException(service, operation, errorCode, message, status, requestId),
        "ResourceNotFoundException" => new AwsResourceNotFoundException(service, operation, errorCode, message, status, requestId),
        "AccessDeniedException" or "AccessDenied" or "UnrecognizedClientException" or "InvalidSignatureException"
            or "ExpiredTokenException" or "MissingAuthenticationTokenException"
            => new AwsAccessDeniedException(service, operation, errorCode, message, status, requestId),
        "InvalidInputException" or "InvalidParameterException" or "ValidationException" or "SerializationException"
            => new AwsInvalidRequestException(service, operation, errorCode, message, status, requestId),
        _ when AwsErrors.IsThrottling(errorCode, status)
            => new AwsThrottledException(service, operation, errorCode, message, status, requestId),
        _ => new AwsServiceException(service, operation, errorCode, message, status, requestId),
    };
}

/// <summary>Glue refused to start a run because the job's concurrency limit is reached.</summary>
public sealed class ConcurrentRunsExceededException(string service, string operation, string errorCode, string message, HttpStatusCode status, string? requestId)
    : AwsServiceException(service, operation, errorCode, message, status, requestId)
{
    public override string UserMessage => "A run of this job is already active; wait for it to finish or cancel it first.";
}

/// <summary>A Glue job or run that does not exist (or no longer: Glue keeps runs for 90 days).</summary>
public sealed class EntityNotFoundException(string service, string operation, string errorCode, string message, HttpStatusCode status, string? requestId)
    : AwsServiceException(service, operation, errorCode, message, status, requestId)
{
    public override string UserMessage => "The Glue job or run was not found (Glue keeps run details for 90 days).";
}

/// <summary>A CloudWatch Logs group or stream that does not exist (e.g. a run that has not logged yet).</summary>
public sealed class AwsResourceNotFoundException(string service, string operation, string errorCode, string message, HttpStatusCode status, string? requestId)
    : AwsServiceException(service, operation, errorCode, message, status, requestId)
{
    public override string UserMessage => "The log group or stream does not exist (yet).";
}

public sealed class AwsAccessDeniedException(string service, string operation, string errorCode, string message, HttpStatusCode status, string? requestId)
    : AwsServiceException(service, operation, errorCode, message, status, requestId)
{
    public override string UserMessage => $"The portal is not allowed to call {Service} {Operation} (check its IAM role).";
}

public sealed class AwsInvalidRequestException(string service, string operation, string errorCode, string message, HttpStatusCode status, string? requestId)
    : AwsServiceException(service, operation, errorCode, message, status, requestId)
{
    public override string UserMessage => $"AWS {Service} rejected the request: {ServiceMessage}";
}

/// <summary>Still throttled after every attempt.</summary>
public sealed class AwsThrottledException(string service, string operation, string errorCode, string message, HttpStatusCode status, string? requestId)
    : AwsServiceException(service, operation, errorCode, message, status, requestId)
{
    public override string UserMessage => $"AWS {Service} is busy (throttled); try again in a moment.";
}

/// <summary>No answer in time, or the connection failed, on every attempt.</summary>
public sealed class AwsUnavailableException(string service, string operation, string errorCode, string message, HttpStatusCode status, Exception? inner)
    : AwsServiceException(service, operation, errorCode, message, status, null, inner)
{
    public override string UserMessage => $"AWS {Service} did not answer; try again in a moment.";
}

internal static class AwsErrors
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "ThrottlingException", "Throttling", "ThrottledException", "TooManyRequestsException", "RequestThrottled",
        "RequestThrottledException", "RequestLimitExceeded", "SlowDown", "ProvisionedThroughputExceededException",
        "BandwidthLimitExceeded", "TransactionInProgressException", "PriorRequestNotComplete", "EC2ThrottledException",
    };

    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "InternalServiceException", "InternalFailure", "InternalServerError", "ServiceUnavailable",
        "ServiceUnavailableException", "RequestTimeout", "RequestTimeoutException", "OperationTimeoutException",
    };

    public static bool IsThrottling(string code, HttpStatusCode status) =>
        ThrottlingCodes.Contains(code) || status == HttpStatusCode.TooManyRequests;

    public static bool IsRetryable(string code, HttpStatusCode status) =>
        IsThrottling(code, status) || TransientCodes.Contains(code) || (int)status >= 500;
}
