using System.Security.Cryptography;
using System.Text;
using ExtractPortal.Pipeline.Rendering;

namespace ExtractPortal.Tests.Pipeline;

public sealed class ExtractCsvTests
{
    private static ExtractRow Row(string? bank, string? address, decimal ma, decimal? avg, long amount = 5) =>
        new("2026-03", 1, bank, 7, address, 1, amount, 3, amount, ma, avg);

    [Fact]
    public async Task File_is_utf8_without_bom_with_header_and_final_newline_and_reports_hash_and_totals()
    {
        using var output = new MemoryStream();
        var rendered = await ExtractCsv.WriteAsync([Row("Ünï Bank", "a", 1.5m, 2m, 3_000_000_000), Row("Ünï Bank", "b", 0m, null, 4)], output, CancellationToken.None);
        var bytes = output.ToArray();
        Assert.NotEqual(0xEF, bytes[0]);
        var text = Encoding.UTF8.GetString(bytes);
        Assert.StartsWith(ExtractCsv.HeaderLine, text);
        Assert.EndsWith("\n", text);
        Assert.DoesNotContain("\r", text);
        Assert.Equal(2, rendered.Rows);
        Assert.Equal(bytes.Length, rendered.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), rendered.Sha256);
        Assert.Equal(3_000_000_004, rendered.ControlTotals.LoanAmount);
        Assert.Equal(6, rendered.ControlTotals.LoanCount3m);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("cr\rhere", "\"cr\rhere\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData(" padded ", " padded ")]
    public void Fields_are_quoted_only_when_they_hold_a_comma_quote_or_line_break(string address, string field) =>
        Assert.Equal($"B,7,{field},2026-03,1,5,3,5,1.67,1.67\n", ExtractCsv.FormatRow(Row("B", address, 1.67m, 1.67m)));

    [Fact]
    public void Null_address_and_missing_average_are_empty_fields_and_zero_is_never_negative()
    {
        Assert.Equal("B,7,,2026-03,1,5,3,5,0.00,\n", ExtractCsv.FormatRow(Row("B", null, decimal.Negate(0.00m), null)));
        Assert.Equal("0.00", ExtractCsv.TwoDecimals(-0.00m));
        Assert.Equal("-0.13", ExtractCsv.TwoDecimals(-0.13m));
        Assert.Equal("1500.00", ExtractCsv.TwoDecimals(1500m));
    }
}
