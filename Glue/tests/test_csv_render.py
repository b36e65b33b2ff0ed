"""CSV rendering rules: quoting, numbers, averages, the header-only file."""
from decimal import Decimal

import pytest

from extract_job.csv_render import (
    HEADER,
    ExtractRow,
    format_average,
    format_field,
    render_csv,
)


def row(**overrides):
    values = dict(
        month="2026-03", bank_id=1, bank_name="Coral Bank & Trust", branch_id=7, branch_address="1 Main St",
        loan_count=1, loan_amount=50, loan_count_3m=3, loan_amount_3m=350,
        moving_avg_loan_amount_3m=Decimal("116.67"), avg_loan_amount_3m=Decimal("116.67"),
    )
    values.update(overrides)
    return ExtractRow(**values)


def test_header_is_the_documented_line():
    assert HEADER == ("bank_name,branch_id,branch_address,month,loan_count,loan_amount,"
                      "loan_count_3m,loan_amount_3m,moving_avg_loan_amount_3m,avg_loan_amount_3m")


def test_worked_example_of_the_spec():
    body = render_csv([row()])
    assert body == (HEADER + "\nCoral Bank & Trust,7,1 Main St,2026-03,1,50,3,350,116.67,116.67\n").encode()


def test_header_only_for_a_bank_without_branches():
    assert render_csv([]) == (HEADER + "\n").encode()


@pytest.mark.parametrize(
    "text, field",
    [
        ("plain", "plain"),
        ("", ""),
        ("a,b", '"a,b"'),
        ('say "hi"', '"say ""hi"""'),
        ("line\nbreak", '"line\nbreak"'),
        ("carriage\rreturn", '"carriage\rreturn"'),
        ("semi;colon 'single'", "semi;colon 'single'"),
        (" spaced ", " spaced "),
    ],
)
def test_format_field_quotes_only_when_needed(text, field):
    assert format_field(text) == field


@pytest.mark.parametrize(
    "value, text",
    [
        (None, ""),
        (Decimal("1500"), "1500.00"),
        (Decimal("333.33"), "333.33"),
        (Decimal("-0.13"), "-0.13"),
        (Decimal("0.005"), "0.01"),
        (Decimal("-0.005"), "-0.01"),
        (Decimal("-0.004"), "0.00"),
        (Decimal("-0.00"), "0.00"),
        (Decimal("0E-2"), "0.00"),
        (Decimal("12345678901234567890.125"), "12345678901234567890.13"),
    ],
)
def test_format_average(value, text):
    assert format_average(value) == text


def test_averages_refuse_floats():
    with pytest.raises(TypeError):
        format_average(116.67)
    with pytest.raises(TypeError):
        ExtractRow.from_mapping({**row().__dict__, "avg_loan_amount_3m": 1.5})


def test_null_address_and_empty_average_and_big_sums():
    r = row(branch_address=None, loan_count=0, loan_amount=0, loan_count_3m=0, loan_amount_3m=0,
            moving_avg_loan_amount_3m=Decimal("0.00"), avg_loan_amount_3m=None)
    assert render_csv([r]).decode().splitlines()[1] == "Coral Bank & Trust,7,,2026-03,0,0,0,0,0.00,"
    big = row(loan_amount=2**40, loan_amount_3m=-(2**41), moving_avg_loan_amount_3m=Decimal("-733007751850.67"))
    assert ",1099511627776,3,-2199023255552,-733007751850.67," in render_csv([big]).decode()


def test_quoted_names_and_utf8_without_bom():
    body = render_csv([row(bank_name='Bank "Q", Ltd', branch_address="Rue de l'Église\n2")])
    assert not body.startswith(b"\xef\xbb\xbf")
    assert body.decode("utf-8").splitlines(keepends=True)[1].startswith('"Bank ""Q"", Ltd",7,"Rue de l\'Église\n')
    assert b"\r" not in body and body.endswith(b"\n")


def test_from_mapping_accepts_golden_strings_and_spark_decimals():
    spark_like = dict(row().__dict__)
    golden_like = {**spark_like, "moving_avg_loan_amount_3m": "116.67", "avg_loan_amount_3m": None}
    assert ExtractRow.from_mapping(spark_like) == row()
    assert ExtractRow.from_mapping(golden_like).moving_avg_loan_amount_3m == Decimal("116.67")
    with pytest.raises(TypeError):
        ExtractRow.from_mapping({**spark_like, "loan_count": "1"})
