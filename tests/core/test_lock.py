"""One writer: a second process opens read-only with the reason; locks die with their process;
read-only media opens read-only."""
import os
import signal
import sqlite3
import subprocess
import sys

import pytest

from nps_desktop.core import lock
from nps_desktop.core.workspace import WorkspaceError, open_workspace

from .safety_support import dump, held_by_another_process
from .safety_support import seeded_path as path  # noqa: F401 (a fixture)


def test_lock_file_exists_while_open_and_goes_on_close(path):
    ws = open_workspace(path)
    assert lock.lock_path(path).exists()
    assert lock.holder(path)["pid"] == os.getpid()
    ws.close()
    assert not lock.lock_path(path).exists()


def test_one_process_shares_its_lock(path):
    """The UI's connection and its background jobs are one writer: both can write."""
    with open_workspace(path) as a, open_workspace(path) as b:
        assert not a.read_only and not b.read_only
        b.set_setting("x", 1)
        assert a.get_setting("x") == 1
        b.close()
        assert lock.is_held_here(path)  # a still holds it
    assert not lock.is_held_here(path)


def test_second_process_opens_read_only_with_the_reason(path):
    before = dump(path)
    with held_by_another_process(path) as holder:
        ws = open_workspace(path)
        try:
            assert ws.read_only
            assert f"process {holder.pid}" in ws.read_only_reason
            assert "open for changes in another window or process" in ws.read_only_reason
            assert ws.counts()["contacts"] == 2  # reading works
            with pytest.raises(WorkspaceError, match=f"read-only: .*process {holder.pid}.*nothing was changed"):
                ws.set_setting("x", 1)
        finally:
            ws.close()
    assert dump(path) == before


def test_a_killed_holder_leaves_no_stale_lock(path):
    with held_by_another_process(path) as holder:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
        assert lock.lock_path(path).exists()  # the file stays, the OS lock died with the process
        with open_workspace(path) as ws:
            assert not ws.read_only
            ws.set_setting("after", True)


def test_a_leftover_lock_file_with_a_dead_pid_is_not_a_lock(path):
    lock.lock_path(path).write_text('{"pid": 999999, "host": "elsewhere", "since": "2020-01-01 00:00"}')
    with open_workspace(path) as ws:
        assert not ws.read_only
    assert not lock.lock_path(path).exists()


