"""``stats`` with every filter and ``--segment``, and the ``segments`` command, on the hand-built fixture."""
from __future__ import annotations

import json
from datetime import date

import pytest

from nps_desktop import cli
from nps_desktop.core import analytics as A
from nps_desktop.core.workspace import open_workspace

from .analytics_fixture import build


@pytest.fixture
def path(tmp_path):
    p = tmp_path / "fx.npsdb"
    with open_workspace(p) as ws:
        build(ws)
    return p


def run(capsys, *args) -> tuple[int, dict | str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    try:
        return code, json.loads(out), err
    except ValueError:
        return code, out, err


@pytest.mark.parametrize("options, n, nps", [
    (["--region", "EMEA"], 6, 100 * (3 - 2) / 6),
    (["--region", "EMEA", "--program", "tnps"], 2, 0.0),
    (["--touchpoint", "support"], 2, 0.0),
    (["--role", "Admin"], 5, 80.0),
    (["--arr-band", "<10k"], 2, 50.0),
    (["--tier", "Enterprise", "--tier", "SMB"], 7, 100 * (4 - 2) / 7),
    (["--owner", "Olu", "--lifecycle-stage", "renewal"], 1, 0.0),
    (["--industry", "Retail"], 2, 50.0),
    (["--region", A.BLANK], 1, -100.0),
    (["--preset", "last_quarter", "--today", "2026-07-04"], 5, 0.0),
    (["--from", "2026-01-12", "--to", "2026-04-02"], 4, -25.0),   # 6, 8, 9, 3
])
def test_stats_filters(capsys, path, options, n, nps):
    code, doc, _ = run(capsys, "stats", "--workspace", str(path), "--json", *options)
    assert code == 0 and doc["responses"] == n and doc["nps"] == pytest.approx(round(nps, 2))


def test_stats_json_equals_core(capsys, path):
    code, doc, _ = run(capsys, "stats", "--workspace", str(path), "--json", "--preset", "last_quarter",
                       "--today", "2026-07-04", "--by", "region", "--period", "month")
    with open_workspace(path) as ws:
        expected = A.stats(ws, A.Filters(preset="last_quarter"), "region", "month", today=date(2026, 7, 4))
    assert {k: v for k, v in doc.items() if k not in ("segment", "scope")} == json.loads(json.dumps(expected))
    assert doc["scope"] == "Last quarter (2026-04-01 – 2026-06-30)"
    assert doc["change"]["delta"] == -25.0


def test_segments_command_and_stats_segment(capsys, path):
    ws_args = ["--workspace", str(path)]
    code, out, _ = run(capsys, "segments", "save", "EMEA support", "--region", "EMEA",
                       "--touchpoint", "support", *ws_args)
    assert code == 0 and "Saved segment 'EMEA support'" in out
    code, doc, _ = run(capsys, "segments", "--json", *ws_args)
    assert [s["name"] for s in doc["segments"]] == ["EMEA support"]
    assert doc["segments"][0]["filters"] == {"region": ["EMEA"], "touchpoint": ["support"]}
    code, doc, _ = run(capsys, "stats", "--segment", "EMEA support", "--json", *ws_args)
    assert doc["responses"] == 2 and doc["segment"] == "EMEA support"
    # an option given beside --segment replaces that field of the segment
    code, doc, _ = run(capsys, "stats", "--segment", "EMEA support", "--touchpoint", "relational",
                       "--json", *ws_args)
    assert doc["responses"] == 4
    code, doc, err = run(capsys, "stats", "--segment", "nope", "--json", *ws_args)
    assert code != 0 and err.strip() == ("nps-desktop stats: no saved segment named 'nope'; "
                                         "saved segments: EMEA support")
    code, doc, _ = run(capsys, "segments", "show", "EMEA support", "--json", *ws_args)
    assert doc["scope"] == "All time · Region: EMEA · Touchpoint: support"
    code, doc, _ = run(capsys, "segments", "delete", "EMEA support", "--json", *ws_args)
    assert code == 0 and doc == {"deleted": "EMEA support"}
    code, doc, err = run(capsys, "segments", "save", "empty", *ws_args)
    assert code != 0 and "give at least one filter" in err


def test_stats_text_output(capsys, path):
    code, out, _ = run(capsys, "stats", "--workspace", str(path), "--from", "2026-04-01",
                       "--to", "2026-06-30", "--by", "region")
    assert code == 0
    # 5 and 4 responses: below the minimum sample, so no change is printed, only that n is too small
    assert "NPS +0.0 ± " in out and "(n too small: fewer than 30)  change: n too small" in out
    assert "Compared with 2026 Q1 (2026-01-01 – 2026-03-31): n=4" in out
    assert "EMEA" in out and "(n too small)" in out and "change -25.0" not in out
