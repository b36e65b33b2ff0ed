using System.Reflection;
using System.Text.RegularExpressions;

namespace ExtractPortal.Pipeline.Sql;

/// <summary>One named view of Glue/sql/branch_moving_average.sql.</summary>
public sealed record SqlView(string Name, string Body);

/// <summary>
/// The business logic SQL shared with the Glue job, embedded from Glue/sql at build time.
/// The file is a list of "-- @view name" sections; hosts register them in order.
/// </summary>
public static partial class BusinessLogicSql
{
    public const string ResourceName = "branch_moving_average.sql";
    public const string ResultQuery = "SELECT * FROM branch_moving_average ORDER BY month, bank_id, branch_id";
    public const string DataQualityQuery = "SELECT * FROM loan_data_quality ORDER BY month";

    /// <summary>The views hosts read; the others are intermediate and may be materialized once.</summary>
    public static readonly IReadOnlySet<string> ResultViews = new HashSet<string> { "branch_moving_average", "loan_data_quality" };

    private static readonly Lazy<string> EmbeddedText = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static string Text => EmbeddedText.Value;

    public static IReadOnlyList<SqlView> Views => Split(Text);

    /// <summary>Splits the file into its views: the same rule as Glue/extract_job/sql_views.py.</summary>
    public static IReadOnlyList<SqlView> Split(string text)
    {
        var views = new List<SqlView>();
        foreach (Match match in ViewSection().Matches(text))
        {
            var body = match.Groups["body"].Value.Trim();
            if (body.EndsWith(';')) body = body[..^1].TrimEnd();
            views.Add(new SqlView(match.Groups["name"].Value, body));
        }
        if (views.Count == 0) throw new InvalidOperationException("the business logic SQL defines no '-- @view' sections");
        return views;
    }

    [GeneratedRegex(@"^-- @view (?<name>[a-z_][a-z0-9_]*)[ \t]*\r?$(?<body>.*?)(?=^-- @view |\z)",
        RegexOptions.Multiline | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex ViewSection();
}
