using System.ComponentModel.DataAnnotations;

namespace ExtractPortal.Configuration;

public enum PortalMode { Local, Aws }

/// <summary>
/// The "Portal" configuration section, shared by the web portal and the command-line verbs.
/// Validated at start-up: a wrong value stops the app with a message naming the setting.
/// </summary>
public sealed class PortalOptions : IValidatableObject
{
    public const string Section = "Portal";

    /// <summary>Local (default): demo ODS or a PostgreSQL ODS, DuckDB engine, local folder store. Aws: Glue, S3, CloudWatch Logs.</summary>
    public PortalMode Mode { get; set; } = PortalMode.Local;

    /// <summary>
    /// Where local mode keeps its state: the demo ODS, the extract store, the run history. Empty means
    /// the user's local data folder (~/.local/share/ExtractPortal), so the portal and the command line
    /// share one store whatever the working directory.
    /// </summary>
    public string? DataFolder { get; set; }

    /// <summary>An Npgsql connection string of a PostgreSQL ODS; empty means the embedded demo ODS.
    /// Keep passwords out of appsettings.json: use an environment variable or appsettings.Local.json (git-ignored).</summary>
    public string? OdsConnectionString { get; set; }

    /// <summary>Shown in the app bar so nobody confuses a demo with production.</summary>
    [Required, StringLength(40, MinimumLength = 1)]
    public string EnvironmentName { get; set; } = "LOCAL";

    /// <summary>How many local extract runs may execute at once (each is one DuckDB pass).</summary>
    [Range(1, 8)]
    public int MaxConcurrentRuns { get; set; } = 1;

    /// <summary>
    /// Networks (CIDR) besides loopback from which the local development sign-in answers. Empty by
    /// default; the Docker stack sets its private bridge networks, since the browser's requests reach
    /// the container from the bridge gateway, not from loopback. Never used in AWS mode.
    /// </summary>
    public List<string> DevSignInNetworks { get; set; } = [];

    /// <summary>Where the local engine publishes: the data folder (default) or the S3 bucket prefix of the Aws section.</summary>
    public ExtractStoreOptions ExtractStore { get; set; } = new();

    public string ResolvedDataFolder => string.IsNullOrWhiteSpace(DataFolder)
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "ExtractPortal")
        : Path.GetFullPath(DataFolder);

    /// <summary>The local extract store: laid out exactly like the S3 bucket's extract prefix.</summary>
    public string ExtractStoreFolder => Path.Combine(ResolvedDataFolder, "extracts");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(OdsConnectionString))
        {
            string? error = null;
            try { _ = new Npgsql.NpgsqlConnectionStringBuilder(OdsConnectionString); }
            catch (ArgumentException e) { error = e.Message; }
            if (error is not null)
                yield return new ValidationResult($"Portal:OdsConnectionString is not a valid Npgsql connection string: {error}", [nameof(OdsConnectionString)]);
        }
        foreach (var network in DevSignInNetworks)
            if (!System.Net.IPNetwork.TryParse(network, out _))
                yield return new ValidationResult($"Portal:DevSignInNetworks: '{network}' is not a network in CIDR form (e.g. 172.16.0.0/12)", [nameof(DevSignInNetworks)]);
        if (DataFolder is { Length: > 0 } folder && folder.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            yield return new ValidationResult("Portal:DataFolder is not a valid path", [nameof(DataFolder)]);
    }
}

public enum ExtractStoreKind { Folder, S3 }

/// <summary>
/// "Portal:ExtractStore". Kind=S3 publishes the local engine's runs to Aws:ExtractsBucket/Aws:ExtractsPrefix
/// (Aws:ServiceUrls:S3 for MinIO/s3rver) with the same layout and bytes as the folder store.
/// </summary>
public sealed class ExtractStoreOptions
{
    public ExtractStoreKind Kind { get; set; } = ExtractStoreKind.Folder;
}
