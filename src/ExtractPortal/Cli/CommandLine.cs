using ExtractPortal.Configuration;
using Microsoft.Extensions.Options;

namespace ExtractPortal.Cli;

/// <summary>
/// The app's command-line verbs, which run without the web host: the same binary serves the
/// portal (no verb) and the batch commands (dotnet ExtractPortal.dll extract ...).
/// </summary>
public static class CommandLine
{
    public static bool IsVerb(string[] args) => args.Length > 0 && args[0] is ExtractCommand.Name or SeedOdsCommand.Name or HealthCheckCommand.Name;

    public static async Task<int> RunAsync(string[] args)
    {
        // Verbs that need no Portal configuration: the container's health probe and the ODS seeder.
        if (args[0] == HealthCheckCommand.Name) return await HealthCheckCommand.RunAsync(args[1..], Console.Out, Console.Error, CancellationToken.None);
        if (args[0] == SeedOdsCommand.Name) return await SeedOdsCommand.RunAsync(args[1..], Console.Out, Console.Error, TimeProvider.System, CancellationToken.None);

        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile("appsettings.Local.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        var options = configuration.GetSection(PortalOptions.Section).Get<PortalOptions>() ?? new PortalOptions();
        var validation = new DataAnnotationValidateOptions<PortalOptions>(null).Validate(null, options);
        if (validation.Failed)
        {
            await Console.Error.WriteLineAsync($"error: invalid configuration: {validation.FailureMessage}");
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        var aws = configuration.GetSection(Aws.AwsOptions.Section).Get<Aws.AwsOptions>();   // for Portal:ExtractStore:Kind=S3
        return await ExtractCommand.RunAsync(args[1..], options, Console.Out, Console.Error, TimeProvider.System, cancel.Token, aws);
    }
}
