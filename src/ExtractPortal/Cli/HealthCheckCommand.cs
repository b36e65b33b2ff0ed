namespace ExtractPortal.Cli;

/// <summary>
/// <c>ExtractPortal healthcheck [--url http://127.0.0.1:8080/healthz] [--timeout-seconds 5]</c>
/// The container's HEALTHCHECK: the ASP.NET runtime image ships neither curl nor wget, so the app
/// probes itself. Default URL: <c>/healthz</c> on 127.0.0.1 at the first port of
/// <c>ASPNETCORE_HTTP_PORTS</c> (8080 when unset). Exit 0 when the answer is 2xx, 1 otherwise.
/// Reads no configuration and writes nothing to disk (read-only root filesystem friendly).
/// </summary>
public static class HealthCheckCommand
{
    public const string Name = "healthcheck";

    public const string Usage = "usage: ExtractPortal healthcheck [--url <http://127.0.0.1:8080/healthz>] [--timeout-seconds <1-60>]";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        Uri url;
        int timeoutSeconds;
        try
        {
            (url, timeoutSeconds) = Parse(args, Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS"));
        }
        catch (FormatException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}\n{Usage}");
            return 2;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(timeoutSeconds) };
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.IsSuccessStatusCode)
            {
                await stdout.WriteLineAsync($"healthy: {url} answered {(int)response.StatusCode}");
                return 0;
            }
            await stderr.WriteLineAsync($"unhealthy: {url} answered {(int)response.StatusCode}");
            return 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await stderr.WriteLineAsync($"unhealthy: {url}: {e.Message.Split('\n')[0]}");
            return 1;
        }
    }

    public static (Uri Url, int TimeoutSeconds) Parse(string[] args, string? httpPorts)
    {
        string? url = null;
        var timeout = 5;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--url": url = Value(); break;
                case "--timeout-seconds":
                    if (!int.TryParse(Value(), out timeout) || timeout is < 1 or > 60) throw new FormatException("--timeout-seconds must be 1-60");
                    break;
                default: throw new FormatException($"unknown argument '{args[i]}'");
            }
        }
        if (url is null)
        {
            var first = (httpPorts ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
            var port = int.TryParse(first, out var p) && p is > 0 and < 65536 ? p : 8080;
            url = $"http://127.0.0.1:{port}/healthz";
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new FormatException($"--url '{url}' is not an http(s) URL");
        return (uri, timeout);
    }
}
