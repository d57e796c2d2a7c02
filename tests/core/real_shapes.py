"""Survey files in the shapes real exports and public NPS data sets have, built by the tests themselves.

Shapes learnt from genuine exports and public data sets (none copied; data here are made up):
- Older SurveyMonkey exports: ``RespondentID,CollectorID,StartDate,EndDate,IP Address,Email Address,First
  Name,LastName,Custom Data`` then one column per question text; a second header row blank under those
  fixed columns and ``Response`` / ``Open-Ended Response`` / option labels under the questions.
- Qualtrics: ids (``ResponseId``, ``RecordedDate``, ``Q1`` …, ``Q1_NPS_GROUP``), question texts, then
  ``{"ImportId": …}`` objects; surveys often ask several 0-10 "how likely … recommend" questions.
- Google Forms in Spanish: ``Marca temporal`` first (day/month/year ``14/03/2025 10:22:31``), then
  ``Dirección de correo electrónico``, then the questions as typed (``¿Qué probabilidad hay de que
  recomiendes …?``, ``¿Por qué?``).
- Typeform: ``#`` (the response token) first, one column per question, then ``Response Type``, ``Start
  Date (UTC)``, ``Stage Date (UTC)``, ``Submit Date (UTC)``, ``Network ID``, ``Tags`` (built by
  ``import_files.typeform``).
- Data sets written by R (``write.csv``): a quoted empty header over the row names, ``NA`` for missing
  values, Windows-1252 text when written on Windows; often no date column at all.
- Cleaned survey exports with their own respondent id, timestamps to the minute repeated across
  respondents, other 0-10 and 1-5 rating columns beside the recommend question, Likert columns beside the
  free-text explanation, the customer's ``created_at`` beside the survey's ``surveyed_at``.

Genuine public files checked with the real CLI (``import FILE --dry-run --json``, then an import and
``stats``; copies kept in /tmp, never here), counts and NPS worked out by hand from the raw file:
- BenaventC/NPSgame ``nps.csv`` (also SB427/CoursR_InitiationNLP ``nps.csv``): R ``write.csv``, a quoted
  empty header over the row names, ``id``, three 0-10 columns ``nps``, ``satisfaction``, ``intention``,
  French free text ``explication``, ``NA`` everywhere, Latin-1 with DOS mojibake (0x82 for é, 0x90), no
  date. 13,954 rows, 342 ``NA`` scores: 13,612 responses, NPS 53.4, 3,801 comments (one "na" blanked);
  the app was right (given ``--responded-on``), ``nps`` chosen over the two others, re-import adds nothing.
- felixdelbarrio/nps_lens_app ``data/examples/nps_thermal_senda_mx_sample.csv``: Spanish
  ``Fecha,ID,NPS Group,NPS,Comment,…``; 5,000 rows, NPS 60.3, comments in ``Comment``: right.
- ropensci/qualtRics ``tests/testthat/files/sample.csv``: current Qualtrics (ids, question texts in
  German, ImportId objects) with numeric ``Status`` 0 and ``Finished`` 1, which were offered as score
  columns: fixed (``answer_columns``).
- ropensci/qualtRics ``tests/testthat/files/sample_legacy.csv``: the older Qualtrics layout, ``V1`` … ``V10``
  and question ids over ``ResponseID`` … and the question texts, a BOM and a trailing comma; not
  recognised at all: fixed (``legacy_qualtrics``).
- fivethirtyeight/data ``star-wars-survey/StarWars.csv`` (and ``steak-survey/steak-risk-survey.csv``):
  older SurveyMonkey exports trimmed to ``RespondentID`` and the questions, a ``Response`` row below;
  multiple-answer questions leave the first header row narrower than the data, so the sub-label row was
  taken as the header: fixed (``trimmed_surveymonkey``). Neither asks the NPS question: refused, naming
  the candidates (``comma-survey/comma-survey.csv``, one header row: refused as of unknown kind).
- duyguHsnHsn/nps-data ``nps_data.csv``: ``Date,User,Score``, CRLF, 1,825 rows, five a day, one user
  every day; NPS -46.7: right.
- alexyarosh/stat5000-f23 ``nps.csv``: one column ``response``, CRLF, no date; 1,659 responses, NPS 8.3
  with ``--responded-on``: right.
- HimanshuBohra-ElevateNow/Files ``typeform.csv`` (its shape only: personal data, not downloaded): current
  Typeform, ``#``, contact fields, phone numbers as ``'+91…``, the fixed columns, then ``Ending`` (the
  thank-you text, several lines, on every row). Checked on ``typeform_with_ending``: the follow-up "What
  could we do better?" was not taken as the comment (nor in ``import_files.typeform``): fixed.
- kalij01/ecobank-report-codes ``Form Responses 1.csv`` (shape only, personal data): Google Forms in
  English, ``Timestamp`` as ``7/1/2024 22:05:36``, a header cell over two lines; no NPS question.
- Not found in public repositories: a Spanish Google Forms export and a Qualtrics export with several NPS
  questions; their builders here follow /work/shared/FORMATS.md.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from tests.core.import_files import write_csv, write_xlsx


def respondent_id_file(folder: Path, name: str = "cleaned.csv", n: int = 40) -> Path:
    """Own ids; every 10 respondents share one minute; many share a day and a score (never merged)."""
    rows = [["respondent_id", "submitted", "recommend_score", "comment"]]
    for i in range(n):
        rows.append([f"{1000 + i}", f"2025-05-0{1 + i // 10} 09:00", str([9, 10, 3, 9, 7][i % 5]),
                     "" if i % 3 else "Great service"])
    return write_csv(folder / name, rows)


def no_id_repeats(folder: Path, name: str = "anon.csv", rows: int = 12) -> Path:
    """No id, day-only dates, identical rows (two people answering the same on the same day)."""
    data = [["Date", "How likely are you to recommend us? (0-10)"]]
    data += [["2025-03-01", "9"] for _ in range(rows // 2)] + [["2025-03-02", "6"] for _ in range(rows - rows // 2)]
    return write_csv(folder / name, data)


NO_DATE_HEAD = ["Respondent", "Likelihood to recommend (0-10)", "Why that score?"]


def no_date_file(folder: Path, name: str = "nodate.csv", rows: list[list[str]] | None = None) -> Path:
    """A public data set without a date column (respondents numbered by the author)."""
    data = rows if rows is not None else [
        ["r1", "10", "Love the new dashboard"], ["r2", "4", "Too many outages lately"],
        ["r3", "8", "Does the job well enough"], ["r4", "9", "Support answered within the hour"]]
    return write_csv(folder / name, [NO_DATE_HEAD] + data)


def r_na_cp1252(folder: Path, name: str = "nps_r.csv") -> Path:
    """``write.csv`` output from R on Windows: row names, NA markers, accented text in Windows-1252."""
    rows = [["", "country", "likely_recommend", "why", "surveyed_at"],
            ["1", "España", "9", "Muy fácil de usar, el equipo responde rápido", "2024-02-01"],
            ["2", "France", "NA", "NA", "2024-02-01"],
            ["3", "Deutschland", "3", "Zu teuer für unser kleines Team", "2024-02-02"],
            ["4", "España", "10", "NA", "2024-02-02"],
            ["5", "France", "7", "Réponses lentes du support, mais correct", "2024-02-03"],
            ["6", "NA", "6", "-", "2024-02-03"]]
    return write_csv(folder / name, rows, encoding="cp1252")


ES_HEAD = ["Marca temporal", "Dirección de correo electrónico",
           "¿Qué probabilidad hay de que recomiendes Acme a un amigo o colega?",
           "¿Cómo valoras el soporte? (1-5)", "¿Cuál es el motivo principal de tu puntuación?"]
ES_ROWS = [["14/03/2025 10:22:31", "lucia@ejemplo.es", 9, 5, "Funciona muy bien y es rápido"],
           ["14/03/2025 11:05:02", "pablo@ejemplo.es", 4, 2, "Demasiados errores al exportar"],
           ["15/03/2025 09:12:40", "marta@gmail.com", 10, 4, "El equipo de soporte es excelente"],
           ["16/03/2025 18:40:00", "jorge@ejemplo.es", 7, 3, "Le faltan algunas funciones"]]


def spanish_google_forms(folder: Path, name: str = "respuestas.xlsx", rows=ES_ROWS) -> Path:
    return write_xlsx(folder / name, [ES_HEAD] + rows, sheet="Respuestas de formulario 1")


QX_IDS = ["StartDate", "EndDate", "Status", "Progress", "Finished", "RecordedDate", "ResponseId",
          "RecipientEmail", "Q1", "Q1_NPS_GROUP", "Q2", "Q2_NPS_GROUP", "Q3", "Q3_NPS_GROUP", "Q4"]
QX_QUESTIONS = {"Q1": "How likely are you to recommend Acme Analytics to a friend or colleague?",
                "Q2": "How likely are you to recommend Acme's support team to a colleague?",
                "Q3": "How likely are you to recommend Acme as an employer?",
                "Q4": "What is the main reason for your scores?"}
QX_LABELS = ["Start Date", "End Date", "Response Type", "Progress", "Finished", "Recorded Date", "Response ID",
             "Recipient Email", QX_QUESTIONS["Q1"], "Q1 - Group", QX_QUESTIONS["Q2"], "Q2 - Group",
             QX_QUESTIONS["Q3"], "Q3 - Group", QX_QUESTIONS["Q4"]]


def _group(score: int) -> int:
    return 1 if score <= 6 else 2 if score <= 8 else 3


def qualtrics_rows(n: int) -> list[list[object]]:
    rows = []
    start = datetime(2025, 9, 1, 8, 0)
    for i in range(n):
        a, b, c = (3 * i) % 11, (5 * i + 2) % 11, (7 * i + 4) % 11
        when = (start + timedelta(minutes=37 * i)).strftime("%Y-%m-%d %H:%M:%S")
        rows.append([when, when, "IP Address", "100", "True", when, f"R_{i:04d}x{i * 7919 % 1000:03d}",
                     f"p{i}@corp{i % 3}.com", a, _group(a), b, _group(b), c, _group(c), f"Reason number {i}"])
    return rows


def qualtrics_three_nps(folder: Path, name: str = "qualtrics_3nps.csv", n: int = 12) -> Path:
    meta = [json.dumps({"ImportId": i}) for i in QX_IDS]
    return write_csv(folder / name, [QX_IDS, QX_LABELS, meta] + qualtrics_rows(n), encoding="utf-8-sig")


SMO_Q = "How likely is it that you would recommend Acme to a friend or colleague?"
SMO_WHY = "Please tell us why you gave that score."
SMO_HEAD = ["RespondentID", "CollectorID", "StartDate", "EndDate", "IP Address", "Email Address", "First Name",
            "LastName", "Custom Data", SMO_Q, SMO_WHY, "Which plan are you on?", ""]
SMO_SUB = ["", "", "", "", "", "", "", "", "", "Response", "Open-Ended Response", "Starter", "Business"]
SMO_ROWS = [["3401128834", "51234567", "11/03/2014 02:14:55 PM", "11/03/2014 02:19:02 PM", "1.2.3.4",
             "ann@acme.com", "Ann", "Lee", "", "10 - Extremely likely", "Everything just works", "Starter", ""],
            ["3401129902", "51234567", "11/03/2014 03:01:10 PM", "11/03/2014 03:04:45 PM", "1.2.3.5",
             "bo@beta.io", "Bo", "Chan", "", "3", "Billing was wrong twice", "", "Business"],
            ["3401135567", "51234567", "11/04/2014 09:30:00 AM", "11/04/2014 09:33:00 AM", "1.2.3.6",
             "", "", "", "", "0 - Not at all likely", "", "Starter", ""]]


def old_surveymonkey(folder: Path, name: str = "sm_old.csv", rows=SMO_ROWS) -> Path:
    return write_csv(folder / name, [SMO_HEAD, SMO_SUB] + rows)


def wrong_columns(folder: Path, name: str = "crm_survey.csv") -> Path:
    """Account creation date before the survey date; a Likert column before the French free text;
    ``recommend R`` before ``recommend Python``; a yes/no and a 1-5 column."""
    head = ["created_at", "surveyed_at", "Would you renew? (0/1)", "Ease of use (1-5)",
            "How likely are you to recommend R to a colleague?", "How likely are you to recommend Python?",
            "Satisfaction (Likert)", "Explication de votre note"]
    likert = ["Agree", "Strongly agree", "Neutral", "Agree", "Disagree"]
    rows = [[f"2021-0{1 + i % 9}-1{i % 10}", f"2025-06-{10 + i:02d}", str(i % 2), str(1 + i % 5),
             str((i * 3) % 11), str((i * 7 + 1) % 11), answer, f"Explication numéro {i}: c'est bien pour {i} raisons"]
            for i, answer in zip(range(12), likert * 3)]
    return write_csv(folder / name, [head] + rows)


QL_HEAD = ["V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9", "V10", "Q1", "Q2", "LocationLatitude",
           "LocationLongitude", "LocationAccuracy", ""]
QL_LABELS = ["ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress", "IPAddress",
             "Status", "StartDate", "EndDate", "Finished",
             "On a scale from 0 to 10, how likely are you to recommend Acme to a friend?",
             "What is the most important reason for your score?", "LocationLatitude", "LocationLongitude",
             "LocationAccuracy", ""]


def legacy_qualtrics(folder: Path, name: str = "legacy_qualtrics.csv", scores=(10, 9, 6, 7, 0, 9)) -> Path:
    """The older Qualtrics layout: ``V1`` … ``V10`` and question ids, then ``ResponseID`` … and the
    question texts; a trailing comma on every line; numeric Status (0) and Finished (1)."""
    rows = [[f"R_{i:02d}aZq{i * 37 % 100:02d}", "Default Response Set", "Anonymous", "", "", "10.0.0.1", "0",
             f"2016-05-0{1 + i % 3} 10:{i:02d}:00", f"2016-05-0{1 + i % 3} 10:{i + 4:02d}:00", "1", str(s),
             "" if s == 7 else f"Reason {i}: the support team", "46.9", "7.4", "-1", ""]
            for i, s in enumerate(scores)]
    return write_csv(folder / name, [QL_HEAD, QL_LABELS] + rows, encoding="utf-8-sig")


SMT_Q = "How likely is it that you would recommend Acme to a friend or colleague?"


def trimmed_surveymonkey(folder: Path, name: str = "sm_trimmed.csv", scores=(9, 10, 4, 8, 6, 10, 2)) -> Path:
    """An older SurveyMonkey export trimmed to ``RespondentID`` and the questions (as published data sets
    are), whose multiple-answer questions leave most of the first header row blank, so that it is narrower
    than the data rows below it."""
    options = ["Web app", "Mobile app", "API", "Reports", "Exports", "Alerts", "Billing", "Admin"]
    head = ["RespondentID", "Which parts of Acme do you use? Please select all that apply."] + [""] * 7 + \
        ["Please rank these in order of importance."] + [""] * 7 + [SMT_Q, "Why?", "Region"]
    sub = [""] + options + options + ["Response", "Open-Ended Response", "Response"]
    rows = [[str(3_300_000_000 + 7919 * i)] + options[:3 + i % 5] + [""] * (5 - i % 5) +
            [str(1 + (i + k) % 8) for k in range(8)] + [str(s), f"Because of reason {i}", "Pacific"]
            for i, s in enumerate(scores)]
    return write_csv(folder / name, [head, sub] + rows)


TFE_ENDING = "We've received your answers.\n\nOur team will get back to you within 24 hours.\n\nThank you 🙏"


def typeform_with_ending(folder: Path, name: str = "typeform_ending.csv") -> Path:
    """A current Typeform export: contact fields first (a phone number with Excel's ``'`` guard), the
    NPS question and its follow-up, then the fixed columns and a last ``Ending`` column repeating the
    thank-you screen's text (several lines) on every row."""
    head = ["#", "First name", "Phone number", "How likely are you to recommend Acme to a friend?",
            "What could we do better?", "Your age (in years)", "Response Type", "Start Date (UTC)",
            "Stage Date (UTC)", "Submit Date (UTC)", "Network ID", "Tags", "Ending"]
    scores, notes = [10, 3, 9, 7, 6], ["Nothing, keep it up", "Support took a week to answer", "",
                                       "Cheaper plans for small teams", "The mobile app crashes"]
    rows = [[f"tok{i}x{i * 7919 % 1000:03d}q", f"Person {i}", f"'+4470085{i:05d}", str(s), note, str(23 + 9 * i),
             "completed", f"2026-02-1{i} 07:5{i}:02", "", f"2026-02-1{i} 07:5{i}:59", f"n{i}", "", TFE_ENDING]
            for i, (s, note) in enumerate(zip(scores, notes))]
    return write_csv(folder / name, [head] + rows)
