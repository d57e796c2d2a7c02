"""Exports of Qualtrics, SurveyMonkey, Typeform, Google Forms and Delighted import with no user input,
with exact counts and exact NPS (worked out by hand beside each fixture in ``import_files``)."""
from __future__ import annotations

import pytest

from nps_desktop.core import analytics
from nps_desktop.core.importing import ImportOptions, import_file, preview
from tests.core import import_files as F


def _nps(ws) -> float:
    return analytics.overall(ws, analytics.Filters()).nps


def _responses(ws) -> list[tuple]:
    return [tuple(r) for r in ws.query("SELECT source_id, score, responded_at, email, comment, kind FROM responses "
                                       "ORDER BY id")]


@pytest.mark.parametrize("encoding, delimiter, name", [("utf-8-sig", ",", "q.csv"), ("utf-16-le-bom", "\t", "q.tsv")])
def test_qualtrics(ws, tmp_path, encoding, delimiter, name):
    path = F.qualtrics(tmp_path, name, encoding, delimiter)
    p = preview(path)
    assert (p.kind, p.preset) == ("responses", "qualtrics")
    assert p.mapping["Q1"] == "score" and p.mapping["Q2"] == "comment" and p.mapping["ResponseId"] == "source_id"
    r = import_file(ws, path)
    assert (r.rows, r.imported, r.duplicates, r.rejected, r.skipped) == (10, 7, 0, 0, 3)
    assert r.skipped_reasons == {"survey preview": 1, "survey test": 1, "unfinished without a score": 1}
    assert _nps(ws) == pytest.approx(100 * (3 - 2) / 7)
    rows = _responses(ws)
    assert rows[0] == ("R_1aaa", 10, "2025-03-01T09:15:02", "ana@acme.com", "Great support, fast", "rnps")
    assert ("R_9iii", 7, "2025-03-07T07:05:00", "gus@gamma.org", None, "rnps") in rows   # unfinished, scored
    assert {x[0] for x in rows}.isdisjoint({"R_4ddd", "R_6fff", "R_7ggg"})
    assert ws.scalar("SELECT DISTINCT source FROM responses") == "qualtrics"


def test_qualtrics_numeric_status_codes(ws, tmp_path):
    rows = [("0", "1", 100, "2025-03-01 09:00:00", "R_a", "a@x.io", 9, ""),
            ("1", "1", 100, "2025-03-01 09:00:00", "R_b", "", 9, ""),       # preview
            ("2", "1", 100, "2025-03-01 09:00:00", "R_c", "", 9, ""),       # test
            ("8", "1", 100, "2025-03-01 09:00:00", "R_d", "", 9, ""),       # spam
            ("4", "1", 100, "2025-03-01 09:00:00", "R_e", "e@x.io", 3, "")]  # imported: real
    r = import_file(ws, F.qualtrics(tmp_path, rows=rows))
    assert (r.imported, r.skipped) == (2, 3)
    assert r.skipped_reasons == {"survey preview": 1, "survey test": 1, "spam": 1}


@pytest.mark.parametrize("name", ["sm.xlsx", "sm.csv"])
def test_surveymonkey(ws, tmp_path, name):
    path = F.surveymonkey(tmp_path, name)
    p = preview(path)
    assert (p.kind, p.preset, p.date_order) == ("responses", "surveymonkey", "mdy")
    assert p.mapping[F.SM_Q] == "score" and p.mapping["End Date"] == "responded_at"
    assert p.mapping[F.SM_WHY + " - Open-Ended Response"] == "comment"
    r = import_file(ws, path)
    assert (r.rows, r.imported, r.rejected, r.skipped) == (7, 6, 0, 1)
    assert _nps(ws) == pytest.approx(100 * (2 - 3) / 6)
    rows = _responses(ws)
    assert rows[0] == ("114000000001", 10, "2025-11-03T14:14:55", "ana@acme.com", "Easy to use, great team", "rnps")
    assert rows[2][1] == 0 and rows[4][4] == "Slow, slow, slow.\nAnd support never calls back"


def test_typeform(ws, tmp_path):
    path = F.typeform(tmp_path)
    assert preview(path).preset == "typeform"
    r = import_file(ws, path)
    assert (r.rows, r.imported, r.skipped) == (5, 4, 1)
    assert r.skipped_reasons == {"unfinished without a score": 1}
    assert _nps(ws) == pytest.approx(25.0)
    rows = _responses(ws)
    assert rows[1] == ("d4e5f6", 9, "2025-05-02T10:05:00", "ben@acme.com", None, "rnps")   # email normalised
    assert rows[2][2] == "2025-05-04T23:59:59"


def test_google_forms_day_first(ws, tmp_path):
    path = F.google_forms(tmp_path)
    p = preview(path)
    assert (p.preset, p.date_order) == ("google_forms", "dmy")
    assert p.mapping["On a scale of 0-10, how likely are you to recommend Acme?"] == "score"
    # the 1-5 grid columns are offered as candidates but not chosen
    assert "Rate our support [Speed]" in p.score_candidates and "Rate our support [Speed]" not in p.mapping
    r = import_file(ws, path)
    assert (r.rows, r.imported) == (5, 5)
    assert _nps(ws) == pytest.approx(40.0)
    assert [x[2] for x in _responses(ws)] == ["2025-03-04T10:22:31", "2025-03-05T11:00:00", "2025-03-13T09:15:00",
                                              "2025-03-14T17:45:12", "2025-04-01T08:00:00"]
    assert ws.scalar("SELECT count(*) FROM responses WHERE source_id IS NULL AND content_key IS NOT NULL") == 5
    assert ws.scalar("SELECT group_concat(quarter) FROM (SELECT quarter FROM responses ORDER BY id)") == \
        "2025Q1,2025Q1,2025Q1,2025Q1,2025Q2"


