"""How the job reads the ODS: JDBC options, the pushed-down loans query, credentials.

Only the window's loans leave PostgreSQL: the date predicate is part of the subquery given to
Spark's JDBC source as ``dbtable``, so PostgreSQL filters (with an index on ``loan_date``)
before anything crosses the network. Loans with a NULL ``loan_date`` are read too, because the
data-quality figures must count them. The read is split on ``idloan`` into parallel JDBC
partitions whose bounds come from a cheap MIN/MAX query over the same predicate.

Dates in the SQL text come from ``datetime.date`` objects (``isoformat``), never from user
strings, so nothing a caller passes can be injected. Credentials come from Secrets Manager or
the Glue connection at run time and never appear in logs: ``JdbcSource`` hides the password
from ``repr``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping, Optional

from . import ExtractJobError
from .months import Window

POSTGRES_DRIVER = "org.postgresql.Driver"
JDBC_FETCH_SIZE = 10_000

#: The ODS tables the SQL reads, with only the columns it uses (no client names: less PII moved).
DIMENSION_QUERIES: dict[str, str] = {
    "bank": "SELECT idbank, name, capitalization FROM bank",
    "branch": "SELECT idbranch, bank_idbank, address FROM branch",
    "client": "SELECT idclient, branch_idbranch FROM client",
    "account": "SELECT idaccount, client_idclient FROM account",
}

_HOST_RE = re.compile(r"^[A-Za-z0-9.-]+$")
_DBNAME_RE = re.compile(r"^[A-Za-z0-9_$-]+$")


@dataclass(frozen=True)
class JdbcSource:
    """Where and as whom to connect. The password never shows in ``repr`` or logs."""

    url: str
    user: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class IdBounds:
    """MIN and MAX ``idloan`` in the window, for Spark's JDBC partition stride."""

    lower: int
    upper: int


def _date_literal(day: date) -> str:
    if not isinstance(day, date):
        raise TypeError(f"expected a datetime.date, got {day!r}")
    return f"DATE '{day.isoformat()}'"


def window_predicate(window: Window) -> str:
    """The loans the SQL needs: the combined window, plus every loan without a date."""
    return (
        f"(loan_date >= {_date_literal(window.start)} AND loan_date < {_date_literal(window.end)})"
        " OR loan_date IS NULL"
    )


def loans_query(window: Window) -> str:
    """The ``dbtable`` subquery for the loans read (PostgreSQL evaluates the predicate)."""
    return (
        "(SELECT idloan, amount, account_idaccount, loan_date FROM loans "
        f"WHERE {window_predicate(window)}) AS loans_window"
    )


def loans_bounds_query(window: Window) -> str:
    """One-row subquery giving MIN/MAX ``idloan`` over the same predicate (index-only)."""
    return (
        "(SELECT MIN(idloan) AS min_id, MAX(idloan) AS max_id FROM loans "
        f"WHERE {window_predicate(window)}) AS loans_bounds"
    )


def dimension_query(table: str) -> str:
    """The ``dbtable`` subquery of a dimension table (read whole: every row, needed columns)."""
    return f"({DIMENSION_QUERIES[table]}) AS {table}_all"


def base_options(source: JdbcSource) -> dict[str, str]:
    """JDBC options shared by every read. ``sslmode=require``: the ODS is reached over TLS."""
    return {
        "url": source.url,
        "user": source.user,
        "password": source.password,
        "driver": POSTGRES_DRIVER,
        "fetchsize": str(JDBC_FETCH_SIZE),
        "sslmode": "require",
    }


def loans_read_options(
    source: JdbcSource, window: Window, bounds: Optional[IdBounds], num_partitions: int
) -> dict[str, str]:
    """Options of the partitioned loans read.

    Without bounds (no loan matches) a single partition reads the empty result. Bounds only set
    the stride: Spark still reads rows outside them (into the first and last partition).
    """
    options = base_options(source)
    options["dbtable"] = loans_query(window)
    if bounds is not None:
        span = bounds.upper - bounds.lower + 1
        partitions = max(1, min(num_partitions, span))
        if partitions > 1:
            options.update(
                partitionColumn="idloan",
                lowerBound=str(bounds.lower),
                upperBound=str(bounds.upper + 1),
                numPartitions=str(partitions),
            )
    return options


def id_bounds(min_id: Any, max_id: Any) -> Optional[IdBounds]:
    """Bounds from the MIN/MAX row; ``None`` when the window has no loans."""
    if min_id is None or max_id is None:
        return None
    return IdBounds(int(min_id), int(max_id))


def source_from_secret(secret_string: str, connection_url: Optional[str] = None) -> JdbcSource:
    """Credentials from a Secrets Manager secret (the RDS JSON shape).

    ``username`` and ``password`` are required; the URL is built from ``host``/``port``/
    ``dbname`` when the secret has them, else the Glue connection's URL is used.
    """
    try:
        secret = json.loads(secret_string)
    except json.JSONDecodeError as exc:
        raise ExtractJobError(f"the ODS secret is not JSON (line {exc.lineno})") from None
    if not isinstance(secret, dict) or not secret.get("username") or not secret.get("password"):
        raise ExtractJobError("the ODS secret must hold 'username' and 'password'")
    if secret.get("host"):
        url = postgres_url(str(secret["host"]), secret.get("port", 5432), str(secret.get("dbname", "")))
    elif connection_url:
        url = connection_url
    else:
        raise ExtractJobError("the ODS secret has no 'host' and no Glue connection gives a URL")
    return JdbcSource(url=url, user=str(secret["username"]), password=str(secret["password"]))


def source_from_connection(conf: Mapping[str, Any]) -> JdbcSource:
    """Credentials from ``glueContext.extract_jdbc_conf`` (``fullUrl`` includes the database)."""
    url = conf.get("fullUrl") or conf.get("url")
    if not url or not conf.get("user") or not conf.get("password"):
        raise ExtractJobError("the Glue connection gives no JDBC URL, user or password")
    return JdbcSource(url=str(url), user=str(conf["user"]), password=str(conf["password"]))


def postgres_url(host: str, port: Any, dbname: str) -> str:
    """``jdbc:postgresql://host:port/dbname`` after checking each part."""
    if not _HOST_RE.match(host):
        raise ExtractJobError("the ODS secret's 'host' is not a host name")
    if not str(port).isdigit() or not 0 < int(port) < 65536:
        raise ExtractJobError("the ODS secret's 'port' is not a port number")
    if not _DBNAME_RE.match(dbname):
        raise ExtractJobError("the ODS secret's 'dbname' is missing or not a database name")
    return f"jdbc:postgresql://{host}:{int(port)}/{dbname}"
