"""Getting started: the first-run checklist for a new workspace, each step one click away."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...core import onboarding
from .. import theme
from .base import Page

#: The button of each step: (text, signal argument).
BUTTONS = {"accounts": ("Import accounts…", "accounts"), "responses": ("Import responses…", "responses"),
           "company": ("Open settings", "settings"), "goal": ("Open settings", "settings")}


class GettingStartedPage(Page):
    title = "Getting started"
    #: "accounts" or "responses" (open the import wizard), or "settings", or "dashboard".
    requested = Signal(str)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        outer = QHBoxLayout(self)
        body = QWidget()
        body.setMaximumWidth(900)
        outer.addWidget(body, 1)
        outer.addStretch(0)
        layout = QVBoxLayout(body)
        heading = QLabel("Getting started")
        heading.setObjectName("PageTitle")
        intro = QLabel("Four steps take a new workspace to its first dashboard and board pack. "
                       "You can drop a spreadsheet anywhere on this window to import it.")
        intro.setObjectName("Muted")
        intro.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(intro)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        self.grid.setVerticalSpacing(14)
        layout.addLayout(self.grid)
        self.done_button = QPushButton("Go to the dashboard")
        self.done_button.clicked.connect(lambda: self.requested.emit("dashboard"))
        done_row = QHBoxLayout()
        done_row.addWidget(self.done_button)
        done_row.addStretch(1)
        layout.addLayout(done_row)
        layout.addStretch(1)
        self.steps: list[onboarding.Step] = []

    def refresh(self) -> None:
        self.steps = onboarding.checklist(self.session.ws)
        while self.grid.count():
            self.grid.takeAt(0).widget().deleteLater()
        for row, (i, step) in enumerate(enumerate(self.steps, 1)):
            mark = QLabel("✓" if step.done else str(i))
            mark.setFixedWidth(34)
            mark.setStyleSheet(f"font-size: 18px; font-weight: 600; color: "
                               f"{theme.PROMOTER if step.done else theme.ACCENT};")
            text = QLabel(f"<b>{step.title}</b><br/><span>{step.hint}</span>")
            text.setWordWrap(True)
            label, arg = BUTTONS[step.key]
            button = QPushButton(label)
            button.clicked.connect(lambda checked=False, a=arg: self.requested.emit(a))
            self.grid.addWidget(mark, row, 0)
            self.grid.addWidget(text, row, 1)
            self.grid.addWidget(button, row, 2)
        self.done_button.setEnabled(any(s.key == "responses" and s.done for s in self.steps))