def test_a_new_workspace_cannot_be_created_while_another_process_holds_its_name(tmp_path):
    path = tmp_path / "new.npsdb"
    proc = subprocess.Popen([sys.executable, "-c",
                             "import sys\nfrom nps_desktop.core import lock\n"
                             "l = lock.acquire(sys.argv[1])\nprint('ready', flush=True)\nsys.stdin.read()\n",
                             str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        with pytest.raises(WorkspaceError, match="Cannot create .*open for changes"):
            open_workspace(path)
        assert not path.exists()
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)


def test_two_processes_writing_at_once_never_corrupt(path):
    """Both try to write; one is the writer, the other is refused clearly; the file stays sound."""
    code = ("import sys\nfrom nps_desktop.core.workspace import open_workspace, WorkspaceError\n"
            "ws = open_workspace(sys.argv[1])\nprint('open', ws.read_only, flush=True)\nsys.stdin.readline()\n"
            "try:\n"
            "    with ws.transaction() as c:\n"
            "        c.executemany('INSERT INTO accounts(name) VALUES (?)', [(f'A{i}',) for i in range(500)])\n"
            "    print('wrote', flush=True)\n"
            "except WorkspaceError as e:\n"
            "    print('refused', e, flush=True)\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True) for _ in range(2)]
    opened = [p.stdout.readline().split() for p in procs]
    assert sorted(o[1] for o in opened) == ["False", "True"]  # exactly one writer
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    results = [p.stdout.read() for p in procs]
    for p in procs:
        p.wait(timeout=30)
    assert sorted(r.split()[0] for r in results) == ["refused", "wrote"]
    assert any("open for changes in another window or process" in r for r in results)
    with open_workspace(path) as ws:
        assert ws.scalar("SELECT count(*) FROM accounts") == 1 + 500
        assert ws.problems() == []


def _chattr(flag: str, *paths) -> bool:
    return subprocess.run(["chattr", flag, *map(str, paths)], capture_output=True).returncode == 0


def test_read_only_media_opens_read_only(path, tmp_path):
    """An immutable file in an immutable folder behaves like a read-only disk, even for root."""
    folder = path.parent
    if not _chattr("+i", path):
        pytest.skip("chattr +i is not available here")
    _chattr("+i", folder)
    try:
        listing = sorted(os.listdir(folder))
        with open_workspace(path) as ws:
            assert ws.read_only
            assert "read-only media" in ws.read_only_reason
            assert ws.counts()["responses"] == 3
            with pytest.raises(WorkspaceError, match="read-only media"):
                ws.set_setting("x", 1)
        assert sorted(os.listdir(folder)) == listing  # no lock, -wal or -shm was made
        with pytest.raises(WorkspaceError, match="Cannot create .*read-only media"):
            open_workspace(folder / "new.npsdb")
    finally:
        _chattr("-i", folder)
        _chattr("-i", path)


def test_read_only_workspace_that_needs_an_upgrade_is_refused_clearly(path):
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 0")  # pretend it predates a migration (app id stays ours)
    conn.close()
    with pytest.raises(WorkspaceError, match="must be upgraded"):
        open_workspace(path, read_only=True)


def test_explicit_read_only_has_a_reason(path):
    with open_workspace(path, read_only=True) as ws:
        assert ws.read_only and ws.read_only_reason == "it was opened read-only"
        assert not lock.lock_path(path).exists()


def test_two_cli_imports_at_once_never_corrupt_anything(tmp_path):
    """Two `nps-desktop import` processes started together on one workspace: each either imports its
    whole file or is refused in one clear line; the workspace ends sound, holding exactly the batches
    that succeeded."""
    import json

    from .test_crash_safety import _responses
    rng = __import__("random").Random(5)
    path = tmp_path / "w.npsdb"
    open_workspace(path).close()
    files = []
    for k in range(2):
        f = _responses(tmp_path / f"r{k}.csv", 3000, rng)
        f.write_text(f.read_text().replace("\nR", f"\nF{k}-"))  # distinct response ids
        files.append(f)
    main = [sys.executable, str(__import__("pathlib").Path(__file__).parents[2] / "main.py")]
    procs = [subprocess.Popen(main + ["import", str(f), "--workspace", str(path), "--json"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in files]
    outcomes = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    imported = 0
    for code, out, err in outcomes:
        if code == 0:
            imported += json.loads(out)["imported"]
        else:
            assert out == "" and err.count("\n") == 1, err
            assert "open for changes in another window or process" in err and "nothing was changed" in err
    assert any(code == 0 for code, _, _ in outcomes)
    with open_workspace(path) as ws:
        assert ws.problems() == []
        assert ws.scalar("SELECT count(*) FROM responses") == imported
        assert ws.scalar("SELECT count(*) FROM import_batches") == sum(code == 0 for code, _, _ in outcomes)


def test_a_workspace_with_two_names_is_refused_under_either(path, tmp_path):
    """Two imports through two hard links would both get a lock (locks and journals go by name) and
    damage the file: a file with more than one name is refused, unchanged, saying why."""
    other = tmp_path / "elsewhere.npsdb"
    os.link(path, other)
    before = dump(path)
    for name in (path, other):
        with pytest.raises(WorkspaceError, match=r"has 2 names on disk \(hard links\).*nothing was changed"):
            open_workspace(name)
        assert not lock.lock_path(name).exists()
    with open_workspace(other, read_only=True) as ws:  # reading it cannot hurt it
        assert ws.counts()["contacts"] == 2
    assert dump(path) == before
    os.unlink(other)
    with open_workspace(path) as ws:
        assert not ws.read_only


def test_the_lock_goes_by_the_file_not_its_name(path, tmp_path):
    """Within one process, the same file reached through a symlinked folder is the same writer."""
    alias = tmp_path / "alias"
    alias.symlink_to(path.parent, target_is_directory=True)
    with open_workspace(path), open_workspace(alias / path.name) as b:
        assert not b.read_only
        assert lock.is_held_here(alias / path.name)
    assert not lock.is_held_here(path)


def test_reading_commands_take_no_lock_and_a_writer_waits_then_refuses(path, tmp_path, capsys, monkeypatch):
    import threading
    from nps_desktop import cli
    monkeypatch.setattr(cli, "LOCK_WAIT", 0.5)
    with open_workspace(path) as ws:
        ws.set_setting("reader", 1)
    with held_by_another_process(path):
        for command in (["stats"], ["health"], ["signals"], ["revenue"]):
            assert cli.main(command + ["--workspace", str(path), "--json"]) == 0, command
        capsys.readouterr()
        assert cli.main(["erase-contact", "bob@acme.com", "--yes", "--workspace", str(path)]) == 1
        err = capsys.readouterr().err.splitlines()
        assert err[0] == (f"nps-desktop erase-contact: {path.name} is open for changes in another window or "
                          f"process (process {lock.holder(path)['pid']}, since {lock.holder(path)['since']}); "
                          "waiting up to 0.5 s…")
        assert len(err) == 2 and err[1].startswith("nps-desktop erase-contact: ")
        assert "is read-only" in err[1] and "nothing was changed" in err[1]
    # a reader holding the workspace does not keep a writer out
    with held_by_another_process(path) as holder:
        monkeypatch.setattr(cli, "LOCK_WAIT", 20)
        threading.Timer(0.5, holder.stdin.close).start()  # the other process lets go while we wait
        assert cli.main(["erase-contact", "bob@acme.com", "--yes", "--workspace", str(path)]) == 0
        assert "waiting up to 20 s" in capsys.readouterr().err


def test_a_reading_process_never_keeps_an_import_out(path, tmp_path):
    from nps_desktop.core.importing import import_file
    from tests.core import import_files as F
    with open_workspace(path, read_only=True) as reader:
        assert not lock.lock_path(path).exists()
        with open_workspace(path) as writer:
            assert not writer.read_only
            import_file(writer, F.typeform(tmp_path))
        assert reader.scalar("SELECT count(*) FROM import_batches") == 1
