"""Splitting the shared SQL file into its named views, exactly as every host does.

``Glue/sql/branch_moving_average.sql`` is a list of SELECTs, each introduced by a line
``-- @view <name>`` (a lower-case name). Text before the first marker is the file's header
comment. A view's body
runs up to the next marker; its trailing whitespace and one final ``;`` are dropped, because
``spark.sql`` and ``CREATE TEMP VIEW ... AS`` both take a single statement without it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import ExtractJobError

#: A marker line; the name rule is the C# engine's (BusinessLogicSql.cs) so both split alike.
MARKER_PREFIX = "-- @view "
MARKER_RE = re.compile(r"^-- @view ([a-z_][a-z0-9_]*)[ \t]*$")
#: The views the host reads after registering all of them.
RESULT_VIEWS: tuple[str, ...] = ("branch_moving_average", "loan_data_quality")


@dataclass(frozen=True)
class SqlView:
    """One ``-- @view`` section: the view's name and its single SELECT statement."""

    name: str
    body: str


def split_views(sql_text: str) -> list[SqlView]:
    """The file's views in file order; raises ``ExtractJobError`` on a malformed file."""
    views: list[SqlView] = []
    name: str | None = None
    lines: list[str] = []

    def close() -> None:
        if name is None:
            return
        body = "\n".join(lines).strip()
        if body.endswith(";"):
            body = body[:-1].rstrip()
        if not _has_statement(body):
            raise ExtractJobError(f"view {name!r} in the SQL file has no statement")
        if _has_semicolon(body):
            raise ExtractJobError(f"view {name!r} holds more than one statement (a ';' inside)")
        views.append(SqlView(name, body))

    for line in sql_text.replace("\r\n", "\n").split("\n"):
        match = MARKER_RE.match(line)
        if line.startswith(MARKER_PREFIX) and not match:
            raise ExtractJobError(f"malformed view marker {line.strip()!r}: expected '-- @view <name>' "
                                  "with a lower-case name")
        if match:
            close()
            name, lines = match.group(1), []
        elif name is not None:
            lines.append(line)
    close()

    names = [v.name for v in views]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ExtractJobError(f"the SQL file defines view(s) twice: {', '.join(duplicates)}")
    missing = [n for n in RESULT_VIEWS if n not in names]
    if missing:
        raise ExtractJobError(f"the SQL file does not define the view(s): {', '.join(missing)}")
    return views


def _code_only(body: str) -> str:
    """The body without ``--`` comments and without the contents of '...' literals."""
    out: list[str] = []
    i, n = 0, len(body)
    while i < n:
        ch = body[i]
        if ch == "-" and body.startswith("--", i):
            end = body.find("\n", i)
            i = n if end < 0 else end
        elif ch == "'":
            end = i + 1
            while end < n:
                if body[end] == "'" and body.startswith("''", end):
                    end += 2
                elif body[end] == "'":
                    break
                else:
                    end += 1
            out.append("''")
            i = end + 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _has_statement(body: str) -> bool:
    return bool(_code_only(body).strip())


def _has_semicolon(body: str) -> bool:
    return ";" in _code_only(body)
