"""What the wizard's pages share: the kinds' and encodings' labels, the rejected rows' columns, the counts'
sentence, small widgets."""
from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QLabel, QTableView)

from ...core.importing import importer
from ...core.importing.values import parse_text
from .. import theme
from ..widgets.rows_model import Column, RowsModel


KIND_LABELS = {"responses": "Survey responses", "accounts": "Accounts (a CRM list)", "contacts": "Contacts",
               "revenue": "Revenue events"}


FILE_FILTER = ("Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv *.tsv *.txt);;All files (*)")


PREVIEW_ROWS = 20


ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16", "utf-16-le": "UTF-16 LE",
             "utf-16-be": "UTF-16 BE", "cp1252": "Windows-1252", "latin-1": "Latin-1", "utf-32": "UTF-32",
             "cp932": "Shift-JIS, Japanese", "gb18030": "GBK, Chinese", "big5": "Big5, Chinese",
             "cp949": "Korean Windows encoding"}


SHOWN_REJECTS = 500


_IGNORE_LABEL = "— not imported —"


def _problem_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {theme.DETRACTOR};")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _table(model: RowsModel, stretch_last: bool = True) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().setVisible(False)
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    view.horizontalHeader().setStretchLastSection(stretch_last)
    return view


def counts_text(r: importer.ImportResult) -> str:
    """The counts of a dry run or an import, as the wizard shows them."""
    lines = [f"<b>{r.rows:,}</b> rows read: <b>{r.imported:,}</b> new, <b>{r.updated:,}</b> updated, "
             f"<b>{r.duplicates:,}</b> already in the workspace (duplicates), <b>{r.rejected:,}</b> rejected, "
             f"<b>{r.skipped:,}</b> skipped."]
    if r.skipped_reasons:
        lines.append("Skipped: " + ", ".join(f"{why} ({n:,})" for why, n in sorted(r.skipped_reasons.items())) + ".")
    lines += [escape(note[0].upper() + note[1:]) + "." for note in r.duplicate_notes()]
    for column, n in r.extra.get("blanked", {}).items():
        lines.append(f"“{escape(column)}”: {n:,} cells are not email addresses; they are left blank.")
    if r.kind == "responses":
        share = r.extra.get("mapped_share")
        lines.append("New responses mapped to accounts: " +
                     ("—" if share is None else f"<b>{r.extra.get('mapped', 0):,}</b> ({share:.0%})") + ".")
        if r.extra.get("contacts_created") or r.extra.get("accounts_created"):
            lines.append(f"Contacts created from respondents' emails: {r.extra.get('contacts_created', 0):,}; "
                         f"accounts created from company domains: {r.extra.get('accounts_created', 0):,}.")
    if r.extra.get("relinked"):
        lines.append(f"Responses and contacts linked to accounts afresh: {r.extra['relinked']:,}.")
    return "<br/>".join(lines)


REJECT_COLUMNS = [Column("Row", lambda r: str(r[0]), sort=lambda r: r[0], right=True),
                  Column("Column", lambda r: r[1] or ""), Column("Value", lambda r: r[2] or ""),
                  Column("Reason", lambda r: r[3])]


def _cell(v: Any) -> str:
    if v is None:
        return ""
    text = parse_text(v)
    return text if len(text) <= 200 else text[:199] + "…"
