using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ExtractPortal.Features.Runs;
using static ExtractPortal.Aws.DynamoDb.Dynamo;

namespace ExtractPortal.Aws.DynamoDb;

/// <summary>
/// The <c>state</c> attribute of a run item (and its <c>gsi2pk</c>, <c>STATE#&lt;state&gt;</c>): the
/// <see cref="RunState"/> names, spelled out so that renaming an enum member cannot change stored data.
/// </summary>
public static class RunStateAttribute
{
    public static string Of(RunState state) => state switch
    {
        RunState.Queued => "Queued",
        RunState.Running => "Running",
        RunState.Succeeded => "Succeeded",
        RunState.Failed => "Failed",
        RunState.Cancelled => "Cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static RunState Parse(string text) => text switch
    {
        "Queued" => RunState.Queued,
        "Running" => RunState.Running,
        "Succeeded" => RunState.Succeeded,
        "Failed" => RunState.Failed,
        "Cancelled" => RunState.Cancelled,
        _ => throw new FormatException($"'{text}' is not a run state of the run index"),
    };
}

/// <summary>Filters of a run-index page. Month and state use their indexes; TriggeredBy is a case-insensitive substring.</summary>
public sealed record RunIndexFilter
{
    public RunState? State { get; init; }
    public string? Month { get; init; }
    public string? TriggeredBy { get; init; }
    /// <summary>Created on or after this day (UTC).</summary>
    public DateOnly? From { get; init; }
    /// <summary>Created on or before this day (UTC).</summary>
    public DateOnly? To { get; init; }
}

/// <summary>A page, newest first, and the cursor of the next page (null: no more).</summary>
public sealed record RunIndexPage(IReadOnlyList<RunRecord> Items, string? NextCursor);

/// <summary>
/// The run index and the per-month guard in one DynamoDB table (docs/aws-mode-state.md).
/// <list type="bullet">
/// <item>run: <c>pk=RUN#&lt;id&gt;, sk=RUN</c>, with <c>gsi1</c> (all runs) and <c>gsi2</c> (by state) sorted by created time;</item>
/// <item>month link: <c>pk=RUN#&lt;id&gt;, sk=MONTH#&lt;YYYY-MM&gt;</c>, <c>gsi3</c> by month;</item>
/// <item>guard: <c>pk=GUARD#&lt;YYYY-MM&gt;, sk=GUARD</c>, holding the active run id; created only with
/// <c>attribute_not_exists(pk)</c>, deleted only with <c>run_id = :id</c>.</item>
/// </list>
/// Runs are the portal's <see cref="RunRecord"/>s. Here <see cref="RunRecord.EngineRunId"/> is the Glue job
/// run id exactly as stored (<c>glue_run_id</c>, null until StartJobRun answered); for a run imported from
/// Glue it equals <see cref="RunRecord.RunId"/> (<see cref="DynamoRunStore"/> hands the portal null then).
/// </summary>
public sealed class DynamoRunIndex(IAmazonDynamoDB dynamo, string tableName, TimeProvider clock)
{
    /// <summary>The <see cref="RunRecord.Engine"/> of the runs in the index (Glue job runs).</summary>
    public const string GlueEngine = "glue";

    private const string RunSk = "RUN";
    private const string AllRuns = "RUNS";

    /// <summary>How long a claim may point at a run that is not written yet before it counts as abandoned.</summary>
    public TimeSpan ClaimGrace { get; init; } = TimeSpan.FromSeconds(30);

    public string TableName => tableName;

    private static Dictionary<string, AttributeValue> RunKey(string runId) => new() { [DynamoTables.Pk] = S("RUN#" + runId), [DynamoTables.Sk] = S(RunSk) };
    private static Dictionary<string, AttributeValue> GuardKey(string month) => new() { [DynamoTables.Pk] = S("GUARD#" + month), [DynamoTables.Sk] = S("GUARD") };

