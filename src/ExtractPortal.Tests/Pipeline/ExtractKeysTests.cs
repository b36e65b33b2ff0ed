using ExtractPortal.Pipeline.Engine;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Rendering;

namespace ExtractPortal.Tests.Pipeline;

public sealed class ExtractKeysTests
{
    [Theory]
    [InlineData("Coral Bank & Trust", "CoralBankTrust")]
    [InlineData("Harbour Savings, \"The Community Bank\"", "HarbourSavingsTheCommunityBank")]
    [InlineData("Société Générale", "SocitGnrale")]
    [InlineData("Bank_42-North", "Bank42North")]
    [InlineData("!!!", "")]
    [InlineData(null, "")]
    public void Token_keeps_only_ascii_letters_and_digits(string? name, string token) =>
        Assert.Equal(token, ExtractKeys.Token(name));

    [Fact]
    public void Key_is_partitioned_by_bank_year_month_and_dated_the_last_day_of_the_month()
    {
        Assert.Equal("bank_name=CoralBankTrust/year=2026/month=02/CoralBankTrust_20260228.csv",
            ExtractKeys.FileKey("CoralBankTrust", ExtractMonth.Parse("2026-02")));
        Assert.Equal("_manifests/year=2026/month=02/manifest.json", ExtractKeys.ManifestKey(ExtractMonth.Parse("2026-02")));
    }

    [Fact]
    public void Two_banks_with_one_token_fail_naming_both()
    {
        var error = Assert.Throws<ExtractException>(() => ExtractKeys.AssignTokens([(1, "Bank A"), (2, "Bank-A"), (3, "Other")]));
        Assert.Equal(ExtractErrorKind.TokenConflict, error.Kind);
        Assert.Contains("'Bank A' (bank 1)", error.Message);
        Assert.Contains("'Bank-A' (bank 2)", error.Message);
        Assert.DoesNotContain("Other", error.Message);
    }

    [Fact]
    public void An_empty_token_fails_naming_the_bank()
    {
        var error = Assert.Throws<ExtractException>(() => ExtractKeys.AssignTokens([(1, "Fine"), (2, "***"), (3, null)]));
        Assert.Contains("'***' (bank 2)", error.Message);
        Assert.Contains("bank 3 (no name)", error.Message);
    }
}
