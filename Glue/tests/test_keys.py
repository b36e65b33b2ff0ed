"""Bank tokens, token checks and extract keys (extract-spec.md, "The file")."""
import pytest

from extract_job.keys import Bank, TokenError, bank_token, check_tokens, extract_key
from extract_job.months import ExtractMonth


@pytest.mark.parametrize(
    "name, token",
    [
        ("Coral Bank & Trust", "CoralBankTrust"),
        ("Bank-A", "BankA"),
        ("Crédit Agricole", "CrditAgricole"),
        ("  42 North_Bank. ", "42NorthBank"),
        ("***", ""),
        (None, ""),
    ],
)
def test_bank_token(name, token):
    assert bank_token(name) == token


@pytest.mark.parametrize(
    "month, key",
    [
        ("2026-03", "bank_name=CoralBankTrust/year=2026/month=03/CoralBankTrust_20260331.csv"),
        ("2026-02", "bank_name=CoralBankTrust/year=2026/month=02/CoralBankTrust_20260228.csv"),
        ("2024-02", "bank_name=CoralBankTrust/year=2024/month=02/CoralBankTrust_20240229.csv"),
        ("2025-12", "bank_name=CoralBankTrust/year=2025/month=12/CoralBankTrust_20251231.csv"),
    ],
)
def test_extract_key_uses_the_last_day_of_the_month(month, key):
    assert extract_key("CoralBankTrust", ExtractMonth.parse(month)) == key


def test_check_tokens_accepts_distinct_tokens():
    check_tokens([Bank(1, "Coral Bank & Trust"), Bank(2, "Bank A"), Bank(3, "Bank B")])


def test_token_collision_names_both_banks():
    with pytest.raises(TokenError) as info:
        check_tokens([Bank(2, "Bank-A"), Bank(1, "Bank A"), Bank(3, "Other")])
    err = info.value
    assert err.kind == "token_collision"
    assert "'Bank A'" in str(err) and "'Bank-A'" in str(err) and "'BankA'" in str(err)
    assert err.bank_names == ["Bank A", "Bank-A"]


def test_empty_token_names_the_bank():
    with pytest.raises(TokenError) as info:
        check_tokens([Bank(1, "Good"), Bank(7, "&&&"), Bank(8, None)])
    assert info.value.kind == "empty_token"
    assert "'&&&' (id 7)" in str(info.value) and "'<NULL>' (id 8)" in str(info.value)
