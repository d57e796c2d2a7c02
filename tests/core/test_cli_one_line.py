"""The CLI's argument errors are one line and say where to look, exit 2; a quarter's case does not matter."""
from __future__ import annotations

import json

import pytest

from nps_desktop import cli
from nps_desktop.core.loop import plays
from nps_desktop.core.workspace import open_workspace


def run(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(argv)
    err = capsys.readouterr().err
    return exit_.value.code, err


def test_an_unknown_option_is_one_line_with_see_help(capsys):
    assert run(["stats", "--bogus"], capsys) == \
        (2, "nps-desktop: unrecognized arguments: --bogus; see nps-desktop --help\n")


def test_a_bad_value_names_the_argument_and_the_subcommands_help(capsys):
    assert run(["stats", "--from", "yesterday"], capsys) == \
        (2, "nps-desktop stats: argument --from: 'yesterday' is not a date; write YYYY-MM-DD; "
            "see nps-desktop stats --help\n")
    assert run(["stats", "--by"], capsys) == \
        (2, "nps-desktop stats: argument --by: expected one argument; see nps-desktop stats --help\n")


def test_a_missing_argument_is_one_line(capsys):
    code, err = run(["report"], capsys)
    assert (code, err) == (2, "nps-desktop report: the following arguments are required: --out; "
                              "see nps-desktop report --help\n")


def test_a_lowercase_quarter_is_the_quarter():
    args = cli.build_parser().parse_args(["report", "--period", " 2026q3", "--out", "x.pdf"])
    assert args.period == "2026Q3"


def test_from_after_to_is_refused_before_anything_runs(capsys, tmp_path):
    ws = tmp_path / "never.npsdb"
    assert run(["stats", "--workspace", str(ws), "--from", "2026-09-30", "--to", "2026-07-01"], capsys) == \
        (2, "nps-desktop stats: --from 2026-09-30 is after --to 2026-07-01; see nps-desktop stats --help\n")
    assert not ws.exists()          # refused before a workspace was opened or made


def test_a_filter_value_that_matches_nothing_names_the_known_ones(capsys, demo_file):
    with open_workspace(demo_file, read_only=True) as ws:
        regions = sorted(r[0] for r in ws.conn.execute(
            "SELECT DISTINCT region FROM accounts WHERE region IS NOT NULL"))
    assert cli.main(["stats", "--workspace", str(demo_file), "--region", "Mars"]) == 2
    assert capsys.readouterr().err == f"nps-desktop stats: no region 'Mars'; known: {', '.join(regions)}\n"
    assert cli.main(["stats", "--workspace", str(demo_file), "--region", regions[0], "--json"]) == 0


def test_a_pack_for_a_quarter_that_has_not_begun_is_refused(capsys, demo_file, tmp_path, monkeypatch):
    monkeypatch.setenv("NPS_DESKTOP_TODAY", "2026-12-06")
    out = tmp_path / "pack.pdf"
    assert cli.main(["report", "--workspace", str(demo_file), "--period", "2027q2", "--out", str(out)]) == 2
    assert capsys.readouterr().err == ("nps-desktop report: 2027 Q2 has not started yet (today is 2026-12-06); "
                                       "choose a quarter that has begun\n")
    assert not out.exists()


def test_the_actions_table_names_plays_and_statuses_as_the_app_does(capsys, demo_file):
    with open_workspace(demo_file, read_only=True) as ws:
        names = plays.play_names(ws)
        first = ws.conn.execute("SELECT play, status FROM actions WHERE status = 'in_progress' LIMIT 1").fetchone()
    assert cli.main(["actions", "--workspace", str(demo_file), "--status", "in_progress"]) == 0
    text = capsys.readouterr().out
    assert "in_progress" not in text and "_" not in text.split("contact")[0]
    assert names[first[0]] in text and "In progress" in text


def test_stats_text_names_groups_as_the_dashboard_does(capsys, demo_file):
    assert cli.main(["stats", "--workspace", str(demo_file), "--by", "lifecycle_stage", "--json"]) == 0
    keys = [g["key"] for g in json.loads(capsys.readouterr().out)["groups"]]
    assert None in keys and "mature" in keys          # the demo has responses without an account
    assert cli.main(["stats", "--workspace", str(demo_file), "--by", "lifecycle_stage"]) == 0
    text = capsys.readouterr().out
    assert "By lifecycle stage:" in text and "  No account " in text and "  Mature " in text
    assert "None" not in text and "  mature " not in text
