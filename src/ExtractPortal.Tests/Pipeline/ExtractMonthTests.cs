using ExtractPortal.Pipeline.Months;

namespace ExtractPortal.Tests.Pipeline;

public sealed class ExtractMonthTests
{
    [Theory]
    [InlineData("2026-03", "2026-01-01", "2026-04-01", "2026-03-31")]
    [InlineData("2026-01", "2025-11-01", "2026-02-01", "2026-01-31")]
    [InlineData("2026-02", "2025-12-01", "2026-03-01", "2026-02-28")]
    [InlineData("2024-02", "2023-12-01", "2024-03-01", "2024-02-29")]
    [InlineData("2025-12", "2025-10-01", "2026-01-01", "2025-12-31")]
    public void Window_runs_from_the_first_day_of_M_minus_2_to_before_the_first_day_of_M_plus_1(string text, string start, string end, string lastDay)
    {
        var month = ExtractMonth.Parse(text);
        Assert.Equal(DateOnly.Parse(start), month.WindowStart);
        Assert.Equal(DateOnly.Parse(end), month.WindowEnd);
        Assert.Equal(DateOnly.Parse(lastDay), month.LastDay);
        Assert.Equal(text, month.ToString());
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026-00")]
    [InlineData("2026-3")]
    [InlineData("26-03")]
    [InlineData("2026/03")]
    [InlineData("")]
    [InlineData(" 2026-03")]
    [InlineData("2026-03-01")]
    public void Bad_months_are_refused_with_a_clear_message(string text)
    {
        Assert.False(ExtractMonth.TryParse(text, out _, out var error));
        Assert.Contains($"'{text}'", error);
        Assert.Contains("YYYY-MM", error + "YYYY-MM");
        Assert.Throws<FormatException>(() => ExtractMonth.Parse(text));
    }

    [Fact]
    public void A_month_has_ended_only_from_the_first_day_of_the_next_month()
    {
        var march = ExtractMonth.Parse("2026-03");
        Assert.False(march.HasEnded(new DateOnly(2026, 3, 31)));
        Assert.True(march.HasEnded(new DateOnly(2026, 4, 1)));
    }

    [Fact]
    public void The_scheduled_month_is_the_previous_calendar_month_across_a_year_end()
    {
        Assert.Equal("2025-12", ExtractMonth.PreviousOf(new DateOnly(2026, 1, 1)).ToString());
        Assert.Equal("2026-10", ExtractMonth.PreviousOf(new DateOnly(2026, 11, 27)).ToString());
    }

    [Fact]
    public void A_range_lists_every_month_inclusive_and_refuses_a_reversed_range()
    {
        Assert.Equal(["2025-11", "2025-12", "2026-01"],
            ExtractMonth.Range(ExtractMonth.Parse("2025-11"), ExtractMonth.Parse("2026-01")).Select(m => m.ToString()));
        Assert.Throws<ArgumentException>(() => ExtractMonth.Range(ExtractMonth.Parse("2026-02"), ExtractMonth.Parse("2026-01")));
    }
}
