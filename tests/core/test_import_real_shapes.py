"""Imports that hold on real exports (issue 16): respondents never merged, the NPS question found in any
language and shown with its alternatives, dates supplied when a file has none, NA markers, free-text
comments, the survey's own date, old SurveyMonkey exports, contacts and accounts from respondents."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from nps_desktop.core import analytics
from nps_desktop.core.importing import ImportOptions, ImportRefused, import_file, plan, preview, undo_batch
from nps_desktop.core.importing.respondents import is_free_mail
from nps_desktop.core.importing.values import normalise_email
from tests.core import import_files as F, real_shapes as R


def _nps(ws) -> float | None:
    return analytics.overall(ws, analytics.Filters()).nps


def _count(ws, sql="SELECT count(*) FROM responses", *params):
    return ws.scalar(sql, params) if params else ws.scalar(sql)


# -- 1. never merge two respondents -----------------------------------------------------------------
def test_respondents_sharing_a_minute_a_day_and_a_score_stay_apart(ws, tmp_path):
    r = import_file(ws, R.respondent_id_file(tmp_path, n=40))
    assert (r.imported, r.duplicates) == (40, 0)
    assert _count(ws, "SELECT count(DISTINCT source_id) FROM responses") == 40


def test_rows_without_ids_are_never_merged_and_reimports_add_nothing(ws, tmp_path):
    r = import_file(ws, R.no_id_repeats(tmp_path, rows=12))   # 6 identical 9s, 6 identical 6s
    assert r.imported == 12 and _nps(ws) == pytest.approx(0.0)
    again = import_file(ws, R.no_id_repeats(tmp_path, "copy.csv", rows=12))
    assert (again.imported, again.duplicates, again.batch_id) == (0, 12, None)
    assert again.duplicate_notes() == [f"already imported on {date.today():%Y-%m-%d} (batch 1): nothing new"]
    longer = import_file(ws, R.no_id_repeats(tmp_path, "longer.csv", rows=16))   # 8 and 8: two more of each
    assert (longer.imported, longer.duplicates) == (4, 12)
    assert _count(ws) == 16


def test_the_same_file_twice_records_no_empty_batch(ws, tmp_path):
    path = R.respondent_id_file(tmp_path)
    first = import_file(ws, path)
    second = import_file(ws, path)
    assert second.batch_id is None and second.imported == 0
    assert second.duplicate_notes()[0] == (f"already imported on {date.today():%Y-%m-%d} (batch {first.batch_id}): "
                                           f"nothing new")
    assert _count(ws, "SELECT count(*) FROM import_batches") == 1


def test_a_longer_export_adds_exactly_the_new_rows(ws, tmp_path):
    import_file(ws, R.respondent_id_file(tmp_path, "may.csv", n=30))
    r = import_file(ws, R.respondent_id_file(tmp_path, "june.csv", n=37))
    assert (r.imported, r.duplicates) == (7, 30)
    assert r.extra["already_imported"] == [{"batch_id": 1, "imported_on": f"{date.today():%Y-%m-%d}", "rows": 30}]


def test_two_data_sets_numbering_their_rows_alike_are_both_imported(ws, tmp_path):
    a = F.write_csv(tmp_path / "a.csv", [["id", "date", "nps"]] + [[str(i), "2025-01-01", "9"] for i in range(1, 5)])
    b = F.write_csv(tmp_path / "b.csv", [["id", "when", "recommend"]] +
                    [[str(i), "2025-02-01", "2"] for i in range(1, 5)])
    assert import_file(ws, a).imported == 4 and import_file(ws, b).imported == 4
    assert _nps(ws) == pytest.approx(0.0)   # 4 promoters, 4 detractors
    assert import_file(ws, b).imported == 0


def test_a_repeated_response_id_in_one_file_is_one_response(ws, tmp_path):
    path = F.write_csv(tmp_path / "dup.csv", [["Response ID", "Date", "NPS"], ["7", "2025-01-01", "9"],
                                               ["7", "2025-01-01", "9"], ["8", "2025-01-01", "9"]])
    r = import_file(ws, path)
    assert (r.imported, r.duplicates) == (2, 1)
    assert "1 row repeat a response id given earlier in this file" in r.duplicate_notes()


# -- 2. the NPS question, in any language, shown with its alternatives ---------------------------------
def test_three_nps_questions_take_the_first_and_show_the_others(ws, tmp_path):
    path = R.qualtrics_three_nps(tmp_path, n=12)
    p = preview(path)
    score = next(c for c in p.choices() if c["field"] == "score")
    assert score["column"] == "Q1" and score["question"] == R.QX_QUESTIONS["Q1"]
    assert score["candidates"] == [{"column": "Q2", "question": R.QX_QUESTIONS["Q2"]},
                                   {"column": "Q3", "question": R.QX_QUESTIONS["Q3"]}]
    r = plan(ws, p)
    assert [c["column"] for c in r.as_json()["choices"]] == ["Q1", "RecordedDate", "Q4", "ResponseId"]
    import_file(ws, path, ImportOptions(remap={"Q2": "score"}))
    stored = [s for (s,) in ws.query("SELECT score FROM responses ORDER BY source_id")]
    assert stored == [row[10] for row in sorted(R.qualtrics_rows(12), key=lambda x: x[6])]
    assert import_file(ws, path, ImportOptions(remap={"Q2": "score"})).imported == 0


def test_recommend_r_before_recommend_python_and_the_survey_date(tmp_path):
    p = preview(R.wrong_columns(tmp_path))
    chosen = {c["field"]: c for c in p.choices()}
    assert chosen["score"]["column"] == "How likely are you to recommend R to a colleague?"
    assert [c["column"] for c in chosen["score"]["candidates"]] == [
        "How likely are you to recommend Python?", "Would you renew? (0/1)", "Ease of use (1-5)"]
    assert chosen["responded_at"]["column"] == "surveyed_at"
    assert [c["column"] for c in chosen["responded_at"]["candidates"]] == ["created_at"]
    assert chosen["comment"]["column"] == "Explication de votre note"   # not the Likert column


@pytest.mark.parametrize("question, reason", [
    ("¿Recomendarías nuestro producto? (0-10)", "Motivo de tu respuesta"),
    ("Recommanderiez-vous notre service ?", "Commentaire"),
    ("Wie wahrscheinlich würden Sie uns weiterempfehlen?", "Begründung Ihrer Bewertung"),
    ("Qual a probabilidade de você recomendar a empresa?", "Justificativa da nota"),
    ("Quanto è probabile che raccomandi il nostro prodotto?", "Spiegazione del punteggio"),
    ("Hoe waarschijnlijk is het dat u ons aanbeveelt?", "Toelichting op uw score"),
])
def test_the_recommend_question_in_six_more_languages(tmp_path, question, reason):
    rows = [["Fecha", question, "Ease (1-5)", "Score 0-10 for price", reason]] + [
        [f"2025-01-0{i + 1}", str((4 * i) % 11), str(1 + i % 5), str(10 - i), f"texte libre {i} avec des mots"]
        for i in range(6)]
    p = preview(F.write_csv(tmp_path / "f.csv", rows))
    assert p.field_columns()["score"] == question and p.field_columns()["comment"] == reason


def test_a_refusal_names_the_candidates_and_the_map(tmp_path):
    head = ["Date"] + [f"Q{i}" for i in range(1, 8)]
    path = F.write_csv(tmp_path / "seven.csv", [head] + [[f"2025-01-0{d}"] + [str((d * i) % 11) for i in range(1, 8)]
                                                         for d in range(1, 7)])
    with pytest.raises(ImportRefused) as err:
        preview(path)
    assert str(err.value) == ('No score column chosen for seven.csv: 7 columns hold 0-10 scores ("Q1", "Q2", "Q3", '
                              '"Q4", "Q5", "Q6", "Q7"). Pick the NPS question in the import wizard or with '
                              '--map "Q1=score".')


# -- 3. a file without dates -------------------------------------------------------------------------
def test_a_file_without_dates_takes_the_date_given(ws, tmp_path):
    path = R.no_date_file(tmp_path)
    with pytest.raises(ImportRefused, match="has no date column .* --responded-on YYYY-MM-DD"):
        preview(path)
    r = import_file(ws, path, ImportOptions(responded_on="2024-11-05"))
    assert r.imported == 4
    assert [tuple(x) for x in ws.query("SELECT DISTINCT responded_on FROM responses")] == [("2024-11-05",)]
    assert _nps(ws) == pytest.approx(25.0)   # 10, 9 promoters; 4 detractor; 8 passive
    # the same file said to be from another day is still the same responses
    assert import_file(ws, path, ImportOptions(responded_on="2024-12-01")).imported == 0


@pytest.mark.parametrize("day, message", [("05/11/2024", "is not a date"),
                                          ((date.today() + timedelta(days=3)).isoformat(), "is in the future")])
def test_a_bad_collection_date_is_refused(tmp_path, day, message):
    with pytest.raises(ImportRefused, match=message):
        preview(R.no_date_file(tmp_path), ImportOptions(responded_on=day))


# -- 4. missing-value markers ------------------------------------------------------------------------
def test_an_r_file_with_na_in_windows_1252(ws, tmp_path):
    r = import_file(ws, R.r_na_cp1252(tmp_path))
    assert (r.rows, r.imported, r.rejected, r.skipped_reasons) == (6, 5, 0, {"no score given": 1})
    comments = [c for (c,) in ws.query("SELECT comment FROM responses ORDER BY id")]
    assert comments == ["Muy fácil de usar, el equipo responde rápido", "Zu teuer für unser kleines Team", None,
                        "Réponses lentes du support, mais correct", None]
    assert _nps(ws) == pytest.approx(0.0)   # 9, 10 promoters; 3, 6 detractors; 7 passive
    assert import_file(ws, R.r_na_cp1252(tmp_path, "again.csv")).imported == 0


@pytest.mark.parametrize("marker", ["NA", "N/A", "n/a", "NaN", "null", "None", "-", "(blank)"])
def test_missing_markers_are_blank_cells(ws, tmp_path, marker):
    path = F.write_csv(tmp_path / "m.csv", [["Date", "NPS", "Comment"], ["2025-01-01", marker, "Fine product"],
                                             ["2025-01-02", "8", marker]])
    r = import_file(ws, path, ImportOptions(mapping={"Date": "responded_at", "NPS": "score", "Comment": "comment"}))
    assert (r.imported, r.rejected, r.skipped_reasons) == (1, 0, {"no score given": 1})
    assert ws.scalar("SELECT comment FROM responses") is None


# -- 6, 2. a Spanish Google Forms workbook -----------------------------------------------------------
def test_spanish_google_forms_xlsx(ws, tmp_path):
    path = R.spanish_google_forms(tmp_path)
    p = preview(path)
    assert p.field_columns() == {"responded_at": "Marca temporal", "email": "Dirección de correo electrónico",
                                 "score": R.ES_HEAD[2], "comment": R.ES_HEAD[4]}
    assert next(c for c in p.choices() if c["field"] == "score")["candidates"] == [
        {"column": R.ES_HEAD[3], "question": R.ES_HEAD[3]}]
    r = import_file(ws, path)
    assert r.imported == 4 and _nps(ws) == pytest.approx(25.0)   # 9, 10 | 4 | 7
    assert next(d for (d,) in ws.query("SELECT responded_at FROM responses ORDER BY id")) == "2025-03-14T10:22:31"
    assert import_file(ws, path).imported == 0


# -- 7. older SurveyMonkey exports ---------------------------------------------------------------------
def test_old_surveymonkey_layout(ws, tmp_path):
    path = R.old_surveymonkey(tmp_path)
    p = preview(path)
    assert p.preset == "surveymonkey"
    assert p.question("Please tell us why you gave that score. - Open-Ended Response") == R.SMO_WHY
    r = import_file(ws, path)
    assert r.imported == 3 and r.source == "surveymonkey"
    rows = [tuple(x) for x in ws.query("SELECT source_id, score, responded_at, comment FROM responses ORDER BY id")]
    assert rows == [("3401128834", 10, "2014-11-03T14:19:02", "Everything just works"),
                    ("3401129902", 3, "2014-11-03T15:04:45", "Billing was wrong twice"),
                    ("3401135567", 0, "2014-11-04T09:33:00", None)]
    assert [tuple(x) for x in ws.query("SELECT email, first_name, last_name FROM contacts ORDER BY id")] == [
        ("ann@acme.com", "Ann", "Lee"), ("bo@beta.io", "Bo", "Chan")]
    assert import_file(ws, path).imported == 0


# -- 8. contacts and accounts from respondents ---------------------------------------------------------
def test_contacts_from_emails_and_accounts_from_company_domains(ws, tmp_path):
    path = R.spanish_google_forms(tmp_path)
    r = import_file(ws, path, ImportOptions(accounts_from_domains=True))
    assert (r.extra["contacts_created"], r.extra["accounts_created"]) == (4, 1)
    assert [tuple(x) for x in ws.query("SELECT name, domain FROM accounts")] == [("ejemplo.es", "ejemplo.es")]
    assert r.mapped_share == pytest.approx(0.75)   # marta@gmail.com is nobody's account
    assert ws.scalar("SELECT account_id FROM contacts WHERE email = 'marta@gmail.com'") is None
    undo_batch(ws, r.batch_id)
    assert ws.scalar("SELECT count(*) FROM accounts") == ws.scalar("SELECT count(*) FROM contacts") == 0


def test_without_the_choice_no_account_is_made(ws, tmp_path):
    r = import_file(ws, R.spanish_google_forms(tmp_path))
    assert (r.extra["contacts_created"], r.extra["accounts_created"], ws.scalar("SELECT count(*) FROM accounts")) == \
        (4, 0, 0)


@pytest.mark.parametrize("domain, free", [("gmail.com", True), ("yahoo.co.uk", True), ("gmx.de", True),
                                          ("web.de", True), ("qq.com", True), ("163.com", True),
                                          ("acme.com", False), ("mail.acme-corp.de", False)])
def test_free_mail_domains(domain, free):
    assert is_free_mail(domain) is free


# -- issue 21: emails with junk and invisible characters -------------------------------------------------
@pytest.mark.parametrize("raw", ["\ufeffana@acme.com", "ana@acme.com\u200b", "ana@ac\u00adme.com",
                                 "\u00a0Ana@Acme.com\u00a0", "ana\u2060@acme.com", "<ana@acme.com>\u202f"])
def test_invisible_characters_leave_emails(raw):
    assert normalise_email(raw) == "ana@acme.com"


def test_an_email_column_with_junk_is_mapped_and_the_junk_counted(ws, tmp_path):
    path = F.write_csv(tmp_path / "e.csv", [["Date", "NPS", "Email"], ["2025-01-01", "9", "ana@acme.com"],
                                             ["2025-01-02", "3", "n/a"], ["2025-01-03", "8", "ask Bob"],
                                             ["2025-01-04", "7", "\ufeffbo@acme.com"]])
    assert preview(path).field_columns()["email"] == "Email"
    r = import_file(ws, path)
    assert (r.imported, r.rejected, r.extra["blanked"]) == (4, 0, {"Email": 1})   # n/a is a blank, not junk
    assert [e for (e,) in ws.query("SELECT email FROM responses ORDER BY id")] == [
        "ana@acme.com", None, None, "bo@acme.com"]
    assert json.loads(json.dumps(r.as_json()))["blanked"] == {"Email": 1}


# -- shapes met in genuine files (see the notes in real_shapes.py) ----------------------------------
def test_the_older_qualtrics_layout_is_read_like_the_current_one(ws, tmp_path):
    path = R.legacy_qualtrics(tmp_path, scores=(10, 9, 6, 7, 0, 9))
    p = preview(path)
    assert p.preset == "qualtrics"
    cols = p.field_columns()
    assert (cols["score"], cols["responded_at"], cols["source_id"]) == ("Q1", "EndDate", "ResponseID")
    assert p.question("Q1") == R.QL_LABELS[10]
    r = import_file(ws, path)
    assert (r.imported, r.rejected) == (6, 0)
    assert _nps(ws) == pytest.approx(100 * (3 - 2) / 6)   # promoters 10, 9, 9; detractors 6, 0
    assert import_file(ws, path).imported == 0


def test_qualtrics_metadata_is_never_a_score_candidate(tmp_path):
    """Status 0 and Finished 1 are 0-10 numbers; they are the tool's, not a question's."""
    path = R.legacy_qualtrics(tmp_path)
    assert "Status" not in preview(path).candidates["score"] and "Finished" not in preview(path).candidates["score"]
    no_question = R.write_csv(tmp_path / "meta_only.csv", [row[:10] + row[11:] for row in
                                                             _csv_rows(path)])
    with pytest.raises(ImportRefused, match=r"No column of meta_only.csv holds 0-10 scores"):
        preview(no_question)


def _csv_rows(path):
    import csv
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_a_trimmed_older_surveymonkey_export_with_a_narrow_first_header_row(ws, tmp_path):
    path = R.trimmed_surveymonkey(tmp_path, scores=(9, 10, 4, 8, 6, 10, 2))
    given = ImportOptions(responded_on="2014-06-01")
    p = preview(path, given)
    assert p.preset == "surveymonkey"
    cols = p.field_columns()
    assert (cols["score"], cols["source_id"]) == (R.SMT_Q, "RespondentID")
    r = import_file(ws, path, given)
    assert (r.imported, r.rejected) == (7, 0)
    assert _nps(ws) == pytest.approx(100 * (3 - 3) / 7)


def test_a_typeform_export_with_its_ending_column(ws, tmp_path):
    path = R.typeform_with_ending(tmp_path)
    p = preview(path)
    cols = p.field_columns()
    assert p.preset == "typeform"
    assert (cols["score"], cols["comment"], cols["responded_at"]) == (
        "How likely are you to recommend Acme to a friend?", "What could we do better?", "Submit Date (UTC)")
    assert "Ending" not in p.candidates["comment"]
    r = import_file(ws, path)
    assert (r.imported, r.rejected) == (5, 0)
    assert _nps(ws) == pytest.approx(100 * (2 - 2) / 5)
    assert _count(ws, "SELECT count(*) FROM responses WHERE comment IS NOT NULL") == 4
