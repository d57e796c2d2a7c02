from nps_desktop.core import onboarding, settings
from nps_desktop.core.responses import insert_responses


def test_checklist_follows_the_workspace(ws):
    assert [s.done for s in onboarding.checklist(ws)] == [False] * 4
    assert onboarding.is_new(ws)
    with ws.transaction() as conn:
        conn.execute("INSERT INTO accounts(name) VALUES ('Acme')")
        insert_responses(conn, [{"score": 9, "responded_at": "2026-01-02"}])
    settings.set_value(ws, "company_name", "Acme")
    done = {s.key: s.done for s in onboarding.checklist(ws)}
    assert done == {"accounts": True, "responses": True, "company": True, "goal": False}
    assert not onboarding.is_new(ws)
    settings.set_value(ws, "nps_goal", 0)
    assert all(s.done for s in onboarding.checklist(ws))
