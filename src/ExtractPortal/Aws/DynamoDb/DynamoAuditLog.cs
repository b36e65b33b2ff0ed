using System.Globalization;
using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ExtractPortal.Features.Audit;
using static ExtractPortal.Aws.DynamoDb.Dynamo;

namespace ExtractPortal.Aws.DynamoDb;

/// <summary>
/// Audit filters. <see cref="UserExact"/>, <see cref="Action"/> and <see cref="RunId"/> use an index;
/// <see cref="UserContains"/> and <see cref="Text"/> are case-insensitive substring filters.
/// </summary>
public sealed record AuditFilter
{
    public string? UserExact { get; init; }
    public string? UserContains { get; init; }
    public string? Action { get; init; }
    public string? RunId { get; init; }
    /// <summary>Matches target, reason or detail.</summary>
    public string? Text { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
}

public sealed record AuditEntryPage(IReadOnlyList<AuditEntry> Items, string? NextCursor);

/// <summary>
/// The append-only audit trail in DynamoDB (docs/aws-mode-state.md). Base table: <c>pk=AUDIT#&lt;YYYY-MM&gt;</c>
/// (one partition per month of entries), <c>sk=&lt;at&gt;#&lt;random&gt;</c>; GSIs by user, action and run id,
/// each sorted by the same <c>gsi_sk</c>. Appends are conditional puts that never overwrite; this class
/// has no update or delete. A meta item remembers the first month so time queries know where to stop.
/// Entries are the portal's <see cref="AuditEntry"/>; the <see cref="AuditEntry.Id"/> of an entry read back is
/// its time in Unix milliseconds (the stored key is <c>&lt;at&gt;#&lt;random&gt;</c>).
/// </summary>
public sealed class DynamoAuditLog(IAmazonDynamoDB dynamo, string tableName, TimeProvider clock)
{
    private static readonly Dictionary<string, AttributeValue> MetaKey = new() { [DynamoTables.Pk] = S("AUDIT#META"), [DynamoTables.Sk] = S("FIRST_MONTH") };
    private string? _firstMonthRecorded;

    public string TableName => tableName;

    public async Task AppendAsync(AuditEntry entry, CancellationToken ct)
    {
        var entryId = $"{Time(entry.At)}#{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 6))}";
        var month = Month(entry.At);
        var item = new Dictionary<string, AttributeValue>
        {
            [DynamoTables.Pk] = S("AUDIT#" + month),
            [DynamoTables.Sk] = S(entryId),
            ["gsi_sk"] = S(entryId),
            ["at"] = S(Time(entry.At)),
            ["user"] = S(entry.User),
            ["user_lc"] = S(entry.User.ToLowerInvariant()),
            ["gsi_user"] = S(entry.User),
            ["role"] = S(entry.Role),
            ["action"] = S(entry.Action),
            ["gsi_action"] = S(entry.Action),
        };
        item.Set("target", entry.Target);
        item.Set("run_id", entry.RunId);
        item.Set("gsi_run", entry.RunId is { Length: > 0 } ? entry.RunId : null);
        item.Set("reason", entry.Reason);
        item.Set("detail", entry.Detail);
        var text = string.Join('\n', new[] { entry.Target, entry.Reason, entry.Detail }.Where(t => t is not null)).ToLowerInvariant();
        if (text.Length > 0) item["text_lc"] = S(text);

        await dynamo.PutItemAsync(new PutItemRequest { TableName = tableName, Item = item, ConditionExpression = "attribute_not_exists(pk)" }, ct);
        await RecordFirstMonthAsync(month, ct);
    }