def test_google_forms_ambiguous_dates_need_the_user(ws, tmp_path):
    rows = [["04/03/2025 10:22:31", "ana@acme.com", 9, "", 4, 5], ["05/03/2025 11:00:00", "ben@acme.com", 3, "", 5, 5]]
    path = F.google_forms(tmp_path, rows=rows)
    p = preview(path, strict=False)
    assert p.date_order is None and p.ambiguous_dates == ("Timestamp", "04/03/2025 10:22:31")
    with pytest.raises(ValueError, match=r'Dates in column "Timestamp" of google_forms.csv \(e.g. 04/03/2025'):
        preview(path)
    r = import_file(ws, path, ImportOptions(date_order="dmy"))
    assert [x[2] for x in _responses(ws)] == ["2025-03-04T10:22:31", "2025-03-05T11:00:00"]
    assert r.date_order == "dmy"


def test_delighted(ws, tmp_path):
    path = F.delighted(tmp_path)
    p = preview(path)
    assert p.preset == "delighted" and p.mapping["Score"] == "score" and p.mapping["survey_type"] == "kind"
    r = import_file(ws, path)
    assert (r.rows, r.imported, r.skipped) == (5, 4, 1)
    assert r.skipped_reasons == {"not an NPS survey": 1}
    assert _nps(ws) == pytest.approx(25.0)
    assert [x[2] for x in _responses(ws)] == ["2025-06-01T09:00:00", "2025-06-02T10:00:00", "2025-06-03T11:00:00",
                                              "2025-06-04T23:30:00"]   # local times as written, zones dropped


def test_generic_file_is_mapped_from_headers_and_values(ws, tmp_path):
    path = F.write_csv(tmp_path / "export.csv", [
        ["Submitted", "Customer e-mail", "Q: How likely are you to recommend us?", "Seats", "Tell us why"],
        ["2025-02-01", "A@X.IO", "9", "3", "good"], ["2025-02-02", "b@y.io", "2", "8", "bad"]])
    p = preview(path)
    assert (p.kind, p.preset) == ("responses", "generic")
    assert p.mapping == {"Submitted": "responded_at", "Customer e-mail": "email",
                         "Q: How likely are you to recommend us?": "score", "Tell us why": "comment"}
    assert p.score_candidates == ["Q: How likely are you to recommend us?", "Seats"]
    r = import_file(ws, path)
    assert r.imported == 2 and r.source == "generic"


@pytest.mark.parametrize("header", [
    ["メールアドレス", "友人に薦める可能性（推奨度）", "回答日時", "その理由"],     # Japanese
    ["邮箱", "您向朋友推荐我们的可能性有多大", "提交时间", "意见"],            # Chinese
    ["이메일", "추천 가능성", "날짜", "의견"],                                  # Korean
    ["Adresse e-mail", "Probabilité de recommander (NPS)", "Date de réponse", "Raison de votre note"],
])
def test_headers_in_other_languages_are_mapped(tmp_path, header):
    path = F.write_csv(tmp_path / "export.csv", [header, ["a@x.io", "9", "2026-10-01", "…速い"],
                                                 ["b@x.io", "3", "2026-10-02", "…遅い"]])   # free text
    assert preview(path).mapping == dict(zip(header, ("email", "score", "responded_at", "comment")))


def test_the_user_confirms_another_score_column(ws, tmp_path):
    path = F.google_forms(tmp_path)
    p = preview(path)
    mapping = {c: f for c, f in p.mapping.items() if f != "score"}
    mapping["Rate our support [Quality]"] = "score"
    r = import_file(ws, path, ImportOptions(mapping=mapping))
    assert r.imported == 5 and _nps(ws) == pytest.approx(-100.0)   # all 1-5: detractors


def test_ods_export(ws, tmp_path):
    path = F.write_ods(tmp_path / "r.ods", [["Email", "Likelihood to recommend", "Date"],
                                            ["a@x.io", 10, "2025-01-01"], ["b@x.io", 7, "2025-01-02"]])
    r = import_file(ws, path)
    assert (r.kind, r.imported) == ("responses", 2) and _nps(ws) == pytest.approx(50.0)


def test_xls_workbook(ws, tmp_path):
    xlwt = pytest.importorskip("xlwt")   # test-only: writes the legacy .xls format
    from datetime import date
    book = xlwt.Workbook()
    sheet = book.add_sheet("Survey")
    rows = [["Report"], [], ["Email", "How likely to recommend", "Date"],
            ["a@x.io", 9, date(2025, 1, 2)], ["b@x.io", 3, date(2025, 1, 3)], ["c@x.io", 8, "03/01/2025"]]
    day = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            sheet.write(i, j, v, day if isinstance(v, date) else xlwt.Style.default_style)
    path = tmp_path / "survey.xls"
    book.save(str(path))
    p = preview(path, ImportOptions(date_order="dmy"))
    assert p.table.source.format == "xls" and p.table.header.row == 2
    r = import_file(ws, path, ImportOptions(date_order="dmy"))
    assert (r.rows, r.imported) == (3, 3) and _nps(ws) == pytest.approx(0.0)
    assert [x[2] for x in _responses(ws)] == ["2025-01-02", "2025-01-03", "2025-01-03"]
