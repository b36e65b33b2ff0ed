using System.Globalization;
using System.Text.RegularExpressions;

namespace ExtractPortal.Pipeline.Months;

/// <summary>
/// A calendar month to extract, written <c>YYYY-MM</c>. Knows its 3-month window
/// (first day of M-2 up to, not including, the first day of M+1) and its file date (last day of M).
/// </summary>
public readonly partial record struct ExtractMonth : IComparable<ExtractMonth>
{
    public ExtractMonth(int year, int month)
    {
        if (year is < 1900 or > 9998) throw new ArgumentOutOfRangeException(nameof(year), year, "year must be 1900..9998");
        if (month is < 1 or > 12) throw new ArgumentOutOfRangeException(nameof(month), month, "month must be 1..12");
        Year = year;
        Month = month;
    }

    public int Year { get; }
    public int Month { get; }

    public DateOnly FirstDay => new(Year, Month, 1);
    public DateOnly LastDay => FirstDay.AddMonths(1).AddDays(-1);
    public DateOnly WindowStart => FirstDay.AddMonths(-2);
    public DateOnly WindowEnd => FirstDay.AddMonths(1);

    public ExtractMonth AddMonths(int months)
    {
        var index = Year * 12 + (Month - 1) + months;
        return new ExtractMonth(index / 12, index % 12 + 1);
    }

    /// <summary>A month has ended once its last day is over (dates in UTC, like the schedule).</summary>
    public bool HasEnded(DateOnly today) => today >= WindowEnd;

    /// <summary>The month the scheduled run extracts on <paramref name="today"/>: the previous calendar month.</summary>
    public static ExtractMonth PreviousOf(DateOnly today) => new ExtractMonth(today.Year, today.Month).AddMonths(-1);

    public static ExtractMonth Parse(string text) =>
        TryParse(text, out var month, out var error) ? month : throw new FormatException(error);

    public static bool TryParse(string? text, out ExtractMonth month, out string error)
    {
        month = default;
        var match = text is null ? null : MonthPattern().Match(text);
        if (match is null || !match.Success)
        {
            error = $"'{text}' is not a month: expected YYYY-MM, e.g. 2026-03";
            return false;
        }
        var year = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var monthNumber = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        if (monthNumber is < 1 or > 12 || year is < 1900 or > 9998)
        {
            error = $"'{text}' is not a month: the month must be 01..12 and the year 1900..9998";
            return false;
        }
        month = new ExtractMonth(year, monthNumber);
        error = "";
        return true;
    }

    /// <summary>Every month from <paramref name="from"/> to <paramref name="to"/>, inclusive.</summary>
    public static IReadOnlyList<ExtractMonth> Range(ExtractMonth from, ExtractMonth to)
    {
        if (to < from) throw new ArgumentException($"the range {from}..{to} ends before it starts");
        var months = new List<ExtractMonth>();
        for (var m = from; m <= to; m = m.AddMonths(1)) months.Add(m);
        return months;
    }

    public int CompareTo(ExtractMonth other) => (Year * 12 + Month).CompareTo(other.Year * 12 + other.Month);
    public static bool operator <(ExtractMonth a, ExtractMonth b) => a.CompareTo(b) < 0;
    public static bool operator >(ExtractMonth a, ExtractMonth b) => a.CompareTo(b) > 0;
    public static bool operator <=(ExtractMonth a, ExtractMonth b) => a.CompareTo(b) <= 0;
    public static bool operator >=(ExtractMonth a, ExtractMonth b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Year:D4}-{Month:D2}";

    [GeneratedRegex(@"^(\d{4})-(\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex MonthPattern();
}