    /// <summary>Keeps the earliest month with entries (conditional: only ever moves back in time).</summary>
    private async Task RecordFirstMonthAsync(string month, CancellationToken ct)
    {
        if (_firstMonthRecorded is { } known && string.CompareOrdinal(known, month) <= 0) return;
        try
        {
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = MetaKey,
                UpdateExpression = "SET first_month = :m",
                ConditionExpression = "attribute_not_exists(first_month) OR first_month > :m",
                ExpressionAttributeValues = new() { [":m"] = S(month) },
            }, ct);
        }
        catch (ConditionalCheckFailedException) { }
        _firstMonthRecorded = month;
    }

    private async Task<string?> FirstMonthAsync(CancellationToken ct)
    {
        var item = (await dynamo.GetItemAsync(new GetItemRequest { TableName = tableName, Key = MetaKey, ConsistentRead = true }, ct)).Item;
        return item?.Str("first_month");
    }

    /// <summary>A page of entries, newest first, and the cursor of the next page (null: no more).</summary>
    public async Task<AuditEntryPage> QueryAsync(AuditFilter filter, int limit, string? cursor, CancellationToken ct)
    {
        limit = Math.Clamp(limit, 1, 500);
        var items = new List<AuditEntry>();
        string? next = null;
        await foreach (var (entry, position) in ScanAsync(filter, newestFirst: true, Decode(cursor), ct))
        {
            if (items.Count == limit) { next = position; break; }
            items.Add(entry);
        }
        return new AuditEntryPage(items, next);
    }

    /// <summary>Every matching entry, oldest first, streamed page by page (the CSV export).</summary>
    public async IAsyncEnumerable<AuditEntry> ExportAsync(AuditFilter filter, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var (entry, _) in ScanAsync(filter, newestFirst: false, null, ct)) yield return entry;
    }

    /// <summary>Every matching entry, newest first, streamed page by page.</summary>
    public async IAsyncEnumerable<AuditEntry> NewestFirstAsync(AuditFilter filter, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var (entry, _) in ScanAsync(filter, newestFirst: true, null, ct)) yield return entry;
    }

    /// <summary>
    /// Walks the index the filter chooses (run id, action, exact user) or the month partitions
    /// between the date range (or the first recorded month) and now. Yields each match with the
    /// cursor that resumes at it.
    /// </summary>
    private async IAsyncEnumerable<(AuditEntry Entry, string Position)> ScanAsync(AuditFilter filter, bool newestFirst,
        (string? Partition, Dictionary<string, AttributeValue>? Start)? resume, [EnumeratorCancellation] CancellationToken ct)
    {
        var index = filter switch
        {
            { RunId: { Length: > 0 } r } => (Name: DynamoTables.AuditByRun, Hash: "gsi_run", Value: r.Trim()),
            { Action: { Length: > 0 } a } => (Name: DynamoTables.AuditByAction, Hash: "gsi_action", Value: a.Trim()),
            { UserExact: { Length: > 0 } u } => (Name: DynamoTables.AuditByUser, Hash: "gsi_user", Value: u.Trim()),
            _ => (Name: (string?)null, Hash: DynamoTables.Pk, Value: ""),
        };

        IEnumerable<string> partitions;
        if (index.Name is not null) partitions = [index.Value];
        else
        {
            var first = await FirstMonthAsync(ct);
            if (first is null) yield break;
            var fromMonth = filter.From is { } f ? Max(first, f.ToString("yyyy-MM", CultureInfo.InvariantCulture)) : first;
            var toMonth = (filter.To ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).ToString("yyyy-MM", CultureInfo.InvariantCulture);
            var months = Months(fromMonth, toMonth).Select(m => "AUDIT#" + m).ToList();
            if (newestFirst) months.Reverse();
            partitions = months;
        }
        var rangeName = index.Name is null ? DynamoTables.Sk : "gsi_sk";

        var skipping = resume is { Partition: not null };
        foreach (var partition in partitions)
        {
            if (skipping && partition != resume!.Value.Partition) continue;
            var request = new QueryRequest
            {
                TableName = tableName,
                IndexName = index.Name,
                KeyConditionExpression = "#h = :h",
                ExpressionAttributeNames = new() { ["#h"] = index.Hash },
                ExpressionAttributeValues = new() { [":h"] = S(partition) },
                ScanIndexForward = !newestFirst,
                Limit = 200,
                ExclusiveStartKey = skipping ? resume!.Value.Start : null,
            };
            skipping = false;
            switch (filter.From, filter.To)
            {
                case ({ } from, { } to):
                    request.KeyConditionExpression += " AND #r BETWEEN :from AND :to";
                    request.ExpressionAttributeValues[":from"] = S(DayStart(from)); request.ExpressionAttributeValues[":to"] = S(DayEnd(to)); break;
                case ({ } from, null):
                    request.KeyConditionExpression += " AND #r >= :from"; request.ExpressionAttributeValues[":from"] = S(DayStart(from)); break;
                case (null, { } to):
                    request.KeyConditionExpression += " AND #r <= :to"; request.ExpressionAttributeValues[":to"] = S(DayEnd(to)); break;
            }
            if (request.KeyConditionExpression.Contains("#r")) request.ExpressionAttributeNames["#r"] = rangeName;
            AddFilters(request, filter, index.Hash);

            do
            {
                var response = await dynamo.QueryAsync(request, ct);
                foreach (var item in response.Items ?? [])
                {
                    // The cursor resumes *at* this item: start after the item before it.
                    yield return (FromItem(item), Encode(partition, request.ExclusiveStartKey));
                    request.ExclusiveStartKey = KeyOf(item, DynamoTables.Pk, DynamoTables.Sk, index.Hash, rangeName);
                }
                request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
            } while (request.ExclusiveStartKey is not null);
        }
    }

    private static void AddFilters(QueryRequest request, AuditFilter filter, string indexHash)
    {
        var conditions = new List<string>();
        void Add(string condition, string name, string value)
        {
            conditions.Add(condition);
            request.ExpressionAttributeValues[name] = S(value);
        }
        if (indexHash != "gsi_action" && filter.Action is { Length: > 0 } action) Add("#action = :action", ":action", action.Trim());
        if (indexHash != "gsi_user" && filter.UserExact is { Length: > 0 } exact) Add("#user = :user", ":user", exact.Trim());
        if (filter.UserContains is { Length: > 0 } user) Add("contains(user_lc, :userlc)", ":userlc", user.Trim().ToLowerInvariant());
        if (filter.Text is { Length: > 0 } text) Add("contains(text_lc, :text)", ":text", text.Trim().ToLowerInvariant());
        if (conditions.Count == 0) return;
        if (conditions.Any(c => c.Contains("#action"))) request.ExpressionAttributeNames["#action"] = "action";
        if (conditions.Any(c => c.Contains("#user"))) request.ExpressionAttributeNames["#user"] = "user";
        request.FilterExpression = string.Join(" AND ", conditions);
    }

    private static string Encode(string partition, Dictionary<string, AttributeValue>? start) =>
        partition + "|" + (start is null ? "" : EncodeCursor(start));

    private static (string?, Dictionary<string, AttributeValue>?)? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor)) return null;
        var bar = cursor.IndexOf('|');
        if (bar < 0) throw new ArgumentException("not a page cursor of the audit trail", nameof(cursor));
        return (cursor[..bar], DecodeCursor(cursor[(bar + 1)..]));
    }

    private static string Month(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static string Max(string a, string b) => string.CompareOrdinal(a, b) >= 0 ? a : b;

    private static IEnumerable<string> Months(string from, string to)
    {
        var month = DateOnly.ParseExact(from + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var last = DateOnly.ParseExact(to + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        for (; month <= last; month = month.AddMonths(1)) yield return month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
    }

    private static AuditEntry FromItem(Dictionary<string, AttributeValue> item)
    {
        var at = ParseTime(item.Str("at")!);
        return new()
        {
            Id = at.ToUnixTimeMilliseconds(),
            At = at,
            User = item.Str("user") ?? "",
            Role = item.Str("role") ?? "",
            Action = item.Str("action") ?? "",
            Target = item.Str("target"),
            RunId = item.Str("run_id"),
            Reason = item.Str("reason"),
            Detail = item.Str("detail"),
        };
    }
}
