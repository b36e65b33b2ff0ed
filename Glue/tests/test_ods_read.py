"""The JDBC read plan: pushed-down window predicate, partitioning, credentials handling."""
from datetime import date

import pytest

from extract_job import ExtractJobError
from extract_job.months import Window
from extract_job.ods_read import (
    IdBounds,
    JdbcSource,
    dimension_query,
    id_bounds,
    loans_bounds_query,
    loans_query,
    loans_read_options,
    source_from_connection,
    source_from_secret,
)

WINDOW = Window(date(2026, 1, 1), date(2026, 4, 1))
SOURCE = JdbcSource("jdbc:postgresql://ods.internal:5432/ods", "extract_ro", "s3cr3t-pw")


def test_loans_query_pushes_the_window_and_null_dates_down():
    assert loans_query(WINDOW) == (
        "(SELECT idloan, amount, account_idaccount, loan_date FROM loans "
        "WHERE (loan_date >= DATE '2026-01-01' AND loan_date < DATE '2026-04-01') OR loan_date IS NULL) AS loans_window"
    )
    assert "MIN(idloan) AS min_id, MAX(idloan) AS max_id" in loans_bounds_query(WINDOW)
    assert "DATE '2026-01-01'" in loans_bounds_query(WINDOW)


def test_dates_must_be_date_objects_not_strings():
    with pytest.raises(TypeError):
        loans_query(Window("2026-01-01'; DROP TABLE loans; --", date(2026, 4, 1)))  # type: ignore[arg-type]


def test_partitioned_read_options():
    options = loans_read_options(SOURCE, WINDOW, IdBounds(1000, 500_999), 8)
    assert options["dbtable"] == loans_query(WINDOW)
    assert (options["partitionColumn"], options["lowerBound"], options["upperBound"], options["numPartitions"]) == (
        "idloan", "1000", "501000", "8")
    assert options["driver"] == "org.postgresql.Driver"


def test_small_or_empty_windows_read_in_fewer_partitions():
    assert loans_read_options(SOURCE, WINDOW, IdBounds(5, 7), 8)["numPartitions"] == "3"
    single = loans_read_options(SOURCE, WINDOW, IdBounds(5, 5), 8)
    empty = loans_read_options(SOURCE, WINDOW, None, 8)
    for options in (single, empty):
        assert "partitionColumn" not in options and "numPartitions" not in options


def test_id_bounds_from_the_min_max_row():
    assert id_bounds(None, None) is None
    assert id_bounds(3, 9) == IdBounds(3, 9)


def test_dimension_queries_read_only_needed_columns():
    assert dimension_query("client") == "(SELECT idclient, branch_idbranch FROM client) AS client_all"
    assert "name" not in dimension_query("client")


def test_password_never_in_repr():
    assert "s3cr3t-pw" not in repr(SOURCE) and "s3cr3t-pw" not in str(SOURCE)


def test_source_from_secret_builds_the_url():
    source = source_from_secret('{"username": "u", "password": "p", "host": "ods.cluster-x.eu-west-1.rds.amazonaws.com", "port": 5432, "dbname": "ods"}')
    assert source == JdbcSource("jdbc:postgresql://ods.cluster-x.eu-west-1.rds.amazonaws.com:5432/ods", "u", "p")


def test_source_from_secret_falls_back_to_the_connection_url():
    assert source_from_secret('{"username": "u", "password": "p"}', "jdbc:postgresql://h:5432/ods").url == "jdbc:postgresql://h:5432/ods"


@pytest.mark.parametrize(
    "secret",
    ['not json', '{"username": "u"}', '{"username": "u", "password": "p"}',
     '{"username": "u", "password": "p", "host": "h/evil", "dbname": "ods"}',
     '{"username": "u", "password": "p", "host": "h", "port": "x", "dbname": "ods"}'],
)
def test_bad_secrets_fail_without_echoing_the_secret(secret):
    with pytest.raises(ExtractJobError) as info:
        source_from_secret(secret)
    assert '"p"' not in str(info.value) and "not json" not in str(info.value)


def test_source_from_connection():
    conf = {"url": "jdbc:postgresql://h:5432", "fullUrl": "jdbc:postgresql://h:5432/ods", "user": "u", "password": "p"}
    assert source_from_connection(conf).url == "jdbc:postgresql://h:5432/ods"
    with pytest.raises(ExtractJobError):
        source_from_connection({"url": "jdbc:postgresql://h:5432/ods"})
