"""Readers: encodings, delimiters, workbooks and sheets, header detection, and refused files."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from tests.core.import_files import (QUALTRICS_IDS, SM_HEAD1, SM_Q, qualtrics, surveymonkey, write_csv, write_ods,
                          write_xlsx)

from nps_desktop.core.importing import ImportRefused
from nps_desktop.core.importing.readers import detect_header, read_table

ROWS = [["Email", "Score", "Comment"], ["ana@acme.com", "9", "Très bien, merci"], ["bo@beta.io", "3", "Zu langsam"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16-le-bom", "utf-16-be-bom", "cp1252"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_text_encodings_and_delimiters(tmp_path, encoding, delimiter):
    path = write_csv(tmp_path / "f.csv", ROWS, encoding, delimiter)
    table = read_table(path)
    assert table.columns == ["Email", "Score", "Comment"]
    assert [cells for _, cells in table.rows()] == [r for r in ROWS[1:]]
    assert [row for row, _ in table.rows()] == [2, 3]


@pytest.mark.parametrize("encoding, rows", [
    ("cp932", [["メール", "スコア", "コメント"], ["a@x.jp", "9", "とても使いやすいです"], ["b@x.jp", "3", "料金が高すぎる"]]),
    ("cp932", [["email", "score", "comment"], ["a@x.jp", "10", "最高"]]),
    ("gb18030", [["邮箱", "评分", "评论"], ["a@x.cn", "9", "产品很好用"], ["b@x.cn", "3", "客服回复太慢了"]]),
    ("big5", [["信箱", "分數", "意見"], ["a@x.tw", "9", "產品很好用"], ["b@x.tw", "3", "客服回覆太慢"]]),
    ("cp949", [["이메일", "점수", "의견"], ["a@x.kr", "9", "정말 좋아요"], ["b@x.kr", "3", "너무 느려요"]]),
])
def test_japanese_chinese_and_korean_excel_csv_reads_as_written(tmp_path, encoding, rows):
    """Excel on Japanese, Chinese and Korean Windows saves "CSV" in its legacy encoding, not UTF-8."""
    path = tmp_path / "f.csv"
    path.write_bytes("".join(",".join(r) + "\r\n" for r in rows).encode(encoding))
    table = read_table(path)
    assert table.source.encoding == encoding
    assert table.columns == rows[0] and [cells for _, cells in table.rows()] == rows[1:]


def test_an_east_asian_encoding_is_found_far_into_the_file(tmp_path):
    rows = [["email", "score", "comment"]] + [[f"u{i}@x.jp", "8", "ok"] for i in range(20_000)]
    rows.append(["late@x.jp", "3", "サポートの対応が遅い"])
    path = tmp_path / "f.csv"
    path.write_bytes("".join(",".join(r) + "\r\n" for r in rows).encode("cp932"))   # 300 kB of ASCII first
    table = read_table(path)
    assert table.source.encoding == "cp932" and list(table.rows())[-1][1] == rows[-1]


def test_western_text_is_not_taken_for_an_east_asian_encoding(tmp_path):
    rows = [["Name", "Comment"], ["Müller GmbH", "Très bon – “merci” …"], ["Åsa Ærø", "Muy fácil, ¡genial!"],
            ["Nestlé", "Die Software stürzt ständig ab"]]
    path = write_csv(tmp_path / "f.csv", rows, "cp1252", ",")
    assert read_table(path).source.encoding == "cp1252"
    assert [cells for _, cells in read_table(path).rows()] == rows[1:]


def test_utf16_without_bom(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes("Email\tScore\r\nana@acme.com\t9\r\n".encode("utf-16-le"))
    assert [c for _, c in read_table(path).rows()] == [["ana@acme.com", "9"]]


def test_quoted_commas_and_line_breaks_keep_excel_row_numbers(tmp_path):
    path = write_csv(tmp_path / "f.csv", [["Score", "Why"], ["9", "fast,\nfriendly"], [], ["4", "slow"]])
    table = read_table(path)
    assert list(table.rows()) == [(2, ["9", "fast,\nfriendly"]), (4, ["4", "slow"])]


def test_title_lines_above_the_header(tmp_path):
    path = write_csv(tmp_path / "f.csv", [["Accounts report"], ["Generated 2025-03-01"], [],
                                          ["Account", "ARR", "Region"], ["Acme", "$1,000", "EMEA"]])
    table = read_table(path)
    assert table.header.row == 3 and table.columns == ["Account", "ARR", "Region"]
    assert list(table.rows()) == [(5, ["Acme", "$1,000", "EMEA"])]


def test_qualtrics_three_header_rows(tmp_path):
    table = read_table(qualtrics(tmp_path))
    assert table.header.depth == 3 and table.columns == QUALTRICS_IDS
    assert table.header.labels[QUALTRICS_IDS.index("Q1")].startswith("How likely are you to recommend")
    assert table.header.meta[QUALTRICS_IDS.index("ResponseId")] == {"ImportId": "_recordId"}
    assert next(table.rows())[0] == 4   # the first response is on Excel's row 4


def test_surveymonkey_two_header_rows(tmp_path):
    table = read_table(surveymonkey(tmp_path))
    assert table.header.depth == 2
    assert SM_Q in table.columns
    # a multi-part question: its text over each option's column
    assert "Which features do you use? - Reports" in table.columns
    assert "Which features do you use? - Other (please specify)" in table.columns
    assert next(table.rows())[0] == 3
    assert table.columns[:9] == SM_HEAD1[:9]


def test_duplicate_and_blank_headers_get_unique_names():
    header = detect_header([["Score", "score", "", "Note"], ["1", "2", "3", "4"]])
    assert header.columns == ["Score", "score (2)", "Column C", "Note"]


def test_workbook_values_and_sheets(tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", [["Score", "When"], [9, "2025-01-02"]], sheet="Data",
                      extra_sheets={"Other": [["Email"], ["a@b.co"]]}, first_empty=True)
    table = read_table(path)                       # the first sheet is empty: the first with data
    assert table.source.sheet == "Data" and table.source.sheets == ["Notes", "Data", "Other"]
    assert list(table.rows()) == [(2, [9.0, "2025-01-02"])]
    assert read_table(path, "Other").columns == ["Email"]
    with pytest.raises(ImportRefused, match='no sheet "Nope"'):
        read_table(path, "Nope")


def test_xlsm_and_ods(tmp_path):
    xlsm = write_xlsx(tmp_path / "f.xlsm", [["Score"], [7]])
    assert list(read_table(xlsm).rows()) == [(2, [7.0])]
    ods = write_ods(tmp_path / "f.ods", [["Email", "Score"], ["a@b.co", 10], ["c@d.co", 6]])
    table = read_table(ods)
    assert table.source.format == "ods"
    assert [c for _, c in table.rows()] == [["a@b.co", 10.0], ["c@d.co", 6.0]]


def test_extension_does_not_matter(tmp_path):
    path = write_csv(tmp_path / "export.dat", ROWS)
    assert read_table(path).columns == ["Email", "Score", "Comment"]
    xlsx_named_csv = write_xlsx(tmp_path / "really.xlsx", ROWS).rename(tmp_path / "really.csv")
    assert read_table(xlsx_named_csv).source.format == "xlsx"


# -- refused files -------------------------------------------------------------------------------
def _xlsx_with(tmp_path: Path, part: str, transform) -> Path:
    src = write_xlsx(tmp_path / "ok.xlsx", [["Score"], [9]])
    out = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, transform(data) if info.filename == part else data)
    return out


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>')


def test_entity_attack_in_a_sheet(tmp_path):
    path = _xlsx_with(tmp_path, "xl/worksheets/sheet1.xml",
                      lambda d: LAUGHS + d.split(b"?>", 1)[-1].replace(b"<v>9</v>", b"<v>&lol2;</v>"))
    with pytest.raises(ImportRefused, match=r"bad.xlsx was refused: its part xl/worksheets/sheet1.xml declares"):
        read_table(path)


def test_entity_attack_in_utf16_and_lower_case(tmp_path):
    path = _xlsx_with(tmp_path, "xl/styles.xml",
                      lambda d: '<?xml version="1.0" encoding="UTF-16"?><!doctype x [<!entity a "b">]><sst/>'
                      .encode("utf-16"))
    with pytest.raises(ImportRefused, match="declares XML entities"):
        read_table(path)


def test_entity_attack_in_content_types(tmp_path):
    path = _xlsx_with(tmp_path, "[Content_Types].xml", lambda d: LAUGHS + d.split(b"?>", 1)[-1])
    with pytest.raises(ImportRefused, match="declares XML entities"):
        read_table(path)


@pytest.mark.parametrize("content, what", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
    (b"\x00\x01\x02\x03\xff\xfe\x00\x00" * 200, "a binary file"),
    (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "an XML or HTML document"),
    (b"SQLite format 3\x00" + b"\x00" * 100, "a SQLite database"),
])
def test_not_a_spreadsheet(tmp_path, content, what):
    path = tmp_path / "survey.xlsx"
    path.write_bytes(content)
    with pytest.raises(ImportRefused, match=f"survey.xlsx is not a spreadsheet \\(it looks like {what}\\)"):
        read_table(path)


def test_word_document_and_plain_zip_are_not_spreadsheets(tmp_path):
    docx = tmp_path / "report.xlsx"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document/>")
    with pytest.raises(ImportRefused, match="word-processor document"):
        read_table(docx)
    archive = tmp_path / "data.xlsx"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("data.csv", "a,b\n1,2\n")
    with pytest.raises(ImportRefused, match="a zip archive"):
        read_table(archive)


def test_truncated_workbook(tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", [["Score"]] + [[i % 11] for i in range(500)])
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ImportRefused, match="cut.xlsx is damaged or incomplete"):
        read_table(cut)


def test_corrupted_workbook_part(tmp_path):
    path = _xlsx_with(tmp_path, "xl/worksheets/sheet1.xml", lambda d: d[: len(d) // 2])
    with pytest.raises(ImportRefused, match="bad.xlsx is damaged or incomplete"):
        read_table(path)


def test_truncated_csv_inside_a_quote(tmp_path):
    path = tmp_path / "cut.csv"
    path.write_text('Score,Comment\n9,"fine"\n4,"slow and then the file stops', encoding="utf-8")
    with pytest.raises(ImportRefused, match="cut.csv is damaged or incomplete.*truncated"):
        list(read_table(path).rows())


def test_truncated_utf16(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes(b"\xff\xfe" + "Score\tWhy\r\n9\tok\r\n".encode("utf-16-le")[:-1])
    with pytest.raises(ImportRefused, match="damaged or incomplete"):
        list(read_table(path).rows())


@pytest.mark.parametrize("content", [b"", b"   \r\n\r\n", b"\xef\xbb\xbf", b",,,\n,,\n"])
def test_empty_text_files(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(ImportRefused, match="empty.csv is empty"):
        read_table(path)


def test_empty_workbook(tmp_path):
    path = write_xlsx(tmp_path / "empty.xlsx", [])
    with pytest.raises(ImportRefused, match="empty.xlsx is empty"):
        read_table(path)


@pytest.mark.parametrize("maker", [
    lambda p: write_csv(p / "head.csv", [["Email", "Score"], [], []]),
    lambda p: write_xlsx(p / "head.xlsx", [["Title"], [], ["Email", "Score"]]),
])
def test_only_headers(tmp_path, maker):
    path = maker(tmp_path)
    with pytest.raises(ImportRefused, match=rf"{path.name} has a header row \(row \d\) but no data rows"):
        read_table(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ImportRefused, match="no such file"):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(ImportRefused, match="it is a folder"):
        read_table(tmp_path)
