"""Imported comments get their themes and sentiment in the import's transaction; undo takes them away."""
from nps_desktop.core.follow_ups import STANDARD
from nps_desktop.core.importing import ImportOptions, import_file, undo_batch


def test_imported_comments_are_tagged_and_undo_removes_the_tags(ws, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("Email,Score,Date,Comment\n"
                    "ana@acme.com,2,2026-10-01,Way too expensive for what we get\n"
                    "bo@acme.com,10,2026-10-02,Support is fantastic and very quick\n"
                    "cy@acme.com,8,2026-10-03,\n")
    result = import_file(ws, path, ImportOptions(kind="responses"), follow_ups=STANDARD)
    rows = ws.conn.execute("SELECT r.score, r.sentiment, group_concat(t.theme) FROM responses r "
                           "LEFT JOIN response_themes t ON t.response_id = r.id "
                           "GROUP BY r.id ORDER BY r.score").fetchall()
    (s2, sent2, themes2), (s8, sent8, themes8), (s10, sent10, themes10) = rows
    assert "pricing" in themes2.split(",") and sent2 < 0
    assert "support" in themes10.split(",") and sent10 > 0
    assert themes8 is None and sent8 is None          # no comment: nothing to tag
    undo_batch(ws, result.batch_id, STANDARD)
    assert ws.conn.execute("SELECT count(*) FROM response_themes").fetchone()[0] == 0


def test_a_japanese_excel_csv_imports_with_its_comments_read(ws, tmp_path):
    """Japanese Excel saves "CSV" in Shift-JIS: the comments arrive as written and are tagged."""
    path = tmp_path / "アンケート.csv"
    path.write_bytes("メール,スコア,回答日,コメント\r\n"
                     "a@x.jp,2,2026-10-01,サポートの返事がいつも遅い\r\n"
                     "b@x.jp,10,2026-10-02,とても使いやすくて満足しています\r\n".encode("cp932"))
    import_file(ws, path, ImportOptions(kind="responses"), follow_ups=STANDARD)
    rows = ws.conn.execute("SELECT r.comment, r.sentiment, group_concat(t.theme) FROM responses r "
                           "LEFT JOIN response_themes t ON t.response_id = r.id GROUP BY r.id ORDER BY r.score"
                           ).fetchall()
    (c2, sent2, themes2), (c10, sent10, themes10) = rows
    assert c2 == "サポートの返事がいつも遅い" and "support" in themes2.split(",") and sent2 < 0
    assert c10 == "とても使いやすくて満足しています" and "ease_of_use" in themes10.split(",") and sent10 > 0
