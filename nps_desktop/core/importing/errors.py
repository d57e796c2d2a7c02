"""Why a file is refused, in one line a user can act on.

Every refusal is an ``ImportRefused`` (a ``ValueError``) raised before anything is written, or inside
the import's transaction so that it rolls back: a refused file leaves the workspace unchanged.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

#: How many column names a message lists before it says "and N more".
_MAX_NAMED = 12


class ImportRefused(ValueError):
    """A file that cannot be imported; ``str(exc)`` is one line naming the file and the reason."""


class ImportCancelled(Exception):
    """The user cancelled an import; nothing was written."""


def _name(path: str | Path) -> str:
    return Path(path).name


def columns_text(columns: Iterable[str]) -> str:
    cols = [c for c in columns if c]
    shown = ", ".join(f'"{c}"' for c in cols[:_MAX_NAMED])
    more = len(cols) - _MAX_NAMED
    return shown + (f" and {more} more" if more > 0 else "") if cols else "none"


def not_a_spreadsheet(path: str | Path, what: str = "") -> ImportRefused:
    what = f" (it looks like {what})" if what else ""
    return ImportRefused(f"{_name(path)} is not a spreadsheet{what}: import an .xlsx, .xls, .ods, .csv, "
                         f".tsv or .txt file.")


def corrupt(path: str | Path, detail: str = "") -> ImportRefused:
    detail = f" ({detail})" if detail else ""
    return ImportRefused(f"{_name(path)} is damaged or incomplete and cannot be read{detail}; "
                         f"export it again.")


def unreadable(path: str | Path, reason: str) -> ImportRefused:
    return ImportRefused(f"Cannot read {_name(path)}: {reason}.")


def empty(path: str | Path, sheet: str | None = None) -> ImportRefused:
    where = f' (sheet "{sheet}")' if sheet else ""
    return ImportRefused(f"{_name(path)} is empty{where}: there is nothing to import.")


def only_headers(path: str | Path, row: int) -> ImportRefused:
    return ImportRefused(f"{_name(path)} has a header row (row {row}) but no data rows below it.")


def no_score_column(path: str | Path, columns: Iterable[str], candidates: Sequence[str] = ()) -> ImportRefused:
    if candidates:
        return ImportRefused(f"No score column chosen for {_name(path)}: {len(candidates)} "
                             f"{'column holds' if len(candidates) == 1 else 'columns hold'} 0-10 "
                             f"scores ({columns_text(candidates)}). Pick the NPS question in the import wizard "
                             f'or with --map "{candidates[0]}=score".')
    return ImportRefused(f"No column of {_name(path)} holds 0-10 scores; columns seen: "
                         f"{columns_text(columns)}. Choose the score column in the import wizard, with "
                         f'--map "COLUMN=score", or with a saved mapping (--mapping).')


def no_date_column(path: str | Path, columns: Iterable[str]) -> ImportRefused:
    return ImportRefused(f"{_name(path)} has no date column (columns seen: {columns_text(columns)}): say when "
                         f"these responses were collected with --responded-on YYYY-MM-DD (or in the import "
                         f'wizard), or map a date column with --map "COLUMN=responded_at".')


def missing_fields(path: str | Path, kind: str, groups: list[tuple], columns: Iterable[str]) -> ImportRefused:
    """``groups``: the missing fields (``mapping.Field``), each a tuple of which any one will do."""
    labels = ", ".join(" or ".join(f.label for f in group) for group in groups)
    return ImportRefused(f"{_name(path)} cannot be imported as {kind}: no column for {labels}; columns seen: "
                         f'{columns_text(columns)}. Choose it in the import wizard or with --map '
                         f'"COLUMN={groups[0][0].name}".')


def unknown_kind(path: str | Path, columns: Iterable[str]) -> ImportRefused:
    return ImportRefused(f"Cannot tell whether {_name(path)} holds responses, accounts, contacts or "
                         f"revenue events; columns seen: {columns_text(columns)}. Say which with --as.")


def bad_kind(kind: str) -> ImportRefused:
    return ImportRefused(f"Unknown kind {kind!r}: import as responses, accounts, contacts or revenue.")


def xml_attack(path: str | Path, part: str) -> ImportRefused:
    return ImportRefused(f"{_name(path)} was refused: its part {part} declares XML entities or a "
                         f"DOCTYPE, which spreadsheets never need (a known attack).")


def ambiguous_dates(path: str | Path, column: str, example: str) -> ImportRefused:
    return ImportRefused(f'Dates in column "{column}" of {_name(path)} (e.g. {example}) could be '
                         f"month/day or day/month; say which with --dates mdy or --dates dmy.")


def nul_byte(path: str | Path, row: int, column: str, header: str) -> ImportRefused:
    named = f' ("{header}")' if header else ""
    return ImportRefused(f"{_name(path)} holds a NUL byte (a zero byte, which no text holds) in row {row}, "
                         f"column {column}{named}: the file is damaged or not plain text; export it again.")


def no_sheet(path: str | Path, sheet: str, sheets: Iterable[str]) -> ImportRefused:
    return ImportRefused(f'{_name(path)} has no sheet "{sheet}"; its sheets: {columns_text(sheets)}.')
