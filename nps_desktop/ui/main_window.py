"""The main window: sidebar navigation, a stack of lazily built pages, menus and a status bar."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QMainWindow, QMessageBox, QProgressDialog, QPushButton,
                               QStackedWidget, QTextBrowser, QVBoxLayout, QWidget)

from .. import __version__
from ..core import demo, onboarding, paths
from ..core.workspace import WorkspaceError
from .pages import PAGES, page_class, page_keys
from .pages.base import Page
from .pages.getting_started import GettingStartedPage
from . import checking, import_wizard, safety, team_workspace
from .prefs import Prefs
from .session import Session
from .widgets.fit import fit_combos
from .workers import run_task

APP_TITLE = "NPS Desktop"
FILE_FILTER = "NPS Desktop workspaces (*.npsdb);;All files (*)"


class WelcomePage(QWidget):
    """Shown when no workspace is open: open the demo, create a new workspace, or open one."""

    def __init__(self, window: "MainWindow"):
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel("<h1>Welcome to NPS Desktop</h1>"
                       "<p>Run your whole Net Promoter Score program from this laptop: imports, NPS by "
                       "segment and over time, the closed loop, the survey calendar, revenue, and the "
                       "quarterly board pack. Your data stays in one file on this computer.</p>")
        title.setWordWrap(True)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.demo_button = QPushButton("Open the demo")
        self.new_button = QPushButton("Create a new workspace…")
        self.open_button = QPushButton("Open a workspace…")
        self.demo_button.setDefault(True)
        for b in (self.demo_button, self.new_button, self.open_button):
            b.setMinimumHeight(36)
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(2)
        self.demo_button.clicked.connect(window.open_demo)
        self.new_button.clicked.connect(window.new_workspace)
        self.open_button.clicked.connect(window.open_dialog)


class MainWindow(QMainWindow):
    def __init__(self, session: Session | None = None, prefs: Prefs | None = None):
        super().__init__()
        self.session = session or Session()
        self.prefs = prefs or Prefs()
        self.setWindowTitle(APP_TITLE)
        self.resize(1280, 820)
        if geometry := self.prefs.geometry():
            self.restoreGeometry(geometry)

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("Sidebar")
        self.sidebar.setFixedWidth(180)
        self.stack = QStackedWidget()
        self.welcome = WelcomePage(self)
        self.stack.addWidget(self.welcome)
        self.pages: dict[str, Page] = {}
        self.getting_started = GettingStartedPage(self.session)
        self.getting_started.requested.connect(self._on_getting_started)
        self.stack.addWidget(self.getting_started)
        for i, (key, title, _module, _cls, summary) in enumerate(PAGES):
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(f"{summary} ({page_keys(i)})" if page_keys(i) else summary)
            self.sidebar.addItem(item)
        self.sidebar.currentRowChanged.connect(self._on_nav)
        # a click makes the row current before it selects it: the selection is the choice of a page
        self.sidebar.itemSelectionChanged.connect(lambda: self._on_nav(self.sidebar.currentRow()))

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.sidebar)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.status_ws = QLabel()
        self.status_counts = QLabel()
        self.statusBar().addWidget(self.status_ws, 1)
        self.statusBar().addPermanentWidget(self.status_counts)
        self._build_menus()
        safety.install(self)  # File ▸ Back up now / Restore backup…, the read-only banner
        self.importer = import_wizard.install(self)  # File ▸ Import a spreadsheet…, and dropped files
        checking.install(self)  # Help ▸ Check workspace, and the check in the background after opening
        self.team = team_workspace.install(self)  # File ▸ Connect to team workspace…
        self.session.workspace_opened.connect(self._on_workspace)
        self.session.changed.connect(self._update_status)
        self.session.navigate.connect(self._navigate)   # a page asks for another page
        self.session.import_requested.connect(lambda: self.importer.open())
        self._show_welcome()

    # -- menus -------------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&New workspace…", self.new_workspace, QKeySequence.StandardKey.New)
        self._action(file_menu, "&Open…", self.open_dialog, QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._action(file_menu, "Open the &demo", self.open_demo)
        file_menu.addSeparator()
        self.file_menu = file_menu
        self._quit_separator = file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.go_menu = self.menuBar().addMenu("&Go")
        for i, (key, title, *_rest) in enumerate(PAGES):
            self._action(self.go_menu, title, lambda checked=False, k=key: self.show_page(k),
                         QKeySequence(page_keys(i)) if page_keys(i) else None)
        self.go_menu.addSeparator()
        self._action(self.go_menu, "Re&fresh", self.refresh_page, QKeySequence.StandardKey.Refresh)
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&Getting started", self.show_getting_started)
        self._action(help_menu, "&User guide", self.show_user_guide)
        self._action(help_menu, "&Keyboard shortcuts", self.show_shortcuts, QKeySequence("F1"))
        self._action(help_menu, "&About NPS Desktop", self.about)
        self.help_menu = help_menu

    def _action(self, menu, text, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.prefs.recent()
        for path in recent:
            self._action(self.recent_menu, path, lambda checked=False, p=path: self.open_path(p))
        if not recent:
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    # -- navigation --------------------------------------------------------------------------------
    def _show_welcome(self) -> None:
        self.sidebar.setEnabled(False)
        self.stack.setCurrentWidget(self.welcome)

    def page(self, key: str) -> Page:
        """The page for ``key``, built on first use."""
        if key not in self.pages:
            page = page_class(key)(self.session)
            fit_combos(page)   # no combo widens the window (a laptop screen, 1280 px)
            self.pages[key] = page
            self.stack.addWidget(page)
        return self.pages[key]

    def _navigate(self, key: str, then: object) -> None:
        """``Session.navigate``: ``then(page)``, then show the page."""
        if self.session.ws is None:
            return
        if callable(then):
            then(self.page(key))
        self.show_page(key)

    def show_page(self, key: str) -> None:
        if self.session.ws is None:
            return
        row = next(i for i, p in enumerate(PAGES) if p[0] == key)
        self.sidebar.setCurrentRow(row)  # selects the row (it may be current, unselected, after a focus)
        self._on_nav(row)

    def _on_nav(self, row: int) -> None:
        # a sidebar given focus makes its first row current without selecting it: not a choice of page
        if row < 0 or self.session.ws is None or not self.sidebar.item(row).isSelected():
            return
        self.stack.setCurrentWidget(self.page(PAGES[row][0]))

    # -- workspaces --------------------------------------------------------------------------------
    def open_path(self, path: str | Path) -> bool:
        try:
            self.session.open_path(path)
        except WorkspaceError as exc:
            if exc.damaged and exc.backup:  # offer the latest good backup, then open the restored file
                return safety.offer_restore(self, path, exc) and self.open_path(path)
            QMessageBox.warning(self, APP_TITLE, str(exc))
            return False
        self.prefs.add_recent(path)
        return True

    def _on_workspace(self) -> None:
        self.setWindowTitle(f"{self.session.path.name} — {APP_TITLE}")
        self.sidebar.setEnabled(True)
        self._update_status()
        if onboarding.is_new(self.session.ws):
            self.show_getting_started()
        else:
            self.show_page("dashboard")

    def show_getting_started(self) -> None:
        if self.session.ws is not None:
            self.sidebar.clearSelection()
            self.stack.setCurrentWidget(self.getting_started)

    def _on_getting_started(self, what: str) -> None:
        """A step's button: the import wizard for that kind of file (after choosing it), else the page named."""
        if what in ("accounts", "responses"):
            self.show_page("imports")
            self.importer.open(kind=what)
        else:
            self.show_page(what)

    def _update_status(self) -> None:
        ws = self.session.ws
        if ws is None:
            return
        self.status_ws.setText(f"Workspace: {ws.path}")
        c = ws.counts()
        self.status_counts.setText(f"{c['accounts']:,} accounts · {c['contacts']:,} contacts · "
                                   f"{c['responses']:,} responses · {c['actions']:,} actions")

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open workspace", str(paths.data_dir()), FILE_FILTER)
        if path:
            self.open_path(path)

    def new_workspace(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New workspace", str(paths.data_dir() / "workspace.npsdb"),
                                              FILE_FILTER)
        if path:
            if not path.endswith(".npsdb"):
                path += ".npsdb"
            if Path(path).exists():
                QMessageBox.warning(self, APP_TITLE, f"{path} already exists; open it with File ▸ Open.")
                return
            self.open_path(path)

    def open_demo(self) -> None:
        """Open the demo workspace, building it first (in the background) if there is none yet."""
        target = paths.demo_path()
        if target.exists():
            self.open_path(target)
            return
        dialog = QProgressDialog("Building the demo workspace…", "Cancel", 0, 100, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        task = run_task(lambda progress, cancelled: demo.build_demo(target, progress=progress,
                                                                   cancelled=cancelled),
                        on_progress=lambda d, t: dialog.setValue(int(100 * d / max(t, 1))),
                        on_done=lambda p: (dialog.reset(), self.open_path(p)),
                        on_error=lambda msg, details: (dialog.reset(), QMessageBox.warning(
                            self, APP_TITLE, f"The demo could not be built: {msg}")),
                        write=True)
        dialog.canceled.connect(task.cancel)

    def refresh_page(self) -> None:
        page = self.stack.currentWidget()
        if isinstance(page, Page):
            page.stale = True
            page.refresh_if_stale()

    def shortcuts(self) -> list[tuple[str, str, str]]:
        """(menu, command, keys) of every menu command that has a shortcut."""
        out = []
        for menu_action in self.menuBar().actions():
            menu = menu_action.menu()
            for action in menu.actions() if menu else []:
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                if keys:
                    out.append((menu_action.text().replace("&", ""), action.text().replace("&", ""), keys))
        return out

    @staticmethod
    def page_shortcuts() -> list[tuple[str, str, str]]:
        """(page, command, keys) of the keys a page has of its own while it shows."""
        return [(title, text, QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText))
                for key, title, *_ in PAGES for text, keys, _slot in page_class(key).SHORTCUTS]

    def show_shortcuts(self) -> None:
        rows = "".join(f"<tr><td>{where}</td><td>{text}</td><td><b>{keys}</b></td></tr>"
                       for where, text, keys in self.shortcuts() + self.page_shortcuts())
        QMessageBox.information(self, "Keyboard shortcuts",
                                "<table cellspacing='6'><tr><th align='left'>Menu or page</th><th align='left'>"
                                f"Command</th><th align='left'>Keys</th></tr>{rows}</table>"
                                "<p>In tables: arrows move, Enter opens, Ctrl+C copies.</p>")

    def show_user_guide(self) -> None:
        """The bundled user guide (docs/USER_GUIDE.md), in a window of its own."""
        guide = user_guide_path()
        dialog = QDialog(self)
        dialog.setWindowTitle("NPS Desktop — user guide")
        dialog.resize(860, 680)
        layout = QVBoxLayout(dialog)
        browser = QTextBrowser()
        browser.setObjectName("UserGuide")
        browser.setOpenExternalLinks(True)
        if guide is not None:
            browser.setSearchPaths([str(guide.parent)])   # its screenshots
            browser.setMarkdown(guide.read_text(encoding="utf-8"))
        else:
            browser.setMarkdown("The user guide is not installed with this copy of NPS Desktop.")
        layout.addWidget(browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.show()
        self.guide_dialog = dialog

    def about(self) -> None:
        QMessageBox.about(self, f"About {APP_TITLE}",
                          f"<h3>{APP_TITLE} {__version__}</h3><p>Run a Net Promoter Score program "
                          "offline: accounts, responses, the closed loop, revenue and the board pack, "
                          "in one file on your computer.</p>")

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        self.prefs.set_geometry(self.saveGeometry())
        self.prefs.sync()
        self.team.stop()  # the team workspace's listening thread, if any
        self.session.close()
        super().closeEvent(event)


def user_guide_path() -> Path | None:
    """USER_GUIDE.md: in the resources (a bundle) or beside the package (a checkout or an editable install)."""
    from ..core.resources import resources_dir
    candidates = [Path(__file__).resolve().parents[2] / "docs" / "USER_GUIDE.md"]
    try:
        candidates.insert(0, resources_dir() / "USER_GUIDE.md")
    except FileNotFoundError:
        pass
    return next((p for p in candidates if p.is_file()), None)


def start_on(window: MainWindow, workspace: str | None, demo: bool = False) -> None:
    """Open ``workspace`` (or the demo), else the most recent one; with neither, stay on the welcome page."""
    if demo:
        QTimer.singleShot(0, window.open_demo)
        return
    target = workspace or next(iter(window.prefs.recent()), None)
    if target:
        QTimer.singleShot(0, lambda: window.open_path(target))
