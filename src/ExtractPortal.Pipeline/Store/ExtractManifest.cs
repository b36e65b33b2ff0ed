using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExtractPortal.Pipeline.Store;

/// <summary>
/// The record of one published month (docs/extract-store.md): which run, which files with their
/// checksums and control totals, and the month's data-quality counts. Same JSON as the Glue job's.
/// </summary>
public sealed record ExtractManifest
{
    [JsonPropertyName("manifest_version")] public int ManifestVersion { get; init; } = 1;
    [JsonPropertyName("run_id")] public required string RunId { get; init; }
    [JsonPropertyName("engine")] public required string Engine { get; init; }
    [JsonPropertyName("month")] public required string Month { get; init; }
    [JsonPropertyName("window_start")] public required string WindowStart { get; init; }
    [JsonPropertyName("window_end")] public required string WindowEnd { get; init; }
    [JsonPropertyName("triggered_by")] public required string TriggeredBy { get; init; }
    [JsonPropertyName("reason")] public required string Reason { get; init; }
    [JsonPropertyName("started_at")] public required DateTimeOffset StartedAt { get; init; }
    [JsonPropertyName("published_at")] public DateTimeOffset PublishedAt { get; init; }
    [JsonPropertyName("files")] public required IReadOnlyList<ManifestFile> Files { get; init; }
    [JsonPropertyName("data_quality")] public required DataQuality DataQuality { get; init; }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,   // readable names: "&" not "\u0026"
        Converters = { new UtcTimestampConverter() },
    };

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);

    public static async Task<ExtractManifest> ReadAsync(Stream json, CancellationToken ct) =>
        await JsonSerializer.DeserializeAsync<ExtractManifest>(json, JsonOptions, ct)
        ?? throw new InvalidDataException("the manifest is empty");

    /// <summary>Timestamps as "2026-11-27T08:01:02Z", the form both engines write.</summary>
    private sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed record ManifestFile
{
    [JsonPropertyName("bank_id")] public required int BankId { get; init; }
    [JsonPropertyName("bank_name")] public required string? BankName { get; init; }
    [JsonPropertyName("token")] public required string Token { get; init; }
    [JsonPropertyName("key")] public required string Key { get; init; }
    [JsonPropertyName("rows")] public required long Rows { get; init; }
    [JsonPropertyName("bytes")] public required long Bytes { get; init; }
    [JsonPropertyName("sha256")] public required string Sha256 { get; init; }
    [JsonPropertyName("control_totals")] public required ManifestControlTotals ControlTotals { get; init; }
}

public sealed record ManifestControlTotals
{
    [JsonPropertyName("loan_count")] public long LoanCount { get; init; }
    [JsonPropertyName("loan_amount")] public long LoanAmount { get; init; }
    [JsonPropertyName("loan_count_3m")] public long LoanCount3m { get; init; }
    [JsonPropertyName("loan_amount_3m")] public long LoanAmount3m { get; init; }
}

/// <summary>The month's row of the loan_data_quality view.</summary>
public sealed record DataQuality
{
    [JsonPropertyName("loans_read")] public long LoansRead { get; init; }
    [JsonPropertyName("loans_used")] public long LoansUsed { get; init; }
    [JsonPropertyName("excluded")] public required ExcludedLoans Excluded { get; init; }

    [JsonIgnore] public long LoansExcluded => LoansRead - LoansUsed;
}

public sealed record ExcludedLoans
{
    [JsonPropertyName("null_amount")] public long NullAmount { get; init; }
    [JsonPropertyName("null_loan_date")] public long NullLoanDate { get; init; }
    [JsonPropertyName("orphan_account")] public long OrphanAccount { get; init; }
    [JsonPropertyName("orphan_client")] public long OrphanClient { get; init; }
    [JsonPropertyName("orphan_branch")] public long OrphanBranch { get; init; }
    [JsonPropertyName("orphan_bank")] public long OrphanBank { get; init; }
}
