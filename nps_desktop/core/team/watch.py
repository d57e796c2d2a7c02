"""Hearing about other people's changes to a team workspace: PostgreSQL's LISTEN/NOTIFY.

A ``Watcher`` holds a connection of its own that LISTENs on ``team_import.CHANNEL``; ``wait(timeout)``
returns what was announced within ``timeout`` seconds (an import, with its batch, rows and who), or
nothing. A notification is sent when its transaction commits, so what it announces is there to read.
The app's worker thread calls ``wait`` in a loop (never the UI thread).
"""
from __future__ import annotations

import json
from typing import Any

import psycopg

from .connect import TeamError, connect, one_line
from .team_import import CHANNEL


class Watcher:
    def __init__(self, dsn: str, *, insecure: bool = False, password: str | None = None, channel: str = CHANNEL):
        self.conn = connect(dsn, insecure=insecure, autocommit=True, password=password)
        self.conn.execute(f"LISTEN {channel}")  # a constant of ours, not input

    def wait(self, timeout: float) -> list[dict[str, Any]]:
        """The announcements received within ``timeout`` seconds (all that are waiting once one came)."""
        try:
            heard = [self._payload(n) for n in self.conn.notifies(timeout=timeout, stop_after=1)]
            if heard:
                heard += [self._payload(n) for n in self.conn.notifies(timeout=0.001)]
        except psycopg.OperationalError as exc:
            raise TeamError(f"the team database stopped answering: {one_line(exc)}") from None
        return heard

    @staticmethod
    def _payload(n: psycopg.Notify) -> dict[str, Any]:
        try:
            doc = json.loads(n.payload)
        except ValueError:
            doc = {"what": n.payload}
        return doc if isinstance(doc, dict) else {"what": str(doc)}

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Watcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
