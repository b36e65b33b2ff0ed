using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace ExtractPortal.Aws.DynamoDb;

/// <summary>
/// The key schema of the two DynamoDB tables (docs/aws-mode-state.md is the description Terraform
/// follows; the table names come from Aws:RunsTable and Aws:AuditTable). <see cref="CreateAsync"/>
/// builds them for tests and local stacks (dynalite); in AWS, Terraform owns the tables.
/// </summary>
public static class DynamoTables
{
    public const string Pk = "pk";
    public const string Sk = "sk";

    // Runs table GSIs: every index sorts by "<created_at>#<run_id>" so pages come newest first.
    public const string RunsByCreated = "by-created";   // gsi1pk = "RUNS"                 all runs
    public const string RunsByState = "by-state";       // gsi2pk = "STATE#<state>"        runs in a state
    public const string RunsByMonth = "by-month";       // gsi3pk = "MONTH#<YYYY-MM>"      month link items -> run ids

    // Audit table GSIs: every index sorts by "<at>#<entry id>".
    public const string AuditByUser = "by-user";        // gsi_user = user (exact)
    public const string AuditByAction = "by-action";    // gsi_action = action
    public const string AuditByRun = "by-run";          // gsi_run = run id (sparse: entries about a run)

    public static CreateTableRequest RunsTable(string name) => Table(name,
        Index(RunsByCreated, "gsi1pk", "gsi1sk", ProjectionType.ALL),
        Index(RunsByState, "gsi2pk", "gsi2sk", ProjectionType.ALL),
        Index(RunsByMonth, "gsi3pk", "gsi3sk", ProjectionType.KEYS_ONLY));

    public static CreateTableRequest AuditTable(string name) => Table(name,
        Index(AuditByUser, "gsi_user", "gsi_sk", ProjectionType.ALL),
        Index(AuditByAction, "gsi_action", "gsi_sk", ProjectionType.ALL),
        Index(AuditByRun, "gsi_run", "gsi_sk", ProjectionType.ALL));

    /// <summary>Creates a table unless it exists (tests, local stacks) and waits until it is active.</summary>
    public static async Task CreateAsync(IAmazonDynamoDB dynamo, CreateTableRequest request, CancellationToken ct)
    {
        try { await dynamo.CreateTableAsync(request, ct); }
        catch (ResourceInUseException) { }
        for (var i = 0; i < 100; i++)
        {
            var table = await dynamo.DescribeTableAsync(request.TableName, ct);
            if (table.Table.TableStatus == TableStatus.ACTIVE &&
                (table.Table.GlobalSecondaryIndexes ?? []).All(g => g.IndexStatus == IndexStatus.ACTIVE)) return;
            await Task.Delay(100, ct);
        }
        throw new TimeoutException($"DynamoDB table {request.TableName} did not become active");
    }

    private static CreateTableRequest Table(string name, params (GlobalSecondaryIndex Index, string[] Attributes)[] indexes)
    {
        var attributes = new[] { Pk, Sk }.Concat(indexes.SelectMany(i => i.Attributes)).Distinct()
            .Select(a => new AttributeDefinition(a, ScalarAttributeType.S)).ToList();
        return new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = attributes,
            KeySchema = [new KeySchemaElement(Pk, KeyType.HASH), new KeySchemaElement(Sk, KeyType.RANGE)],
            GlobalSecondaryIndexes = indexes.Select(i => i.Index).ToList(),
        };
    }

    private static (GlobalSecondaryIndex, string[]) Index(string name, string hash, string range, ProjectionType projection) =>
        (new GlobalSecondaryIndex
        {
            IndexName = name,
            KeySchema = [new KeySchemaElement(hash, KeyType.HASH), new KeySchemaElement(range, KeyType.RANGE)],
            Projection = new Projection { ProjectionType = projection },
        }, [hash, range]);
}

/// <summary>Small helpers shared by the DynamoDB stores.</summary>
internal static class Dynamo
{
    /// <summary>Fixed-width UTC timestamps, so string order is time order.</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>The first sort-key value of a day, and a value above every sort key of a day.</summary>
    public static string DayStart(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    public static string DayEnd(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "~";

    public static AttributeValue S(string value) => new() { S = value };
    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static string? Str(this Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && v.S is not null ? v.S : null;

    public static long Num(this Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && v.N is not null ? long.Parse(v.N, CultureInfo.InvariantCulture) : 0;

    public static DateTimeOffset? TimeOrNull(this Dictionary<string, AttributeValue> item, string name) =>
        item.Str(name) is { } text ? ParseTime(text) : null;

    public static void Set(this Dictionary<string, AttributeValue> item, string name, string? value)
    {
        if (value is not null) item[name] = S(value);
    }

    /// <summary>An opaque page cursor: the key of the last item returned (string attributes only).</summary>
    public static string EncodeCursor(Dictionary<string, AttributeValue> key) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(key.ToDictionary(kv => kv.Key, kv => kv.Value.S)));

    public static Dictionary<string, AttributeValue>? DecodeCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor)) return null;
        try
        {
            var map = JsonSerializer.Deserialize<Dictionary<string, string>>(Encoding.UTF8.GetString(Convert.FromBase64String(cursor)));
            return map?.ToDictionary(kv => kv.Key, kv => S(kv.Value));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new ArgumentException("not a page cursor of this store", nameof(cursor), e);
        }
    }

    public static Dictionary<string, AttributeValue> KeyOf(Dictionary<string, AttributeValue> item, params string[] names) =>
        names.Distinct().Where(item.ContainsKey).ToDictionary(n => n, n => item[n]);
}
