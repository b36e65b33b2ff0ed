"""Rendering a bank's rows to the exact bytes of the extract file (extract-spec.md).

Spark's CSV writer cannot give these bytes (quoting rules, decimals, one named file), and the
result is one row per branch, so the rows are collected and rendered here, byte for byte like
the C# engine. Numbers are never ``float``: the averages arrive as ``Decimal`` from
DECIMAL(38,2) columns, and a float here is a bug that is refused rather than rounded.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable, Mapping, Optional, Sequence

COLUMNS: tuple[str, ...] = (
    "bank_name",
    "branch_id",
    "branch_address",
    "month",
    "loan_count",
    "loan_amount",
    "loan_count_3m",
    "loan_amount_3m",
    "moving_avg_loan_amount_3m",
    "avg_loan_amount_3m",
)
HEADER = ",".join(COLUMNS)
_CENT = Decimal("0.01")
_NEEDS_QUOTES = (",", '"', "\r", "\n")


@dataclass(frozen=True)
class ExtractRow:
    """One row of ``branch_moving_average`` (the SQL's output), as the host collects it."""

    month: str
    bank_id: int
    bank_name: Optional[str]
    branch_id: int
    branch_address: Optional[str]
    loan_count: int
    loan_amount: int
    loan_count_3m: int
    loan_amount_3m: int
    moving_avg_loan_amount_3m: Optional[Decimal]
    avg_loan_amount_3m: Optional[Decimal]

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> "ExtractRow":
        """Build from a Spark ``Row.asDict()`` or a golden-vector JSON object.

        Averages given as strings (golden vectors) become ``Decimal``; floats are refused.
        """

        def avg(name: str) -> Optional[Decimal]:
            value = values[name]
            if value is None:
                return None
            if isinstance(value, float):
                raise TypeError(f"{name} is a float ({value!r}); expected an exact decimal")
            return Decimal(value)

        return cls(
            month=str(values["month"]),
            bank_id=_integer("bank_id", values["bank_id"]),
            bank_name=values["bank_name"],
            branch_id=_integer("branch_id", values["branch_id"]),
            branch_address=values["branch_address"],
            loan_count=_integer("loan_count", values["loan_count"]),
            loan_amount=_integer("loan_amount", values["loan_amount"]),
            loan_count_3m=_integer("loan_count_3m", values["loan_count_3m"]),
            loan_amount_3m=_integer("loan_amount_3m", values["loan_amount_3m"]),
            moving_avg_loan_amount_3m=avg("moving_avg_loan_amount_3m"),
            avg_loan_amount_3m=avg("avg_loan_amount_3m"),
        )


def _integer(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if isinstance(value, Decimal) and value != value.to_integral_value():
        raise TypeError(f"{name} must be an integer, got {value!r}")
    return int(value)


def format_field(text: str) -> str:
    """Quote only a field holding a comma, a quote, CR or LF; double quotes inside."""
    if any(ch in text for ch in _NEEDS_QUOTES):
        return '"' + text.replace('"', '""') + '"'
    return text


def format_average(value: Optional[Decimal]) -> str:
    """Exactly two decimals, half away from zero; empty for NULL; never ``-0.00``."""
    if value is None:
        return ""
    if not isinstance(value, Decimal):
        raise TypeError(f"average must be a Decimal, got {type(value).__name__} {value!r}")
    rounded = value.quantize(_CENT, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = Decimal("0.00")
    return format(rounded, "f")


def render_row(row: ExtractRow) -> str:
    """One CSV line without its line end."""
    fields: Sequence[str] = (
        format_field(row.bank_name or ""),
        str(row.branch_id),
        format_field(row.branch_address or ""),
        format_field(row.month),
        str(row.loan_count),
        str(row.loan_amount),
        str(row.loan_count_3m),
        str(row.loan_amount_3m),
        format_average(row.moving_avg_loan_amount_3m),
        format_average(row.avg_loan_amount_3m),
    )
    return ",".join(fields)


def render_csv(rows: Iterable[ExtractRow]) -> bytes:
    """The whole file: header, one line per row in the given order, ``\\n`` after every line.

    UTF-8 without BOM. A bank without branches gives the header line alone.
    """
    lines = [HEADER]
    lines.extend(render_row(row) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")
