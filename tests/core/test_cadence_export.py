"""Safe exports: formula-like cells neutralised, CSV with a BOM, .xlsx that Excel opens; the send list."""
from __future__ import annotations

import csv
from datetime import date

import pytest
from openpyxl import load_workbook

from nps_desktop.core.cadence.export import EXCLUDED_COLUMNS, PLANNED_COLUMNS, export_excluded, export_plan
from nps_desktop.core.export_safety import neutralise, write_table

from .cadence_data import RNPS, account, contact, run, touch

DANGEROUS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x", "=HYPERLINK(\"http://x\")"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_like_text_is_neutralised(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["plain", "a=b", "", None, -5, 3.5, date(2026, 7, 1), "Zoë@ex.com"])
def test_everything_else_is_left_alone(value):
    assert neutralise(value) == value


def test_csv_is_utf8_with_a_bom_and_safe(tmp_path):
    path = tmp_path / "out.csv"
    n = write_table(path, ["name", "when", "n"], [["=cmd|' /C calc'!A0", date(2026, 7, 1), -3], ["Zoë", None, 2]])
    assert n == 2
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows == [["name", "when", "n"], ["'=cmd|' /C calc'!A0", "2026-07-01", "-3"], ["Zoë", "", "2"]]
    assert not (tmp_path / "out.csv.part").exists()


def test_xlsx_holds_text_never_formulas_and_real_dates(tmp_path):
    path = tmp_path / "out.xlsx"
    write_table(path, ["name", "when"], [[text, date(2026, 7, 1)] for text in DANGEROUS] + [["bell\x07", None]],
                sheet="Send list")
    wb = load_workbook(path)
    sheet = wb["Send list"]
    cells = [row for row in sheet.iter_rows(min_row=2)]
    assert all(c[0].data_type == "s" for c in cells)
    # (the standard XML parser reads a carriage return as a line feed; lxml, when installed, keeps it)
    assert [c[0].value.replace("\r", "\n") for c in cells] == ["'" + t.replace("\r", "\n") for t in DANGEROUS] \
        + ["bell"]
    assert cells[0][1].value.date() == date(2026, 7, 1) and cells[0][1].number_format == "yyyy-mm-dd"
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"


def test_an_unknown_format_is_refused_and_nothing_written(tmp_path):
    with pytest.raises(ValueError, match=r"out\.pdf: cannot export to \.pdf; use \.csv or \.xlsx"):
        write_table(tmp_path / "out.pdf", ["a"], [[1]])
    assert list(tmp_path.iterdir()) == []


def test_a_failed_export_leaves_no_file(tmp_path):
    def rows():
        yield ["ok"]
        raise RuntimeError("disk full")
    with pytest.raises(RuntimeError):
        write_table(tmp_path / "out.csv", ["a"], rows())
    assert list(tmp_path.iterdir()) == []


def test_the_send_list_has_the_mail_merge_columns(tmp_path):
    contacts = {1: contact("=evil@example.com", first="=Eve"), 2: contact("bob@example.com", first="Bob"),
                3: contact("carl@example.com")}
    plan = run(contacts, [RNPS], "2026-07-01", "2026-07-31", accounts={1: account("+Acme")},
               touches=[touch(3, "2026-05-19")])
    assert export_plan(plan, tmp_path / "send.xlsx") == 2
    rows = list(load_workbook(tmp_path / "send.xlsx").active.iter_rows(values_only=True))
    assert rows[0] == PLANNED_COLUMNS
    assert rows[0][:6] == ("email", "first name", "last name", "account", "program", "planned on")
    got = {r[0]: r for r in rows[1:]}
    assert got["'=evil@example.com"][1:5] == ("'=Eve", None, "'+Acme", "Relational NPS")
    assert got["bob@example.com"][5].date() == date(2026, 7, 2)     # one a day: the wave spreads over ten
    assert got["bob@example.com"][6:] == (1, "rnps", "quarterly", "Relational NPS 2026Q3")
    assert export_plan(plan, tmp_path / "wave.csv", wave="Nothing") == 0
    assert export_excluded(plan, tmp_path / "excluded.csv") == 1
    lines = list(csv.reader((tmp_path / "excluded.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert lines == [list(EXCLUDED_COLUMNS), ["carl@example.com", "'+Acme", "Relational NPS",
                                              "Relational NPS 2026Q3", "2026-07-01", "relational_gap",
                                              "surveyed 43 days ago; the minimum is 180"]]
