"""Bank tokens and extract keys (extract-spec.md, "The file").

The key is the consumer-visible name of a file, so it must be a pure function of the bank's
name and the month: a re-run of the same month writes the same key. Tokens are checked for all
banks before anything is published, because a clash would make two banks overwrite one file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional

from . import ExtractJobError
from .months import ExtractMonth

_NOT_TOKEN_CHAR = re.compile(r"[^A-Za-z0-9]")


class TokenError(ExtractJobError):
    """A bank name that gives no token, or two banks that give the same one."""

    def __init__(self, kind: str, message: str, bank_names: list[str]) -> None:
        super().__init__(message)
        self.kind = kind
        self.bank_names = bank_names


@dataclass(frozen=True)
class Bank:
    """A bank as the extract needs it: its id, its stored name and the derived token."""

    bank_id: int
    name: Optional[str]

    @property
    def token(self) -> str:
        return bank_token(self.name)


def bank_token(name: Optional[str]) -> str:
    """The bank name with every character outside ``A-Z a-z 0-9`` removed (NULL gives '')."""
    return _NOT_TOKEN_CHAR.sub("", name or "")


def check_tokens(banks: Iterable[Bank]) -> None:
    """Fail, naming the banks, on an empty token or on two banks sharing one token."""
    banks = sorted(banks, key=lambda b: b.bank_id)
    empty = [b for b in banks if not b.token]
    if empty:
        names = [b.name if b.name is not None else "<NULL>" for b in empty]
        described = ", ".join(f"{n!r} (id {b.bank_id})" for n, b in zip(names, empty))
        raise TokenError(
            "empty_token",
            f"bank name gives an empty file token: {described}; rename the bank in the ODS",
            names,
        )
    by_token: dict[str, list[Bank]] = {}
    for bank in banks:
        by_token.setdefault(bank.token, []).append(bank)
    clashes = {t: bs for t, bs in by_token.items() if len(bs) > 1}
    if clashes:
        names = [b.name or "" for bs in clashes.values() for b in bs]
        described = "; ".join(
            f"{' and '.join(repr(b.name) + f' (id {b.bank_id})' for b in bs)} -> {t!r}"
            for t, bs in sorted(clashes.items())
        )
        raise TokenError(
            "token_collision",
            f"banks share one file token, their files would overwrite each other: {described}",
            names,
        )


def extract_key(token: str, month: ExtractMonth) -> str:
    """``bank_name=<Token>/year=<YYYY>/month=<MM>/<Token>_<YYYYMMDD>.csv``, relative to the root."""
    return (
        f"bank_name={token}/year={month.year:04d}/month={month.month:02d}/"
        f"{token}_{month.last_day.strftime('%Y%m%d')}.csv"
    )


def month_folder_suffix(month: ExtractMonth) -> str:
    """``year=<YYYY>/month=<MM>/``: the part of a bank's folder that holds month M."""
    return f"year={month.year:04d}/month={month.month:02d}/"
