"""Splitting the shared SQL into views, and the Spark SQL syntax gate over each view.

Spark cannot run here, so the gate parses every view body, split exactly as the host splits
it, with dt-sql-parser's SparkSQL grammar (npm, Spark 3.x). A test proves the gate rejects a
broken statement, so a passing gate means something.
"""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import GLUE_DIR, REPO_ROOT
from extract_job import ExtractJobError
from extract_job.sql_views import RESULT_VIEWS, SqlView, split_views

SQL_FILE = GLUE_DIR / "sql" / "branch_moving_average.sql"
GATE = GLUE_DIR / "tests" / "sql_gate" / "gate.mjs"


def spark_syntax_errors(views: list[SqlView]) -> dict[str, list[str]]:
    """Run the gate over the views; returns {view name: [syntax errors]}."""
    node = shutil.which("node")
    if node is None or not (REPO_ROOT / "node_modules" / "dt-sql-parser").exists():
        pytest.fail("node and node_modules/dt-sql-parser are required: run scripts/install-test-deps.sh")
    payload = json.dumps([{"name": v.name, "body": v.body} for v in views])
    proc = subprocess.run(
        [node, str(GATE), str(REPO_ROOT)], input=payload, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_shared_sql_splits_into_the_documented_views():
    views = split_views(SQL_FILE.read_text(encoding="utf-8"))
    names = [v.name for v in views]
    assert names == ["classified_loans", "branch_moving_average", "loan_data_quality"]
    assert set(RESULT_VIEWS) <= set(names)
    for view in views:
        assert not view.body.endswith(";")
        assert view.body == view.body.strip()
        assert "-- @view" not in view.body


def test_shared_sql_passes_the_spark_sql_grammar():
    views = split_views(SQL_FILE.read_text(encoding="utf-8"))
    errors = spark_syntax_errors(views)
    assert set(errors) == {v.name for v in views}
    assert errors == {v.name: [] for v in views}


def test_gate_rejects_a_broken_statement():
    broken = [
        SqlView("ok", "SELECT p.month, CAST(1 AS DECIMAL(38,0)) AS x FROM extract_params p"),
        SqlView("broken", "SELECT month, FROM extract_params p WHERE"),
        SqlView("typo", "SELEC month FROM extract_params"),
    ]
    errors = spark_syntax_errors(broken)
    assert errors["ok"] == []
    assert errors["broken"], "the gate accepted a broken statement"
    assert errors["typo"], "the gate accepted a misspelt keyword"


def test_gate_catches_a_break_inside_the_real_file():
    text = SQL_FILE.read_text(encoding="utf-8").replace("GROUP BY p.month, cl.branch_id", "GROUP p.month, cl.branch_id")
    errors = spark_syntax_errors(split_views(text))
    assert errors["branch_moving_average"] and not errors["classified_loans"]


def test_split_rules_match_the_documented_host_behaviour():
    text = (
        "-- header comment mentioning -- @view inside a line\n"
        "-- @view first\n"
        "-- why\n"
        "SELECT 1 AS a;\n"
        "\n"
        "-- @view second  \r\n"
        "SELECT ';' AS semi -- a comment; with a semicolon\n"
        "FROM first;\n"
        "-- @view branch_moving_average\nSELECT 1\n"
        "-- @view loan_data_quality\nSELECT 2;"
    )
    views = split_views(text)
    assert views[0] == SqlView("first", "-- why\nSELECT 1 AS a")
    assert views[1] == SqlView("second", "SELECT ';' AS semi -- a comment; with a semicolon\nFROM first")
    assert [v.body for v in views[2:]] == ["SELECT 1", "SELECT 2"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("-- @view a\nSELECT 1; SELECT 2\n-- @view branch_moving_average\nSELECT 1\n-- @view loan_data_quality\nSELECT 1", "more than one statement"),
        ("-- @view a\n-- only a comment\n-- @view branch_moving_average\nSELECT 1\n-- @view loan_data_quality\nSELECT 1", "no statement"),
        ("-- @view branch_moving_average\nSELECT 1\n-- @view branch_moving_average\nSELECT 2\n-- @view loan_data_quality\nSELECT 1", "twice"),
        ("-- @view branch_moving_average\nSELECT 1", "loan_data_quality"),
        ("-- @view Bad-Name\nSELECT 1", "malformed view marker"),
        ("SELECT 1", "does not define"),
    ],
)
def test_split_refuses_malformed_files(text, message):
    with pytest.raises(ExtractJobError, match=message):
        split_views(text)
