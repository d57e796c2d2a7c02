"""Small spreadsheets written the way each tool exports them, built by the tests themselves.

Each builder writes a file under the given folder and returns its path. The data are fixed so that the
tests can state exact counts and NPS values worked out by hand.
"""
from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable

from openpyxl import Workbook


def write_csv(path: Path, rows: Iterable[Iterable[Any]], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = buf.getvalue()
    if encoding == "utf-16-le-bom":
        path.write_bytes(b"\xff\xfe" + data.encode("utf-16-le"))
    elif encoding == "utf-16-be-bom":
        path.write_bytes(b"\xfe\xff" + data.encode("utf-16-be"))
    else:
        path.write_bytes(data.encode(encoding))
    return path


def write_xlsx(path: Path, rows: Iterable[Iterable[Any]], sheet: str = "Sheet1",
               extra_sheets: dict[str, list[list[Any]]] | None = None, first_empty: bool = False) -> Path:
    wb = Workbook()
    ws = wb.active
    if first_empty:
        ws.title = "Notes"
        ws = wb.create_sheet(sheet)
    else:
        ws.title = sheet
    for r in rows:
        ws.append(list(r))
    for name, more in (extra_sheets or {}).items():
        other = wb.create_sheet(name)
        for r in more:
            other.append(r)
    wb.save(path)
    return path


def write_ods(path: Path, rows: list[list[Any]]) -> Path:
    """A minimal OpenDocument spreadsheet (strings and floats)."""
    def cell(v: Any) -> str:
        if v in (None, ""):
            return "<table:table-cell/>"
        if isinstance(v, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        text = str(v).replace("&", "&amp;").replace("<", "&lt;")
        return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
    body = "".join("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="Responses">'
               f'{body}</table:table></office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return path


# -- Qualtrics: three header rows; previews, tests and an unfinished response without a score -----------
QUALTRICS_IDS = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
                 "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
                 "ExternalReference", "LocationLatitude", "LocationLongitude", "DistributionChannel",
                 "UserLanguage", "Q1", "Q1_NPS_GROUP", "Q2", "Q3_1"]
QUALTRICS_LABELS = ["Start Date", "End Date", "Response Type", "IP Address", "Progress", "Duration (in seconds)",
                    "Finished", "Recorded Date", "Response ID", "Recipient Last Name", "Recipient First Name",
                    "Recipient Email", "External Data Reference", "Location Latitude", "Location Longitude",
                    "Distribution Channel", "User Language",
                    "How likely are you to recommend Acme to a friend or colleague?",
                    "How likely are you to recommend Acme to a friend or colleague? - Group",
                    "What is the primary reason for your score?", "How satisfied are you with - Support"]
QUALTRICS_META = [{"ImportId": "startDate", "timeZone": "America/Denver"},
                  {"ImportId": "endDate", "timeZone": "America/Denver"}, {"ImportId": "status"},
                  {"ImportId": "ipAddress"}, {"ImportId": "progress"}, {"ImportId": "duration"},
                  {"ImportId": "finished"}, {"ImportId": "recordedDate", "timeZone": "America/Denver"},
                  {"ImportId": "_recordId"}, {"ImportId": "recipientLastName"},
                  {"ImportId": "recipientFirstName"}, {"ImportId": "recipientEmail"},
                  {"ImportId": "externalDataReference"}, {"ImportId": "locationLatitude"},
                  {"ImportId": "locationLongitude"}, {"ImportId": "distributionChannel"},
                  {"ImportId": "userLanguage"}, {"ImportId": "QID1_NPS_GROUP"}, {"ImportId": "QID1_NPS_GROUP"},
                  {"ImportId": "QID2_TEXT"}, {"ImportId": "QID3_1"}]


def _q(i: int, status: str, finished: str, progress: int, when: str, rid: str, email: str, score: Any,
       comment: str, sat: Any = 4) -> list[Any]:
    group = "" if score == "" else (3 if int(score) >= 9 else 2 if int(score) >= 7 else 1)
    return [when, when, status, f"10.0.0.{i}", progress, 95, finished, when, rid, "Doe", "Jo", email, "",
            "39.7", "-104.9", "anonymous" if status != "Survey Preview" else "preview", "EN", score, group,
            comment, sat]


#: (status, finished, progress, recorded, id, email, score, comment); NPS of the 7 real ones with a
#: score: promoters 10, 9, 9 (3); passives 8, 7 (2); detractors 6, 2 (2) → 100·(3−2)/7 = 14.2857…
QUALTRICS_ROWS = [
    ("IP Address", "True", 100, "2025-03-01 09:15:02", "R_1aaa", "ana@acme.com", 10, "Great support, fast"),
    ("IP Address", "True", 100, "2025-03-02 10:00:00", "R_2bbb", "ben@acme.com", 9, ""),
    ("IP Address", "True", 100, "2025-03-03 11:30:45", "R_3ccc", "chloe@beta.io", 6, "Integrations keep breaking"),
    ("Survey Preview", "True", 100, "2025-03-03 12:00:00", "R_4ddd", "", 0, "just testing"),
    ("IP Address", "True", 100, "2025-03-04 08:00:00", "R_5eee", "dan@beta.io", 8, "Fine, but pricey"),
    ("Survey Test", "True", 100, "2025-03-04 09:00:00", "R_6fff", "", 3, "test"),
    ("IP Address", "False", 40, "2025-03-05 14:12:00", "R_7ggg", "eve@gamma.org", "", ""),
    ("IP Address", "True", 100, "2025-03-06 16:45:10", "R_8hhh", "fay@gamma.org", 2, "Too slow, considering alternatives"),
    ("IP Address", "False", 60, "2025-03-07 07:05:00", "R_9iii", "gus@gamma.org", 7, ""),
    ("IP Address", "True", 100, "2025-03-08 18:20:30", "R_10jj", "hal@acme.com", 9, "Love the product"),
]


def qualtrics(folder: Path, name: str = "qualtrics.csv", encoding: str = "utf-8-sig", delimiter: str = ",",
              rows=QUALTRICS_ROWS) -> Path:
    data = [QUALTRICS_IDS, QUALTRICS_LABELS, [json.dumps(m) for m in QUALTRICS_META]]
    data += [_q(i, *r) for i, r in enumerate(rows)]
    return write_csv(folder / name, data, encoding, delimiter)


# -- SurveyMonkey: two header rows, US dates with AM/PM, labelled scale ends ---------------------------
SM_Q = "How likely is it that you would recommend Acme to a friend or colleague?"
SM_WHY = "What is the main reason for your score?"
SM_MULTI = "Which features do you use?"
SM_HEAD1 = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address",
            "First Name", "Last Name", "Custom Data 1", SM_Q, SM_WHY, SM_MULTI, "", ""]
SM_HEAD2 = ["", "", "", "", "", "", "", "", "", "Response", "Open-Ended Response", "Reports", "Dashboards",
            "Other (please specify)"]
#: NPS of the 6 answers with a score: promoters 10, 9 (2), passive 7 (1), detractors 0, 5, 6 (3)
#: → 100·(2−3)/6 = −16.67; the 7th respondent skipped the question.
SM_ROWS = [
    [114000000001, 4200001, "11/03/2025 02:10:00 PM", "11/03/2025 02:14:55 PM", "1.1.1.1", "ana@acme.com",
     "Ana", "Lopez", "", "10 - Extremely likely", "Easy to use, great team", "Reports", "", ""],
    [114000000002, 4200001, "11/04/2025 09:00:00 AM", "11/04/2025 09:03:10 AM", "1.1.1.2", "ben@acme.com",
     "Ben", "Ito", "", "9", "", "", "Dashboards", ""],
    [114000000003, 4200001, "11/05/2025 11:00:00 AM", "11/05/2025 11:09:00 AM", "1.1.1.3", "cy@beta.io",
     "Cy", "Ng", "", "0 - Not at all likely", "Billing errors, again", "", "", "Exports"],
    [114000000004, 4200001, "11/06/2025 01:00:00 PM", "11/06/2025 01:04:00 PM", "1.1.1.4", "dee@beta.io",
     "Dee", "Ray", "", "7", "OK", "Reports", "Dashboards", ""],
    [114000000005, 4200001, "11/07/2025 03:00:00 PM", "11/07/2025 03:01:00 PM", "1.1.1.5", "eli@gamma.org",
     "Eli", "Fox", "", "5", "Slow, slow, slow.\nAnd support never calls back", "", "", ""],
    [114000000006, 4200001, "11/08/2025 04:00:00 PM", "11/08/2025 04:02:00 PM", "1.1.1.6", "fin@gamma.org",
     "Fin", "Poe", "", "6", "", "", "", ""],
    [114000000007, 4200001, "11/09/2025 05:00:00 PM", "11/09/2025 05:00:30 PM", "1.1.1.7", "gil@gamma.org",
     "Gil", "Orr", "", "", "", "Reports", "", ""],
]


def surveymonkey(folder: Path, name: str = "surveymonkey.xlsx", rows=SM_ROWS) -> Path:
    data = [SM_HEAD1, SM_HEAD2] + rows
    if name.endswith(".xlsx"):
        return write_xlsx(folder / name, data, sheet="Sheet")
    return write_csv(folder / name, data)


# -- Typeform: "#" token, hidden email field, dates in UTC, partial responses -----------------------
TF_HEAD = ["#", "How likely are you to recommend us to a colleague?", "What could we do better?", "email",
           "Response Type", "Start Date (UTC)", "Stage Date (UTC)", "Submit Date (UTC)", "Network ID", "Tags"]
#: completed with a score: 10, 9, 8, 4 → 100·(2−1)/4 = 25; one partial without a score (skipped).
TF_ROWS = [
    ["a1b2c3", 10, "Nothing, keep going", "ana@acme.com", "completed", "2025-05-01 10:00:00", "2025-05-01 10:01:00",
     "2025-05-01 10:02:03", "n1", ""],
    ["d4e5f6", 9, "", "BEN@ACME.COM ", "completed", "2025-05-02 10:00:00", "", "2025-05-02 10:05:00", "n2", ""],
    ["g7h8i9", "", "", "cy@beta.io", "partial", "2025-05-03 10:00:00", "2025-05-03 10:00:30", "", "n3", ""],
    ["j1k2l3", 8, "Better exports", "dee@beta.io", "completed", "2025-05-04 10:00:00", "", "2025-05-04 23:59:59",
     "n4", "vip"],
    ["m4n5o6", 4, "Onboarding was confusing", "eli@gamma.org", "completed", "2025-05-05 10:00:00", "",
     "2025-05-05 10:10:10", "n5", ""],
]


def typeform(folder: Path, name: str = "typeform.csv", rows=TF_ROWS) -> Path:
    return write_csv(folder / name, [TF_HEAD] + rows)


# -- Google Forms: Timestamp in the owner's locale (day first here), no response ids ----------------------
GF_HEAD = ["Timestamp", "Email Address", "On a scale of 0-10, how likely are you to recommend Acme?",
           "Why did you give that score?", "Rate our support [Speed]", "Rate our support [Quality]"]
#: scores 9, 10, 3, 7, 9 → promoters 3, detractors 1 → 100·2/5 = 40; day-first (13/03 decides it).
GF_ROWS = [
    ["04/03/2025 10:22:31", "ana@acme.com", 9, "Solid", 4, 5],
    ["05/03/2025 11:00:00", "ben@acme.com", 10, "Best tool we have", 5, 5],
    ["13/03/2025 09:15:00", "cy@beta.io", 3, "Outages every week", 1, 2],
    ["14/03/2025 17:45:12", "dee@beta.io", 7, "", 3, 3],
    ["01/04/2025 08:00:00", "eli@gamma.org", 9, "Fast support", 5, 4],
]


def google_forms(folder: Path, name: str = "google_forms.csv", rows=GF_ROWS, encoding: str = "utf-8") -> Path:
    return write_csv(folder / name, [GF_HEAD] + rows, encoding)


# -- Delighted ------------------------------------------------------------------------------------
DL_HEAD = ["Response ID", "Email", "Name", "Score", "Comment", "Response timestamp", "survey_type",
           "Delighted Source", "Delighted Country", "Delighted Device Type"]
#: NPS rows: 10, 10, 6, 8 → 100·(2−1)/4 = 25; one CSAT row (not NPS: skipped).
DL_ROWS = [
    ["9001", "ana@acme.com", "Ana Lopez", 10, "Wonderful", "2025-06-01T09:00:00-07:00", "nps", "Email", "US", "desktop"],
    ["9002", "ben@acme.com", "Ben Ito", 10, "", "2025-06-02T10:00:00-07:00", "nps", "Email", "US", "mobile"],
    ["9003", "cy@beta.io", "Cy Ng", 6, "Pricing went up", "2025-06-03T11:00:00Z", "nps", "Web", "DE", "desktop"],
    ["9004", "dee@beta.io", "Dee Ray", 4, "", "2025-06-03T12:00:00Z", "csat", "Web", "DE", "desktop"],
    ["9005", "eli@gamma.org", "Eli Fox", 8, "Good", "2025-06-04T23:30:00+02:00", "nps", "Email", "FR", "tablet"],
]


def delighted(folder: Path, name: str = "delighted.csv", rows=DL_ROWS) -> Path:
    return write_csv(folder / name, [DL_HEAD] + rows)


# -- a CRM account list: title line, money with $, US/ISO/serial dates, a totals row --------------------
ACC_HEAD = ["Account ID", "Account Name", "Website", "ARR", "Seats", "Industry", "Region", "Tier",
            "Customer Since", "Renewal Date", "Account Owner", "Type"]
ACC_ROWS = [
    ["ACME-001", "Acme Corp", "https://www.acme.com", "$120,000", 250, "Software", "North America", "Enterprise",
     "03/15/2021", "2026-03-15", "Alex Morgan", "Customer"],
    ["BETA-002", "Beta GmbH", "beta.io", "$45,500.50", 80, "Manufacturing", "EMEA", "Mid-Market",
     datetime(2022, 7, 1), 46204, "Priya Shah", "Customer"],
    ["GAMMA-003", "Gamma Ltd", "gamma.org", "12000", 20, "Retail", "APAC", "SMB", "2023-01-10", "12/31/2025",
     "Jordan Lee", "Churned"],
]


def accounts_xlsx(folder: Path, name: str = "accounts.xlsx", rows=ACC_ROWS, total: bool = True) -> Path:
    data: list[list[Any]] = [["Accounts by ARR"], ["Generated by Salesforce on 3/1/2025"], []]
    data += [ACC_HEAD] + [list(r) for r in rows]
    if total:
        data += [["Total", "", "", "$177,500.50", 350, "", "", "", "", "", "", ""], [],
                 ["Confidential Information - Do Not Distribute"]]
    return write_xlsx(folder / name, data, sheet="Accounts")


def accounts_csv(folder: Path, name: str = "accounts.csv", rows: list[list[Any]] | None = None,
                 encoding: str = "cp1252", delimiter: str = ";") -> Path:
    rows = rows if rows is not None else [
        ["ACME-001", "Acme Corp", "acme.com", "120000.00 USD", "250", "Software", "North America", "Enterprise",
         "2021-03-15", "2026-03-15", "Alex Morgan", "Customer"],
        ["DELTA-004", "Délta Café SA", "delta.fr", "€30.000,00", "15", "Food", "EMEA", "SMB", "2024-02-01",
         "2026-02-01", "Maria López", "Customer"],
    ]
    return write_csv(folder / name, [["Account list"], [], ACC_HEAD] + rows, encoding, delimiter)


# -- a contact list: emails in any case with spaces, an unsubscribed flag -----------------------------------
CON_HEAD = ["Email", "First Name", "Last Name", "Title", "Account ID", "Unsubscribed"]
CON_ROWS = [
    ["  Ana@ACME.com ", "Ana", "Lopez", "VP Operations", "ACME-001", "No"],
    ["ben@acme.com", "Ben", "Ito", "Admin", "ACME-001", "yes"],
    ["CY@Beta.IO", "Cy", "Ng", "Engineer", "", "FALSE"],
    ["dee@beta.io", "Dee", "Ray", "Champion", "BETA-002", ""],
    ["not-an-email", "X", "Y", "", "", ""],
]


def contacts_csv(folder: Path, name: str = "contacts.csv", rows=CON_ROWS) -> Path:
    return write_csv(folder / name, [CON_HEAD] + rows)


# -- revenue events -------------------------------------------------------------------------------------
REV_HEAD = ["Event ID", "Account ID", "Type", "Date", "Amount"]
REV_ROWS = [
    ["E1", "ACME-001", "Renewal", "2025-03-15", "$0"],
    ["E2", "ACME-001", "Upsell", "2025-06-01", "$20,000"],
    ["E3", "BETA-002", "Cross-sell", "2025-07-01", "5,000"],
    ["E4", "GAMMA-003", "Churn", "2025-12-31", "$12,000"],
    ["E5", "BETA-002", "Downsell", "2025-09-30", "(2,500)"],
    ["E6", "NOPE-999", "New business", "2025-01-01", "$9,000"],
]


def revenue_csv(folder: Path, name: str = "revenue.csv", rows=REV_ROWS) -> Path:
    return write_csv(folder / name, [REV_HEAD] + rows)


def dump(conn, bookkeeping: bool = False) -> dict[str, list[tuple]]:
    """Every row of every table, for before/after comparisons; without ``bookkeeping`` the import
    batches, their rejects and changes are left out (undo keeps the batch, marked undone)."""
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    skip = {"generation"} | (set() if bookkeeping else {"import_batches", "import_rejects", "import_changes"})
    return {n: sorted((tuple(r) for r in conn.execute(f"SELECT * FROM {n}")), key=repr)
            for n in names if n not in skip}
