"""The settable today: NPS_DESKTOP_TODAY moves the app's day, and a bad value is one clear line."""
import json
import os
import subprocess
import sys
from datetime import date

import pytest

from nps_desktop.core import clock


def test_unset_is_the_system_date(monkeypatch):
    monkeypatch.delenv(clock.ENV, raising=False)
    assert clock.today() == date.today()


def test_set_day_is_today_and_now_keeps_the_time(monkeypatch):
    monkeypatch.setenv(clock.ENV, "2026-03-31")
    assert clock.today() == date(2026, 3, 31)
    assert clock.now().date() == date(2026, 3, 31)


def test_bad_value_names_the_variable(monkeypatch):
    monkeypatch.setenv(clock.ENV, "31/03/2026")
    with pytest.raises(ValueError, match="NPS_DESKTOP_TODAY='31/03/2026' is not a date"):
        clock.today()


def test_cli_takes_the_set_day(tmp_path):
    """`stats --preset last_90_days` ends on the set day and starts 89 days before it."""
    ws = tmp_path / "t.npsdb"
    env = {**os.environ, clock.ENV: "2031-01-15"}
    subprocess.run([sys.executable, "main.py", "demo", "--workspace", str(ws)], check=True, capture_output=True, env=env)
    run = subprocess.run([sys.executable, "main.py", "stats", "--workspace", str(ws), "--preset", "last_90_days",
                          "--json"], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert (doc["from"], doc["to"]) == ("2030-10-18", "2031-01-15")
