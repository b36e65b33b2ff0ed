using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ExtractPortal.Tests.Aws.Support;

/// <summary>One request the fake server received (after validation).</summary>
public sealed record AwsCall(string Operation, JsonElement Body, int Number, IReadOnlyDictionary<string, string> Headers, CancellationToken Aborted);

/// <summary>What the scripted service answers.</summary>
public sealed record AwsReply(int Status, string Body)
{
    public static AwsReply Ok(object body) => new(200, JsonSerializer.Serialize(body));
    public static AwsReply Error(int status, string type, string message) =>
        new(status, JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = type, ["message"] = message }));
}

/// <summary>
/// An AWS JSON 1.1 service on 127.0.0.1 for tests: every request is checked against the pinned
/// service model (operation, input shape) and the SigV4 header format; a violation is recorded and
/// answered 400 so the test fails loudly. Answers come from the test's script.
/// </summary>
public sealed partial class FakeAwsJsonServer : IAsyncDisposable
{
    private TestHttpServer _server = null!;
    private int _count;

    public AwsServiceModel Model { get; }
    public string Region { get; }
    public string AccessKey { get; }
    public ConcurrentQueue<AwsCall> Calls { get; } = new();
    public ConcurrentQueue<string> Violations { get; } = new();
    public Func<AwsCall, Task<AwsReply>> Handler { get; set; } = _ => Task.FromResult(AwsReply.Error(500, "NotScripted", "no handler"));
    public Uri Endpoint { get; private set; } = null!;

    private FakeAwsJsonServer(string service, string region, string accessKey)
    {
        Model = AwsServiceModel.Load(service);
        Region = region;
        AccessKey = accessKey;
    }

    public static async Task<FakeAwsJsonServer> StartAsync(string service, string region = "eu-west-1", string accessKey = "AKIDEXAMPLE")
    {
        var server = new FakeAwsJsonServer(service, region, accessKey);
        server._server = await TestHttpServer.StartAsync(server.HandleAsync);
        server.Endpoint = new Uri(server._server.Root + "/");
        return server;
    }

    public void AssertNoViolations() => Assert.True(Violations.IsEmpty, "requests broke the service model or SigV4 format:\n" + string.Join("\n", Violations));

    public IReadOnlyList<AwsCall> CallsTo(string operation) => Calls.Where(c => c.Operation == operation).ToList();

    private async Task HandleAsync(HttpContext context)
    {
        var number = Interlocked.Increment(ref _count);
        var request = context.Request;
        var problems = new List<string>();
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8)) body = await reader.ReadToEndAsync();

        if (request.Method != "POST" || request.Path != "/") problems.Add($"{request.Method} {request.Path}: JSON 1.1 is POST /");
        if (request.ContentType != "application/x-amz-json-1.1") problems.Add($"Content-Type '{request.ContentType}'");

        var target = request.Headers["X-Amz-Target"].ToString();
        var operation = target.StartsWith(Model.TargetPrefix + ".", StringComparison.Ordinal) ? target[(Model.TargetPrefix.Length + 1)..] : "";
        if (!Model.HasOperation(operation)) problems.Add($"X-Amz-Target '{target}' is not an operation of the pinned model");

        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (!DateTime.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var signedAt))
            problems.Add($"X-Amz-Date '{amzDate}' is not yyyyMMddTHHmmssZ");
        else if ((DateTime.UtcNow - signedAt).Duration() > TimeSpan.FromMinutes(5))
            problems.Add($"X-Amz-Date '{amzDate}' is more than 5 minutes off");

        var authorization = request.Headers.Authorization.ToString();
        var match = AuthorizationPattern().Match(authorization);
        if (!match.Success) problems.Add($"Authorization '{authorization}' is not AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=<64 hex>");
        else
        {
            if (match.Groups["key"].Value != AccessKey) problems.Add($"credential key {match.Groups["key"].Value}");
            if (amzDate.Length >= 8 && match.Groups["date"].Value != amzDate[..8]) problems.Add("credential date differs from X-Amz-Date");
            if (match.Groups["region"].Value != Region) problems.Add($"credential region {match.Groups["region"].Value}");
            if (match.Groups["service"].Value != Model.SigningName) problems.Add($"credential service {match.Groups["service"].Value}");
            var signed = match.Groups["signed"].Value.Split(';');
            foreach (var needed in new[] { "host", "x-amz-date", "x-amz-target", "content-type" })
                if (!signed.Contains(needed)) problems.Add($"SignedHeaders lacks {needed}");
            if (!signed.SequenceEqual(signed.Order(StringComparer.Ordinal))) problems.Add("SignedHeaders not sorted");
        }

        JsonElement json = default;
        try
        {
            using var doc = JsonDocument.Parse(body);
            json = doc.RootElement.Clone();
            if (operation.Length > 0 && Model.HasOperation(operation)) problems.AddRange(Model.Validate(operation, json));
        }
        catch (JsonException e) { problems.Add("body is not JSON: " + e.Message); }

        if (problems.Count > 0)
        {
            foreach (var p in problems) Violations.Enqueue($"#{number} {operation}: {p}");
            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/x-amz-json-1.1";
            await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = "com.amazonaws.test#FakeServerValidation", ["message"] = string.Join("; ", problems) }));
            return;
        }

        var call = new AwsCall(operation, json, number, request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), context.RequestAborted);
        Calls.Enqueue(call);
        AwsReply reply;
        try { reply = await Handler(call); }
        catch (OperationCanceledException) { return; }
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/x-amz-json-1.1";
        context.Response.Headers["x-amzn-RequestId"] = $"req-{number}";
        await context.Response.WriteAsync(reply.Body);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<key>[A-Z0-9]+)/(?<date>\d{8})/(?<region>[a-z0-9\-]+)/(?<service>[a-z0-9\-]+)/aws4_request, ?SignedHeaders=(?<signed>[a-z0-9\-;]+), ?Signature=[0-9a-f]{64}$")]
    private static partial Regex AuthorizationPattern();
}
