"""The renderer and key functions against the golden vectors shared with the C# engine.

Byte-identical output is the contract: the Glue job and the local engine must publish the
same bytes at the same keys from the same ODS data.
"""
from __future__ import annotations

import pytest

from golden import error_case_names, ok_case_names
from extract_job.keys import TokenError
from extract_job.manifest import data_quality_json
from extract_job.month_files import data_quality_by_month, render_months


@pytest.mark.parametrize("golden_case", ok_case_names(), indirect=True)
def test_rendered_files_match_the_golden_bytes(golden_case):
    rendered = render_months(golden_case.months, golden_case.banks, golden_case.rows)
    produced = {f.key: f.body for files in rendered.values() for f in files}
    assert sorted(produced) == sorted(golden_case.files)
    for key, body in produced.items():
        assert body == golden_case.files[key], f"{golden_case.name}: {key} differs"


@pytest.mark.parametrize("golden_case", ok_case_names(), indirect=True)
def test_every_file_row_is_accounted_for(golden_case):
    rendered = render_months(golden_case.months, golden_case.banks, golden_case.rows)
    assert sum(f.rows for files in rendered.values() for f in files) == len(golden_case.rows)
    for month, files in rendered.items():
        for f in files:
            mine = [r for r in golden_case.rows if r.month == month.label and r.bank_id == f.bank.bank_id]
            assert f.rows == len(mine)
            for column in ("loan_count", "loan_amount", "loan_count_3m", "loan_amount_3m"):
                assert f.control_totals[column] == sum(getattr(r, column) for r in mine)


@pytest.mark.parametrize("golden_case", ok_case_names(), indirect=True)
def test_data_quality_rows_fit_the_manifest(golden_case):
    quality = data_quality_by_month(golden_case.months, golden_case.data_quality)
    for month, row in quality.items():
        dq = data_quality_json(row)
        assert dq["loans_read"] >= dq["loans_used"] >= 0
        # every loan read is either used or excluded for exactly one reason
        assert dq["loans_read"] == dq["loans_used"] + sum(dq["excluded"].values())


@pytest.mark.parametrize("golden_case", error_case_names(), indirect=True)
def test_error_cases_fail_naming_the_banks(golden_case):
    assert golden_case.error is not None
    assert not golden_case.files, "an error case must not have expected files"
    with pytest.raises(TokenError) as info:
        render_months(golden_case.months, golden_case.banks, golden_case.rows)
    assert info.value.kind == golden_case.error["kind"]
    for fragment in golden_case.error.get("message_contains", []):
        assert fragment in str(info.value)
