using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ExtractPortal.Features.Backfills;
using ExtractPortal.Features.Runs;
using static ExtractPortal.Aws.DynamoDb.Dynamo;

namespace ExtractPortal.Aws.DynamoDb;

/// <summary>
/// Backfill groups in the runs table (AWS mode; docs/aws-mode-state.md), no table of their own:
/// <list type="bullet">
/// <item>header: <c>pk=BACKFILL#&lt;id&gt;, sk=BACKFILL</c>, listed newest first through the <c>by-created</c>
/// index under its own hash value <c>gsi1pk=BACKFILLS</c> (runs use <c>RUNS</c>, so neither sees the other);</item>
/// <item>month: <c>pk=BACKFILL#&lt;id&gt;, sk=MONTH#&lt;YYYY-MM&gt;</c> with the month's current <c>run_id</c>
/// (a re-run of failed months overwrites it).</item>
/// </list>
/// A backfill is read with one Query on its partition, then its runs' states with one BatchGetItem.
/// </summary>
public sealed class DynamoBackfillStore(IAmazonDynamoDB dynamo, DynamoRunIndex runs) : IBackfillStore
{
    private const string AllBackfills = "BACKFILLS";
    private const string HeaderSk = "BACKFILL";

    private string Table => runs.TableName;

    private static AttributeValue Pk(string backfillId) => S("BACKFILL#" + backfillId);

    public async Task CreateAsync(string backfillId, DateTimeOffset createdAt, string triggeredBy, string reason, BackfillMode mode,
        string from, string to, CancellationToken ct)
    {
        await dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = Table,
            Item = new()
            {
                [DynamoTables.Pk] = Pk(backfillId), [DynamoTables.Sk] = S(HeaderSk),
                ["backfill_id"] = S(backfillId), ["created_at"] = S(Time(createdAt)), ["triggered_by"] = S(triggeredBy),
                ["reason"] = S(reason), ["mode"] = S(mode.ToString()), ["from_month"] = S(from), ["to_month"] = S(to),
                ["gsi1pk"] = S(AllBackfills), ["gsi1sk"] = S($"{Time(createdAt)}#{backfillId}"),
            },
            ConditionExpression = "attribute_not_exists(pk)",
        }, ct);
    }

    public async Task SetMonthRunAsync(string backfillId, string month, string runId, CancellationToken ct) =>
        await dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = Table,
            Item = new()
            {
                [DynamoTables.Pk] = Pk(backfillId), [DynamoTables.Sk] = S("MONTH#" + month),
                ["month"] = S(month), ["run_id"] = S(runId),
            },
        }, ct);

    public async Task<IReadOnlyList<Backfill>> ListAsync(int count, CancellationToken ct)
    {
        var response = await dynamo.QueryAsync(new QueryRequest
        {
            TableName = Table,
            IndexName = DynamoTables.RunsByCreated,
            KeyConditionExpression = "gsi1pk = :h",
            ExpressionAttributeValues = new() { [":h"] = S(AllBackfills) },
            ScanIndexForward = false,
            Limit = Math.Clamp(count, 1, 200),
        }, ct);
        var result = new List<Backfill>();
        foreach (var header in response.Items ?? [])
            if (await GetAsync(header.Str("backfill_id")!, ct) is { } backfill) result.Add(backfill);
        return result;
    }

    public async Task<Backfill?> GetAsync(string backfillId, CancellationToken ct)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        var request = new QueryRequest
        {
            TableName = Table,
            KeyConditionExpression = "pk = :pk",
            ExpressionAttributeValues = new() { [":pk"] = Pk(backfillId) },
            ConsistentRead = true,
        };
        do
        {
            var response = await dynamo.QueryAsync(request, ct);
            items.AddRange(response.Items ?? []);
            request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        } while (request.ExclusiveStartKey is not null);

        var header = items.FirstOrDefault(i => i.Str(DynamoTables.Sk) == HeaderSk);
        if (header is null) return null;
        var monthItems = items.Where(i => i.Str(DynamoTables.Sk)!.StartsWith("MONTH#", StringComparison.Ordinal))
            .OrderBy(i => i.Str("month"), StringComparer.Ordinal).ToList();
        var states = (await runs.GetManyAsync(monthItems.Select(i => i.Str("run_id")!).ToList(), ct)).ToDictionary(r => r.RunId);
        var months = monthItems.Select(i =>
        {
            var runId = i.Str("run_id")!;
            var run = states.GetValueOrDefault(runId);
            return new BackfillMonth(i.Str("month")!, runId, run is null ? RunState.Failed : run.State,
                run is null ? "the run is not in the run index" : run.Error);
        }).ToList();
        return new Backfill(backfillId, ParseTime(header.Str("created_at")!), header.Str("triggered_by") ?? "", header.Str("reason") ?? "",
            Enum.TryParse<BackfillMode>(header.Str("mode"), out var mode) ? mode : BackfillMode.All,
            header.Str("from_month") ?? "", header.Str("to_month") ?? "", months);
    }
}
