using ExtractPortal.Configuration;
using ExtractPortal.Pipeline.Engine;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Sources;
using ExtractPortal.Pipeline.Store;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace ExtractPortal.Cli;

/// <summary>
/// <c>ExtractPortal extract --month YYYY-MM [--month ...] [--from YYYY-MM --to YYYY-MM]
/// [--source "&lt;Npgsql connection string&gt;"] [--output &lt;folder&gt;] [--reason "..."] [--verbose]</c>
/// Runs the local engine once and prints a summary per month. Exit codes: 0 success,
/// 1 the run failed (nothing published for the failed months), 2 the command line is wrong.
/// </summary>
public static class ExtractCommand
{
    public const string Name = "extract";

    public const string Usage =
        "usage: ExtractPortal extract --month YYYY-MM [--month ...] [--from YYYY-MM --to YYYY-MM] " +
        "[--source \"<Npgsql connection string>\"] [--output <folder>] [--reason \"<why>\"] [--verbose]";

    internal sealed record Arguments(IReadOnlyList<ExtractMonth> Months, string? Source, string? Output, string Reason, bool Verbose);

    public static async Task<int> RunAsync(string[] args, PortalOptions options, TextWriter stdout, TextWriter stderr, TimeProvider clock, CancellationToken ct,
        Aws.AwsOptions? aws = null)
    {
        var verbose = args.Contains("--verbose");
        Arguments parsed;
        try
        {
            parsed = Parse(args);
        }
        catch (FormatException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}\n{Usage}");
            return 2;
        }

        using var serilog = new LoggerConfiguration()
            .MinimumLevel.Is(parsed.Verbose ? LogEventLevel.Information : LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose,
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {RunId} {Message:lj}{NewLine}{Exception}")
            .CreateLogger();
        using var loggerFactory = new SerilogLoggerFactory(serilog);

        try
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            IOdsSource source = parsed.Source is { } connectionString
                ? new PostgresOdsSource(connectionString)
                : await DemoOds.EnsureAsync(options.ResolvedDataFolder, today, ct);
            // Portal:ExtractStore:Kind: the folder (default) or the S3 bucket prefix of the Aws section; --output is always a folder.
            var store = Aws.AwsStateRegistration.CreateEngineStore(options, aws, parsed.Output, loggerFactory);
            var engine = new ExtractEngine(source, store, clock, loggerFactory.CreateLogger<ExtractEngine>());
            var request = new ExtractRequest(parsed.Months, ExtractRequest.NewRunId(clock.GetUtcNow()),
                $"cli:{Environment.UserName}", parsed.Reason);

            var result = await engine.RunAsync(request, progress: null, ct);
            await stdout.WriteLineAsync($"run {result.RunId}: {source.Description} -> {store.Description} in {result.Elapsed.TotalSeconds:0.0} s");
            foreach (var outcome in result.Months)
                await stdout.WriteLineAsync(Summarize(outcome.Manifest));
            return 0;
        }
        catch (ExtractException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            if (verbose) await stderr.WriteLineAsync(e.ToString());
            return 1;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("error: cancelled; nothing was published for the months not yet reported");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or Amazon.Runtime.AmazonServiceException)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            if (verbose) await stderr.WriteLineAsync(e.ToString());
            return 1;
        }
    }

    internal static string Summarize(ExtractManifest manifest)
    {
        var q = manifest.DataQuality;
        var x = q.Excluded;
        return $"{manifest.Month}  {manifest.Files.Count} files, {manifest.Files.Sum(f => f.Rows)} rows  " +
               $"loans read {q.LoansRead}, used {q.LoansUsed}, left out {q.LoansExcluded} " +
               $"(null amount {x.NullAmount}, null date {x.NullLoanDate}, unknown account {x.OrphanAccount}, " +
               $"unknown client {x.OrphanClient}, unknown branch {x.OrphanBranch}, unknown bank {x.OrphanBank})";
    }

    internal static Arguments Parse(string[] args)
    {
        var months = new List<ExtractMonth>();
        string? from = null, to = null, source = null, output = null, reason = null;
        var verbose = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--month": months.Add(ParseMonth(Value())); break;
                case "--from": from = Value(); break;
                case "--to": to = Value(); break;
                case "--source": source = Value(); break;
                case "--output": output = Value(); break;
                case "--reason": reason = Value(); break;
                case "--verbose": verbose = true; break;
                default: throw new FormatException($"unknown argument '{args[i]}'");
            }
        }
        if ((from is null) != (to is null)) throw new FormatException("--from and --to go together");
        if (from is not null)
        {
            var (first, last) = (ParseMonth(from), ParseMonth(to!));
            if (last < first) throw new FormatException($"--from {first} is after --to {last}");
            months.AddRange(ExtractMonth.Range(first, last));
        }
        if (months.Count == 0) throw new FormatException("give at least one --month, or --from and --to");
        if (output is not null && output.Split('/', '\\').Contains(".."))
            throw new FormatException($"--output '{output}' must not contain '..'");
        return new Arguments(months.Distinct().Order().ToList(), source, output, reason ?? "command line", verbose);
    }

    private static ExtractMonth ParseMonth(string text) =>
        ExtractMonth.TryParse(text, out var month, out var error) ? month : throw new FormatException(error);
}