    /// <summary>
    /// Claims <paramref name="month"/> for a new queued run with the conditional write
    /// <c>attribute_not_exists(pk)</c> on the month's guard item, then writes the run. When another
    /// instance holds the month, returns its active run instead. A guard left behind by a run that
    /// has ended (or was never written, after <see cref="ClaimGrace"/>) is taken over with a
    /// condition on its run id, so two instances cannot both take it over.
    /// </summary>
    public async Task<StartResult> ClaimMonthAsync(string month, string runId, string triggeredBy, string reason, string? backfillId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var now = clock.GetUtcNow();
            try
            {
                await dynamo.PutItemAsync(new PutItemRequest
                {
                    TableName = tableName,
                    Item = new(GuardKey(month)) { ["run_id"] = S(runId), ["claimed_at"] = S(Time(now)) },
                    ConditionExpression = "attribute_not_exists(pk)",
                }, ct);
            }
            catch (ConditionalCheckFailedException)
            {
                var holder = await ActiveHolderAsync(month, ct);
                if (holder is { } active) return new StartResult(month, active, AlreadyActive: true);
                continue;   // released or taken over meanwhile: try again
            }

            var run = new RunRecord
            {
                RunId = runId, Months = [month], State = RunState.Queued, Stage = "Queued", StageDetail = "starting the Glue job",
                MonthsTotal = 1, TriggeredBy = triggeredBy, Reason = reason, BackfillId = backfillId, CreatedAt = now, Engine = GlueEngine,
            };
            await PutRunAsync(run, ct);
            return new StartResult(month, run, AlreadyActive: false);
        }
        throw new InvalidOperationException($"could not claim {month}: the guard kept changing");
    }

    /// <summary>The run holding the month's guard if it is active; null after clearing a stale guard (or when there is none).</summary>
    private async Task<RunRecord?> ActiveHolderAsync(string month, CancellationToken ct)
    {
        var guard = (await dynamo.GetItemAsync(new GetItemRequest { TableName = tableName, Key = GuardKey(month), ConsistentRead = true }, ct)).Item;
        if (guard is null || guard.Count == 0) return null;
        var holderId = guard.Str("run_id")!;
        var holder = await GetAsync(holderId, ct);
        if (holder is { IsActive: true }) return holder;
        if (holder is null && clock.GetUtcNow() - ParseTime(guard.Str("claimed_at")!) < ClaimGrace)
        {
            await Task.Delay(50, ct);   // the winner is between its two writes
            return await GetAsync(holderId, ct) is { IsActive: true } written ? written : null;
        }
        await ReleaseGuardAsync(month, holderId, ct);   // ended (or abandoned) without releasing: take over
        return null;
    }

