"""Exports: typed cells, a styled frozen header row and an autofilter in .xlsx; formula neutralising in
.xlsx and .csv; progress and cancel; the ``export`` command and its figures."""
from __future__ import annotations

import csv
import json
from datetime import date, datetime

import openpyxl
import pytest

from nps_desktop.cli import main
from nps_desktop.core import analytics
from nps_desktop.core.reporting import excel, tables
from nps_desktop.core.reporting.data import ReportCancelled
from nps_desktop.core.reporting.tables import Column, ExportTable
from nps_desktop.core.text import tagging

from . import report_data as R

Q3 = analytics.Filters(date(2026, 7, 1), date(2026, 9, 30))


@pytest.fixture
def hostile(ws):
    R.build(ws)
    tagging.retag_all(ws)
    return ws


def sample() -> ExportTable:
    cols = [Column("id", "int"), Column("when", "datetime"), Column("day", "date"), Column("arr", "money"),
            Column("share", "share"), Column("text", "text"), Column("flag", "bool")]
    rows = [(1, datetime(2026, 7, 1, 9, 30), date(2026, 7, 1), 125000.0, 0.25, "=SUM(A1:A9)", True),
            (2, None, None, None, None, "+1 555", False),
            (3, datetime(2026, 7, 2, 0, 0), date(2026, 7, 2), 0.0, 1.0, "-2", None),
            (4, None, None, 1.5, None, "@cmd", None),
            (5, None, None, None, None, "plain \x00text\x07", None),
            (6, None, None, None, None, "x" * 40_000, None)]
    return ExportTable("Sample", cols, rows, len(rows))


def test_xlsx_has_typed_cells_a_styled_frozen_header_and_an_autofilter(tmp_path):
    path = tmp_path / "s.xlsx"
    assert excel.write(path, sample()) == 6
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == "Sample" and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:G7"
    head = sheet[1]
    assert [c.value for c in head] == ["id", "when", "day", "arr", "share", "text", "flag"]
    assert all(c.font.b and c.fill.fgColor.rgb.endswith("0F2747") for c in head)
    row = sheet[2]
    assert row[0].value == 1 and row[0].data_type == "n"
    assert row[1].value == datetime(2026, 7, 1, 9, 30) and row[1].number_format == "yyyy-mm-dd hh:mm"
    assert row[2].is_date and row[2].number_format == "yyyy-mm-dd"
    assert row[3].value == 125000 and row[3].number_format == "#,##0"
    assert row[4].value == 0.25 and row[4].number_format == "0.0%"
    assert row[6].value is True and sheet["B3"].value is None


def test_xlsx_and_csv_neutralise_formulas_and_clean_text(tmp_path):
    excel.write(tmp_path / "s.xlsx", sample())
    excel.write(tmp_path / "s.csv", sample())
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    texts = [sheet.cell(row=r, column=6) for r in range(2, 8)]
    assert [c.value for c in texts[:4]] == ["'=SUM(A1:A9)", "'+1 555", "'-2", "'@cmd"]
    assert all(c.data_type == "s" for c in texts)
    assert texts[4].value == "plain text" and len(texts[5].value) == excel.EXCEL_CELL_LIMIT
    with open(tmp_path / "s.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert [r[5] for r in rows[1:5]] == ["'=SUM(A1:A9)", "'+1 555", "'-2", "'@cmd"]
    assert rows[1][:5] == ["1", "2026-07-01T09:30:00", "2026-07-01", "125000.0", "0.25"]


def test_progress_reaches_the_total_and_cancel_leaves_no_file(tmp_path):
    cols = [Column("n", "int")]
    big = ExportTable("Big", cols, [(i,) for i in range(5000)], 5000)
    seen = []
    excel.write(tmp_path / "big.xlsx", big, progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (2000, 5000) and seen[-1] == (5000, 5000)
    for suffix in (".xlsx", ".csv"):
        target = tmp_path / f"gone{suffix}"
        with pytest.raises(ReportCancelled):
            excel.write(target, ExportTable("Big", cols, iter([(i,) for i in range(5000)]), 5000),
                        cancelled=lambda: True)
        assert not target.exists() and not list(tmp_path.glob("*.part"))


def test_responses_export_carries_themes_sentiment_and_account_fields(hostile, tmp_path):
    table = tables.build(hostile, "responses", Q3)
    names = [c.name for c in table.columns]
    assert names[-2:] == ["themes", "sentiment"] and table.total == 10
    excel.write(tmp_path / "r.xlsx", table)
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    rows = [dict(zip(names, (c.value for c in r))) for r in sheet.iter_rows(min_row=2)]
    assert len(rows) == 10 and sorted(r["score"] for r in rows) == sorted(R.Q3_SCORES)
    markup = next(r for r in rows if r["comment"] == R.MARKUP)
    assert markup["category"] == "detractor" and markup["account"] == "Acme <b>Corp</b> & Sons"
    assert markup["region"] == "EMEA" and markup["arr"] == 120000 and "pricing" in markup["themes"].split(";")
    assert -1 <= markup["sentiment"] <= 1
    assert next(r for r in rows if r["account"] == "'@Delta =SUM(A1)")  # an account name neutralised
    formula = next(r for r in rows if r["score"] == 8)
    assert formula["comment"] == "'" + R.FORMULA and isinstance(formula["responded_at"], datetime)


def test_accounts_export_carries_the_rollup(hostile):
    table = tables.build(hostile, "accounts", Q3)
    rows = {r[1]: dict(zip([c.name for c in table.columns], r)) for r in table.rows}
    scores = analytics.account_scores(hostile, Q3)
    acme = rows["Acme <b>Corp</b> & Sons"]
    assert acme["nps"] == round(scores[1].nps, 2) == -100.0 and acme["category"] == "detractor"
    assert acme["mean_score"] == 4.0 and acme["renewal_date"] == date(2026, 11, 15)
    assert rows["Beta & Co"]["nps"] == 50.0 and rows["Beta & Co"]["contacts_responded"] == 4


def test_segments_export_equals_stats_by(hostile, capsys):
    table = tables.build(hostile, "segments", Q3)
    rows = [r for r in table.rows if r[1] == "Region"]
    capsys.readouterr()
    main(["stats", "--workspace", str(hostile.path), "--from", "2026-07-01", "--to", "2026-09-30", "--by", "region",
          "--json"])
    groups = json.loads(capsys.readouterr().out)["groups"]
    assert [(r[2], r[3], r[7], r[8]) for r in rows] == [(g["key"], g["responses"], g["nps"], g["margin95"])
                                                        for g in groups]


def test_export_command_writes_the_table_and_refuses_other_files(hostile, tmp_path, capsys):
    out = tmp_path / "r.csv"
    capsys.readouterr()
    assert main(["export", "--workspace", str(hostile.path), "--what", "responses", "--from", "2026-07-01",
                 "--to", "2026-09-30", "--out", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["rows"] == 10 and doc["columns"][-2:] == ["themes", "sentiment"]
    with open(out, encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.reader(fh))) == 11
    assert main(["export", "--workspace", str(hostile.path), "--what", "accounts", "--out",
                 str(tmp_path / "a.txt")]) == 1
    assert capsys.readouterr().err.strip() == (f"nps-desktop export: {tmp_path / 'a.txt'}: cannot export to .txt; "
                                               "use .csv or .xlsx")
    assert not (tmp_path / "a.txt").exists()
