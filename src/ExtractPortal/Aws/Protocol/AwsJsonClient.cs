using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExtractPortal.Aws.Protocol;

/// <summary>One AWS JSON 1.1 service: where it is, how it signs, what its targets are called.</summary>
/// <param name="SigningName">SigV4 service name (<c>glue</c>, <c>logs</c>).</param>
/// <param name="TargetPrefix">Prefix of <c>X-Amz-Target</c> (<c>AWSGlue</c>, <c>Logs_20140328</c>).</param>
/// <param name="Endpoint">Base URL (regional endpoint, a VPC endpoint, or a test server).</param>
public sealed record AwsJsonService(string SigningName, string TargetPrefix, Uri Endpoint)
{
    /// <summary>The configured override, else <c>https://{endpointPrefix}.{region}.amazonaws.com</c>.</summary>
    public static Uri ResolveEndpoint(string? overrideUrl, string endpointPrefix, string region)
    {
        if (!string.IsNullOrWhiteSpace(overrideUrl)) return new Uri(overrideUrl, UriKind.Absolute);
        var dnsSuffix = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri($"https://{endpointPrefix}.{region}.{dnsSuffix}/");
    }
}

/// <summary>Standard retry: bounded attempts, exponential backoff with full jitter, per-attempt timeout.</summary>
public sealed record AwsRetryPolicy
{
    public int MaxAttempts { get; init; } = 4;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Throttling waits longer than a transient 5xx before retrying.</summary>
    public TimeSpan ThrottlingBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Full jitter: uniform in [0, min(max, base * 2^(attempt-1))].</summary>
    public TimeSpan DelayBefore(int nextAttempt, bool throttled, Random random)
    {
        var baseDelay = throttled ? ThrottlingBaseDelay : BaseDelay;
        var exponent = Math.Min(nextAttempt - 2, 20);
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(random.NextDouble() * ceiling);
    }
}

/// <summary>
/// The AWS JSON 1.1 protocol over a signing <see cref="HttpClient"/>: POST / with
/// <c>X-Amz-Target: {prefix}.{operation}</c> and <c>Content-Type: application/x-amz-json-1.1</c>,
/// retries throttling, 5xx, timeouts and connection failures, and turns error bodies
/// (<c>__type</c>, <c>message</c>) into <see cref="AwsServiceException"/>s.
/// </summary>
public sealed class AwsJsonClient(HttpClient http, AwsJsonService service, AwsRetryPolicy retry, ILogger? logger = null)
{
    public const string ContentType = "application/x-amz-json-1.1";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = null,
        NumberHandling = JsonNumberHandling.Strict,
    };

    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public AwsJsonService Service => service;

    public async Task<TResponse> InvokeAsync<TRequest, TResponse>(string operation, TRequest request, CancellationToken ct)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(request, Json);
        for (var attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            AwsServiceException failure;
            using (var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                attemptCts.CancelAfter(retry.AttemptTimeout);
                try
                {
                    using var message = new HttpRequestMessage(HttpMethod.Post, service.Endpoint);
                    message.Headers.TryAddWithoutValidation("X-Amz-Target", $"{service.TargetPrefix}.{operation}");
                    message.Content = new ByteArrayContent(payload);
                    message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
                    using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, attemptCts.Token).ConfigureAwait(false);
                    var body = await response.Content.ReadAsByteArrayAsync(attemptCts.Token).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                        return body.Length == 0
                            ? JsonSerializer.Deserialize<TResponse>("{}", Json)!
                            : JsonSerializer.Deserialize<TResponse>(body, Json) ?? throw new JsonException("null response body");
                    failure = ParseError(operation, response, body);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    throw;
                }
                catch (OperationCanceledException e)
                {
                    failure = new AwsUnavailableException(service.SigningName, operation, "RequestTimeout",
                        $"no answer within {retry.AttemptTimeout.TotalSeconds:0.#} s", HttpStatusCode.RequestTimeout, e);
                }
                catch (HttpRequestException e)
                {
                    failure = new AwsUnavailableException(service.SigningName, operation, "ConnectionFailure",
                        e.Message, e.StatusCode ?? HttpStatusCode.ServiceUnavailable, e);
                }
                catch (JsonException e)
                {
                    throw new AwsServiceException(service.SigningName, operation, "MalformedResponse",
                        $"the response is not the expected JSON: {e.Message}", HttpStatusCode.OK, null, e);
                }
            }

            var retryable = failure is AwsUnavailableException || AwsErrors.IsRetryable(failure.ErrorCode, failure.StatusCode);
            if (!retryable || attempt >= retry.MaxAttempts)
            {
                if (retryable)
                    _logger.LogWarning("{Service}.{Operation} gave up after {Attempts} attempts: {Code}", service.SigningName, operation, attempt, failure.ErrorCode);
                throw failure;
            }
            var delay = retry.DelayBefore(attempt + 1, failure is AwsThrottledException, Random.Shared);
            _logger.LogInformation("{Service}.{Operation} attempt {Attempt} failed ({Code}); retrying in {Delay} ms",
                service.SigningName, operation, attempt, failure.ErrorCode, (int)delay.TotalMilliseconds);
            await Task.Delay(delay, ct).ConfigureAwait(false);
        }
    }

    private AwsServiceException ParseError(string operation, HttpResponseMessage response, byte[] body)
    {
        string? code = null, text = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
                foreach (var property in doc.RootElement.EnumerateObject())
                {
                    if (property.Name is "__type" or "code" or "Code" && property.Value.ValueKind == JsonValueKind.String)
                        code ??= property.Value.GetString();
                    else if (property.Name.Equals("message", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
                        text ??= property.Value.GetString();
                }
        }
        catch (JsonException) { /* not JSON (e.g. a proxy's HTML page): the status decides */ }

        if (code is null && response.Headers.TryGetValues("x-amzn-ErrorType", out var types))
            code = types.FirstOrDefault();
        code = NormalizeCode(code) ?? StatusCode(response.StatusCode);
        var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null;
        return AwsServiceException.Create(service.SigningName, operation, code, text ?? response.ReasonPhrase ?? "", response.StatusCode, requestId);
    }

    /// <summary><c>com.amazonaws.glue#EntityNotFoundException</c> or <c>EntityNotFoundException:http://...</c> to the bare code.</summary>
    public static string? NormalizeCode(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var code = raw;
        var hash = code.LastIndexOf('#');
        if (hash >= 0) code = code[(hash + 1)..];
        var colon = code.IndexOf(':');
        if (colon >= 0) code = code[..colon];
        return code.Trim() is { Length: > 0 } c ? c : null;
    }

    private static string StatusCode(HttpStatusCode status) => status switch
    {
        HttpStatusCode.TooManyRequests => "TooManyRequestsException",
        HttpStatusCode.Forbidden => "AccessDeniedException",
        HttpStatusCode.ServiceUnavailable => "ServiceUnavailable",
        _ when (int)status >= 500 => "InternalFailure",
        _ => $"Http{(int)status}",
    };
}
