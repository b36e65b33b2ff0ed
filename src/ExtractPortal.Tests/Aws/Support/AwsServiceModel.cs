using System.Text.Json;
using System.Text.RegularExpressions;

namespace ExtractPortal.Tests.Aws.Support;

/// <summary>
/// A pinned slice of a botocore service model (testdata/aws-models/*.json, made by extract.py):
/// validates a JSON 1.1 request body against an operation's input shape: member names, required
/// members, types, lengths/ranges, enums and patterns.
/// </summary>
public sealed class AwsServiceModel
{
    private readonly JsonElement _root;

    private AwsServiceModel(JsonElement root) => _root = root;

    public static AwsServiceModel Load(string service)
    {
        var path = Path.Combine(RepoPaths.Root, "testdata", "aws-models", service + ".json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return new AwsServiceModel(doc.RootElement.Clone());
    }

    public string TargetPrefix => _root.GetProperty("metadata").GetProperty("targetPrefix").GetString()!;
    public string SigningName => _root.GetProperty("metadata").TryGetProperty("signingName", out var s) ? s.GetString()! : _root.GetProperty("metadata").GetProperty("endpointPrefix").GetString()!;

    public bool HasOperation(string operation) => _root.GetProperty("operations").TryGetProperty(operation, out _);

    public string InputShape(string operation) =>
        _root.GetProperty("operations").GetProperty(operation).GetProperty("input").GetProperty("shape").GetString()!;

    public IReadOnlyList<string> ErrorShapes(string operation) =>
        _root.GetProperty("operations").GetProperty(operation).TryGetProperty("errors", out var errors)
            ? errors.EnumerateArray().Select(e => e.GetProperty("shape").GetString()!).ToList() : [];

    /// <summary>Every problem of <paramref name="body"/> against the operation's input shape (empty: valid).</summary>
    public List<string> Validate(string operation, JsonElement body)
    {
        var errors = new List<string>();
        Check(body, InputShape(operation), "$", errors);
        return errors;
    }

    private void Check(JsonElement value, string shapeName, string path, List<string> errors)
    {
        var shape = _root.GetProperty("shapes").GetProperty(shapeName);
        var type = shape.GetProperty("type").GetString();
        switch (type)
        {
            case "structure":
                if (value.ValueKind != JsonValueKind.Object) { errors.Add($"{path}: object expected for {shapeName}"); return; }
                var members = shape.GetProperty("members");
                foreach (var property in value.EnumerateObject())
                {
                    if (!members.TryGetProperty(property.Name, out var member))
                        errors.Add($"{path}.{property.Name}: not a member of {shapeName}");
                    else if (property.Value.ValueKind == JsonValueKind.Null)
                        errors.Add($"{path}.{property.Name}: null is not a value (leave the member out)");
                    else
                        Check(property.Value, member.GetProperty("shape").GetString()!, $"{path}.{property.Name}", errors);
                }
                if (shape.TryGetProperty("required", out var required))
                    foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                        if (!value.TryGetProperty(name, out _))
                            errors.Add($"{path}.{name}: required by {shapeName}");
                break;
            case "string":
                if (value.ValueKind != JsonValueKind.String) { errors.Add($"{path}: string expected ({shapeName})"); return; }
                var text = value.GetString()!;
                CheckRange(shape, text.Length, path, "length", errors);
                if (shape.TryGetProperty("enum", out var values) && values.EnumerateArray().All(v => v.GetString() != text))
                    errors.Add($"{path}: '{text}' is not one of {shapeName}'s values");
                if (shape.TryGetProperty("pattern", out var pattern) && !Matches(pattern.GetString()!, text))
                    errors.Add($"{path}: '{text}' does not match {shapeName}'s pattern {pattern.GetString()}");
                break;
            case "integer" or "long":
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number)) { errors.Add($"{path}: integer expected ({shapeName})"); return; }
                CheckRange(shape, number, path, "value", errors);
                break;
            case "double" or "float":
                if (value.ValueKind != JsonValueKind.Number) errors.Add($"{path}: number expected ({shapeName})");
                break;
            case "boolean":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) errors.Add($"{path}: boolean expected ({shapeName})");
                break;
            case "timestamp":
                if (value.ValueKind != JsonValueKind.Number) errors.Add($"{path}: epoch-seconds number expected ({shapeName})");
                break;
            case "blob":
                if (value.ValueKind != JsonValueKind.String) errors.Add($"{path}: base64 string expected ({shapeName})");
                break;
            case "list":
                if (value.ValueKind != JsonValueKind.Array) { errors.Add($"{path}: array expected ({shapeName})"); return; }
                CheckRange(shape, value.GetArrayLength(), path, "item count", errors);
                var memberShape = shape.GetProperty("member").GetProperty("shape").GetString()!;
                var i = 0;
                foreach (var item in value.EnumerateArray()) Check(item, memberShape, $"{path}[{i++}]", errors);
                break;
            case "map":
                if (value.ValueKind != JsonValueKind.Object) { errors.Add($"{path}: object expected for map {shapeName}"); return; }
                var keyShape = shape.GetProperty("key").GetProperty("shape").GetString()!;
                var valueShape = shape.GetProperty("value").GetProperty("shape").GetString()!;
                var count = 0;
                foreach (var entry in value.EnumerateObject())
                {
                    count++;
                    using var key = JsonDocument.Parse(JsonSerializer.Serialize(entry.Name));
                    Check(key.RootElement, keyShape, $"{path}<key {entry.Name}>", errors);
                    Check(entry.Value, valueShape, $"{path}[{entry.Name}]", errors);
                }
                CheckRange(shape, count, path, "entry count", errors);
                break;
            default:
                errors.Add($"{path}: shape type {type} not supported by the validator");
                break;
        }
    }

    private static void CheckRange(JsonElement shape, long actual, string path, string what, List<string> errors)
    {
        if (shape.TryGetProperty("min", out var min) && actual < min.GetInt64()) errors.Add($"{path}: {what} {actual} below min {min.GetInt64()}");
        if (shape.TryGetProperty("max", out var max) && actual > max.GetInt64()) errors.Add($"{path}: {what} {actual} above max {max.GetInt64()}");
    }

    private static bool Matches(string pattern, string text)
    {
        Regex regex;
        try { regex = new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)); }
        catch (ArgumentException) { return true; } // a Java-only construct: the other checks still apply
        return regex.IsMatch(text);
    }
}

public static class RepoPaths
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ExtractPortal.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("ExtractPortal.sln not found above " + AppContext.BaseDirectory);
    }
}
