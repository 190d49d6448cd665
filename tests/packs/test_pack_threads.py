"""Packs and threads: a pack's output is captured without taking the process's streams
from other threads, and a thread a pack leaves running never keeps indcli from exiting
(issue 26, items 4 and 5)."""

from __future__ import annotations

import io
import json
import sys
import threading
from types import ModuleType

from conftest import PACKS, path_pack, run_indcli

from indcli import api, hookimpl
from indcli.packs.loading import PackSource


def chatty_pack(name: str = "indcli-chatty") -> PackSource:
    module = ModuleType(name.replace("-", "_"))

    @hookimpl
    def indcli_commands():
        print("CHATTY PACK OUTPUT")
        sys.stderr.write("CHATTY PACK ERROR\n")
        return []

    module.indcli_commands = indcli_commands
    return PackSource(name, "1", lambda: module)


def test_concurrent_loads_leave_the_hosts_streams_alone(monkeypatch):
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    environ = {"INDCLI_NO_CACHE": "1"}
    warnings: list[list[str]] = []
    start = threading.Barrier(8)

    def load() -> None:
        start.wait()
        catalog = api.load([*PACKS], environ=environ).load_catalog()
        warnings.append([w for p in catalog.packs for w in p.warnings])

    def load_chatty() -> None:
        start.wait()
        app = api.load(environ=environ)
        app.sources = [chatty_pack()]  # an in-process pack that prints while it loads
        catalog = app.load_catalog()
        warnings.append([w for p in catalog.packs for w in p.warnings])

    threads = [threading.Thread(target=load if n % 2 else load_chatty) for n in range(8)]
    for thread in threads:
        thread.start()
    for n in range(200):
        print(f"host line {n}")
    for thread in threads:
        thread.join(60)
    assert sys.stdout is out and sys.stderr is err
    lines = out.getvalue().splitlines()
    assert lines == [f"host line {n}" for n in range(200)]  # none lost, none added
    assert err.getvalue() == ""
    chatty = [w for ws in warnings for w in ws if "printed while loading" in w]
    assert len(chatty) == 4 and all("CHATTY PACK OUTPUT" in w for w in chatty)


def test_a_pack_leaving_a_thread_running_never_keeps_indcli_from_exiting(tmp_path):
    code = """
    import threading

    threading.Thread(target=threading.Event().wait, name="update-check").start()
    """
    folder = path_pack(tmp_path, "indcli-lingering", "", code=code)
    proc = run_indcli(
        "explain", "public-funds", "--format", "json", pythonpath=folder, packs="indcli-lingering"
    )  # a hang here is a TimeoutExpired (the child is killed and reaped)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["topic"] == "public-funds"
    (warning,) = [json.loads(line)["warning"]["message"] for line in proc.stderr.splitlines()]
    assert "left a thread running after loading (update-check)" in warning