    /// <summary>Deletes the month's guard if (and only if) it still belongs to <paramref name="runId"/>.</summary>
    public async Task ReleaseGuardAsync(string month, string runId, CancellationToken ct)
    {
        try
        {
            await dynamo.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = tableName,
                Key = GuardKey(month),
                ConditionExpression = "run_id = :id",
                ExpressionAttributeValues = new() { [":id"] = S(runId) },
            }, ct);
        }
        catch (ConditionalCheckFailedException) { }   // already released or someone else's now
    }

    /// <summary>The run holding the month's guard, if it is active.</summary>
    public async Task<RunRecord?> ActiveRunAsync(string month, CancellationToken ct)
    {
        var guard = (await dynamo.GetItemAsync(new GetItemRequest { TableName = tableName, Key = GuardKey(month), ConsistentRead = true }, ct)).Item;
        if (guard is null || guard.Count == 0) return null;
        return await GetAsync(guard.Str("run_id")!, ct) is { IsActive: true } run ? run : null;
    }

    /// <summary>Writes a run and its month links (also for runs learnt from Glue, e.g. the schedule's).</summary>
    public async Task PutRunAsync(RunRecord run, CancellationToken ct)
    {
        await dynamo.PutItemAsync(new PutItemRequest { TableName = tableName, Item = ToItem(run) }, ct);
        var sortKey = SortKey(run);
        foreach (var month in run.Months.Distinct())
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = tableName,
                Item = new()
                {
                    [DynamoTables.Pk] = S("RUN#" + run.RunId), [DynamoTables.Sk] = S("MONTH#" + month),
                    ["gsi3pk"] = S("MONTH#" + month), ["gsi3sk"] = S(sortKey), ["run_id"] = S(run.RunId),
                },
            }, ct);
    }

    public async Task<RunRecord?> GetAsync(string runId, CancellationToken ct)
    {
        var item = (await dynamo.GetItemAsync(new GetItemRequest { TableName = tableName, Key = RunKey(runId), ConsistentRead = true }, ct)).Item;
        return item is null || item.Count == 0 ? null : FromItem(item);
    }

    public async Task<IReadOnlyList<RunRecord>> GetManyAsync(IReadOnlyCollection<string> runIds, CancellationToken ct)
    {
        var result = new List<RunRecord>();
        foreach (var chunk in runIds.Distinct().Chunk(100))
        {
            var keys = chunk.Select(RunKey).ToList();
            while (keys.Count > 0)
            {
                var response = await dynamo.BatchGetItemAsync(new BatchGetItemRequest
                {
                    RequestItems = new() { [tableName] = new KeysAndAttributes { Keys = keys, ConsistentRead = true } },
                }, ct);
                if (response.Responses?.TryGetValue(tableName, out var items) == true) result.AddRange(items.Select(FromItem));
                keys = response.UnprocessedKeys?.TryGetValue(tableName, out var left) == true ? left.Keys ?? [] : [];
                if (keys.Count > 0) await Task.Delay(50, ct);
            }
        }
        return result;
    }

    /// <summary>Queued to running; false when the run is no longer queued.</summary>
    public Task<bool> MarkRunningAsync(string runId, string? glueRunId, CancellationToken ct) =>
        UpdateAsync(runId, "SET #state = :running, gsi2pk = :gsi2, started_at = :now, stage = :stage REMOVE stage_detail" + (glueRunId is null ? "" : " SET glue_run_id = :glue"),
            "#state = :queued",
            new() { [":running"] = S(RunStateAttribute.Of(RunState.Running)), [":gsi2"] = S("STATE#" + RunStateAttribute.Of(RunState.Running)), [":now"] = S(Time(clock.GetUtcNow())),
                    [":stage"] = S("Starting"), [":queued"] = S(RunStateAttribute.Of(RunState.Queued)), [":glue"] = S(glueRunId ?? "") }, ct);

    private static Dictionary<string, AttributeValue> GlueKey(string glueRunId) => new() { [DynamoTables.Pk] = S("GLUE#" + glueRunId), [DynamoTables.Sk] = S("GLUE") };

    /// <summary>
    /// Links a Glue job run to a run of the index: <c>glue_run_id</c> on the run and the pointer item
    /// <c>pk=GLUE#&lt;jr id&gt;, sk=GLUE</c> (<c>run_id</c>), by which the sync knows the Glue runs it has
    /// seen and manifests' run ids (the Glue id) lead to the portal's run.
    /// </summary>
    public async Task LinkGlueRunAsync(string runId, string glueRunId, CancellationToken ct)
    {
        await dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = tableName,
            Item = new(GlueKey(glueRunId)) { ["run_id"] = S(runId), ["glue_run_id"] = S(glueRunId) },
        }, ct);
        await SetGlueRunIdAsync(runId, glueRunId, ct);
    }

    /// <summary>The portal run id linked to a Glue job run id, or null when the index has not seen it.</summary>
    public async Task<string?> RunIdOfGlueRunAsync(string glueRunId, CancellationToken ct)
    {
        var item = (await dynamo.GetItemAsync(new GetItemRequest { TableName = tableName, Key = GlueKey(glueRunId), ConsistentRead = true }, ct)).Item;
        return item is null || item.Count == 0 ? null : item.Str("run_id");
    }

    /// <summary>Claims a month's guard for a run if nobody holds it (a Glue run started outside the portal); true when claimed.</summary>
    public async Task<bool> TryClaimGuardAsync(string month, string runId, CancellationToken ct)
    {
        try
        {
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = tableName,
                Item = new(GuardKey(month)) { ["run_id"] = S(runId), ["claimed_at"] = S(Time(clock.GetUtcNow())) },
                ConditionExpression = "attribute_not_exists(pk)",
            }, ct);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <summary>Stage and detail of a running run as Glue reports it, and Glue's start time.</summary>
    public Task<bool> ReportGlueStateAsync(string runId, string stage, string detail, int monthsPublished, DateTimeOffset? startedAt, CancellationToken ct)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":stage"] = S(stage), [":detail"] = S(detail), [":published"] = N(monthsPublished), [":running"] = S(RunStateAttribute.Of(RunState.Running)),
        };
        var update = "SET stage = :stage, stage_detail = :detail, months_published = :published";
        if (startedAt is { } started) { update += ", started_at = :started"; values[":started"] = S(Time(started)); }
        return UpdateAsync(runId, update, "#state = :running", values, ct);
    }

    /// <summary>Records the Glue job run id of a run (StartJobRun's answer).</summary>
    public Task<bool> SetGlueRunIdAsync(string runId, string glueRunId, CancellationToken ct) =>
        UpdateAsync(runId, "SET glue_run_id = :glue", "attribute_exists(pk)", new() { [":glue"] = S(glueRunId) }, ct);

    public Task<bool> ReportProgressAsync(string runId, string stage, string detail, int monthsPublished, CancellationToken ct) =>
        UpdateAsync(runId, "SET stage = :stage, stage_detail = :detail, months_published = :published", "#state = :running",
            new() { [":stage"] = S(stage), [":detail"] = S(detail), [":published"] = N(monthsPublished), [":running"] = S(RunStateAttribute.Of(RunState.Running)) }, ct);

    public Task<bool> RequestCancelAsync(string runId, string requestedBy, CancellationToken ct) =>
        UpdateAsync(runId, "SET cancel_requested_by = :by", "#state IN (:queued, :running)",
            new() { [":by"] = S(requestedBy), [":queued"] = S(RunStateAttribute.Of(RunState.Queued)), [":running"] = S(RunStateAttribute.Of(RunState.Running)) }, ct);

    /// <summary>
    /// Ends an active run (condition: it is still queued or running) and releases its months' guards.
    /// Returns false when the run had already ended (the guards are released anyway). The Glue sync
    /// passes Glue's own timings and the months whose run manifest exists.
    /// </summary>
    public async Task<bool> CompleteAsync(string runId, RunState finalState, string? error, CancellationToken ct,
        DateTimeOffset? finishedAt = null, DateTimeOffset? startedAt = null, int? monthsPublished = null)
    {
        if (finalState is RunState.Queued or RunState.Running) throw new ArgumentException($"{finalState} is not a final state", nameof(finalState));
        var final = RunStateAttribute.Of(finalState);
        var values = new Dictionary<string, AttributeValue>
        {
            [":final"] = S(final), [":gsi2"] = S("STATE#" + final), [":now"] = S(Time(finishedAt ?? clock.GetUtcNow())),
            [":queued"] = S(RunStateAttribute.Of(RunState.Queued)), [":running"] = S(RunStateAttribute.Of(RunState.Running)),
        };
        var update = "SET #state = :final, gsi2pk = :gsi2, finished_at = :now";
        if (error is not null) { update += ", #error = :error"; values[":error"] = S(error); }
        if (startedAt is { } started) { update += ", started_at = :started"; values[":started"] = S(Time(started)); }
        if (finalState == RunState.Succeeded) { update += ", stage = :done, months_published = months_total"; values[":done"] = S("Done"); }
        else if (monthsPublished is { } published) { update += ", months_published = :published"; values[":published"] = N(published); }
        var ended = await UpdateAsync(runId, update, "#state IN (:queued, :running)", values, ct);
        if (await GetAsync(runId, ct) is { } run)
            foreach (var month in run.Months) await ReleaseGuardAsync(month, runId, ct);
        return ended;
    }

    private async Task<bool> UpdateAsync(string runId, string update, string condition, Dictionary<string, AttributeValue> values, CancellationToken ct)
    {
        var names = new Dictionary<string, string>();
        if ((update + condition).Contains("#state")) names["#state"] = "state";
        if (update.Contains("#error")) names["#error"] = "error";
        var used = values.Where(kv => update.Contains(kv.Key) || condition.Contains(kv.Key)).ToDictionary();
        try
        {
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = RunKey(runId),
                UpdateExpression = MergeSetClauses(update),
                ConditionExpression = condition,
                ExpressionAttributeNames = names.Count > 0 ? names : null,
                ExpressionAttributeValues = used.Count > 0 ? used : null,
            }, ct);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <summary>"SET a REMOVE b SET c" is not valid: one SET clause with every assignment.</summary>
    private static string MergeSetClauses(string update)
    {
        var sets = new List<string>();
        var removes = new List<string>();
        foreach (var part in System.Text.RegularExpressions.Regex.Split(update, @"\b(?=SET |REMOVE )"))
        {
            if (part.StartsWith("SET ")) sets.Add(part[4..].Trim().TrimEnd(','));
            else if (part.StartsWith("REMOVE ")) removes.Add(part[7..].Trim());
        }
        return (sets.Count > 0 ? "SET " + string.Join(", ", sets) : "") + (removes.Count > 0 ? " REMOVE " + string.Join(", ", removes) : "");
    }

    /// <summary>
    /// A page of runs, newest first. The index follows the filter: by month (gsi3, then the runs
    /// fetched by key), else by state (gsi2), else all runs (gsi1); the date range is a condition on
    /// the sort key of each; TriggeredBy is a substring filter.
    /// </summary>
    public async Task<RunIndexPage> QueryAsync(RunIndexFilter filter, int limit, string? cursor, CancellationToken ct)
    {
        limit = Math.Clamp(limit, 1, 500);
        var (index, hashName, hashValue, rangeName) = filter switch
        {
            { Month: { Length: > 0 } m } => (DynamoTables.RunsByMonth, "gsi3pk", "MONTH#" + m.Trim(), "gsi3sk"),
            { State: { } s } => (DynamoTables.RunsByState, "gsi2pk", "STATE#" + RunStateAttribute.Of(s), "gsi2sk"),
            _ => (DynamoTables.RunsByCreated, "gsi1pk", AllRuns, "gsi1sk"),
        };
        var keyCondition = "#h = :h";
        var values = new Dictionary<string, AttributeValue> { [":h"] = S(hashValue) };
        switch (filter.From, filter.To)
        {
            case ({ } from, { } to): keyCondition += " AND #r BETWEEN :from AND :to"; values[":from"] = S(DayStart(from)); values[":to"] = S(DayEnd(to)); break;
            case ({ } from, null): keyCondition += " AND #r >= :from"; values[":from"] = S(DayStart(from)); break;
            case (null, { } to): keyCondition += " AND #r <= :to"; values[":to"] = S(DayEnd(to)); break;
        }
        var byMonth = index == DynamoTables.RunsByMonth;
        var request = new QueryRequest
        {
            TableName = tableName,
            IndexName = index,
            KeyConditionExpression = keyCondition,
            ExpressionAttributeNames = keyCondition.Contains("#r") ? new() { ["#h"] = hashName, ["#r"] = rangeName } : new() { ["#h"] = hashName },
            ExpressionAttributeValues = values,
            ScanIndexForward = false,
            Limit = Math.Max(limit, 25),
            ExclusiveStartKey = DecodeCursor(cursor),
        };
        if (!byMonth && filter.TriggeredBy is { Length: > 0 } by)
        {
            request.FilterExpression = "contains(triggered_by_lc, :by)";
            values[":by"] = S(by.Trim().ToLowerInvariant());
        }

        var items = new List<RunRecord>();
        while (true)
        {
            var response = await dynamo.QueryAsync(request, ct);
            var page = response.Items ?? [];
            var runs = byMonth ? await RunsOfLinksAsync(page, ct) : page.Select(i => (Key: i, Run: (RunRecord?)FromItem(i))).ToList();
            foreach (var (key, run) in runs)
            {
                if (run is null || !Matches(run, filter)) continue;
                items.Add(run);
                if (items.Count == limit)
                    return new RunIndexPage(items, IsLast(key, page, response) ? null : EncodeCursor(KeyOf(key, DynamoTables.Pk, DynamoTables.Sk, hashName, rangeName)));
            }
            if (response.LastEvaluatedKey is not { Count: > 0 } next) return new RunIndexPage(items, null);
            request.ExclusiveStartKey = next;
        }
    }

    private static bool IsLast(Dictionary<string, AttributeValue> key, List<Dictionary<string, AttributeValue>> page, QueryResponse response) =>
        ReferenceEquals(key, page[^1]) && response.LastEvaluatedKey is not { Count: > 0 };

    private async Task<List<(Dictionary<string, AttributeValue> Key, RunRecord? Run)>> RunsOfLinksAsync(List<Dictionary<string, AttributeValue>> links, CancellationToken ct)
    {
        var runs = (await GetManyAsync(links.Select(l => l.Str("pk")![4..]).ToList(), ct)).ToDictionary(r => r.RunId);
        return links.Select(l => (l, runs.GetValueOrDefault(l.Str("pk")![4..]))).ToList();
    }

    private static bool Matches(RunRecord run, RunIndexFilter filter) =>
        (filter.State is not { } state || run.State == state)
        && (filter.TriggeredBy is not { Length: > 0 } by || run.TriggeredBy.Contains(by.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Every run matching the filter, newest first (for counts and sorts the index cannot give).</summary>
    public async IAsyncEnumerable<RunRecord> QueryAllAsync(RunIndexFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? cursor = null;
        do
        {
            var page = await QueryAsync(filter, 500, cursor, ct);
            foreach (var run in page.Items) yield return run;
            cursor = page.NextCursor;
        } while (cursor is not null);
    }

    /// <summary>The most recent run of a month (gsi3, newest first, one item).</summary>
    public async Task<RunRecord?> LatestOfMonthAsync(string month, CancellationToken ct) =>
        (await QueryAsync(new RunIndexFilter { Month = month }, 1, null, ct)).Items.FirstOrDefault();

    private static string SortKey(RunRecord run) => $"{Time(run.CreatedAt)}#{run.RunId}";

    private static Dictionary<string, AttributeValue> ToItem(RunRecord run)
    {
        var sortKey = SortKey(run);
        var item = new Dictionary<string, AttributeValue>(RunKey(run.RunId))
        {
            ["run_id"] = S(run.RunId),
            ["months"] = new AttributeValue { L = run.Months.Select(S).ToList() },
            ["state"] = S(RunStateAttribute.Of(run.State)),
            ["months_published"] = N(run.MonthsPublished),
            ["months_total"] = N(run.MonthsTotal),
            ["triggered_by"] = S(run.TriggeredBy),
            ["triggered_by_lc"] = S(run.TriggeredBy.ToLowerInvariant()),
            ["reason"] = S(run.Reason),
            ["created_at"] = S(Time(run.CreatedAt)),
            ["engine"] = S(run.Engine),
            ["gsi1pk"] = S(AllRuns), ["gsi1sk"] = S(sortKey),
            ["gsi2pk"] = S("STATE#" + RunStateAttribute.Of(run.State)), ["gsi2sk"] = S(sortKey),
        };
        item.Set("stage", run.Stage);
        item.Set("stage_detail", run.StageDetail);
        item.Set("backfill_id", run.BackfillId);
        item.Set("started_at", run.StartedAt is { } s ? Time(s) : null);
        item.Set("finished_at", run.FinishedAt is { } f ? Time(f) : null);
        item.Set("error", run.Error);
        item.Set("cancel_requested_by", run.CancelRequestedBy);
        item.Set("glue_run_id", run.EngineRunId);
        return item;
    }

    private static RunRecord FromItem(Dictionary<string, AttributeValue> item) => new()
    {
        RunId = item.Str("run_id")!,
        Months = item.TryGetValue("months", out var months) && months.L is { } list ? list.Select(v => v.S).ToList() : [],
        State = RunStateAttribute.Parse(item.Str("state")!),
        Stage = item.Str("stage"),
        StageDetail = item.Str("stage_detail"),
        MonthsPublished = (int)item.Num("months_published"),
        MonthsTotal = (int)item.Num("months_total"),
        TriggeredBy = item.Str("triggered_by") ?? "",
        Reason = item.Str("reason") ?? "",
        BackfillId = item.Str("backfill_id"),
        CreatedAt = ParseTime(item.Str("created_at")!),
        StartedAt = item.TimeOrNull("started_at"),
        FinishedAt = item.TimeOrNull("finished_at"),
        Error = item.Str("error"),
        CancelRequestedBy = item.Str("cancel_requested_by"),
        Engine = item.Str("engine") ?? GlueEngine,
        EngineRunId = item.Str("glue_run_id"),
    };
}
