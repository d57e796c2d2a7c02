"""Undoing an older import never silently wipes out what a later import or a hand edit changed since."""
from __future__ import annotations

import pytest

from nps_desktop.core.importing import ImportRefused, import_file, undo_batch
from tests.core import import_files as F

HEAD = ["Email", "First Name", "Last Name", "Title"]


def _contacts(tmp_path, name, title):
    return F.contacts_csv(tmp_path, name, [["ana@acme.com", "Ana", "Lopez", title], ["ben@acme.com", "Ben", "Ito",
                                                                                    "Admin"]])


def _title(ws):
    return ws.scalar("SELECT role FROM contacts WHERE email = 'ana@acme.com'")


def test_undo_of_an_older_batch_is_refused_naming_the_rows_a_later_batch_changed(ws, tmp_path):
    import_file(ws, _contacts(tmp_path, "one.csv", "Analyst"))
    second = import_file(ws, _contacts(tmp_path, "two.csv", "Manager")).batch_id
    third = import_file(ws, _contacts(tmp_path, "three.csv", "Director")).batch_id
    before = F.dump(ws.conn, bookkeeping=True)
    with pytest.raises(ImportRefused, match=rf"Undoing import batch {second} \(two.csv\) would wipe out later "
                                            rf"changes to the same rows: contact ana@acme.com \(changed by import "
                                            rf"batch {third}, three.csv\)\. Undo the later imports first"):
        undo_batch(ws, second)
    assert F.dump(ws.conn, bookkeeping=True) == before and _title(ws) == "Director"
    undo_batch(ws, third)   # newest first: each undo gives back exactly what was there before
    assert _title(ws) == "Manager"
    undo_batch(ws, second)
    assert _title(ws) == "Analyst"


def test_a_later_change_to_other_columns_does_not_block_the_undo(ws, tmp_path):
    import_file(ws, _contacts(tmp_path, "one.csv", "Analyst"))
    second = import_file(ws, _contacts(tmp_path, "two.csv", "Manager")).batch_id
    renamed = [["ana@acme.com", "Anna", "Lopez", "Manager"], ["ben@acme.com", "Ben", "Ito", "Admin"]]
    import_file(ws, F.contacts_csv(tmp_path, "three.csv", renamed))  # only the first name
    undo_batch(ws, second)
    assert _title(ws) == "Analyst"
    assert ws.scalar("SELECT first_name FROM contacts WHERE email = 'ana@acme.com'") == "Anna"


def test_undo_is_refused_when_a_later_revenue_event_changed_an_arr_it_would_restore(ws, tmp_path):
    import_file(ws, F.accounts_xlsx(tmp_path))
    rows = [["ACME-001", "Acme Corporation", "acme.com", "130000", "250", "Software", "North America",
             "Enterprise", "2021-03-15", "2027-03-15", "Alex Morgan", "Customer"]]
    second = import_file(ws, F.accounts_csv(tmp_path, rows=rows)).batch_id
    assert ws.scalar("SELECT arr FROM accounts WHERE external_id = 'ACME-001'") == 130000
    revenue = import_file(ws, F.revenue_csv(tmp_path)).batch_id
    arr = ws.scalar("SELECT arr FROM accounts WHERE external_id = 'ACME-001'")
    with pytest.raises(ImportRefused, match=rf"account Acme Corporation \(its ARR was changed by import batch "
                                            rf"{revenue}, revenue.csv\)"):
        undo_batch(ws, second)
    assert ws.scalar("SELECT arr FROM accounts WHERE external_id = 'ACME-001'") == arr
