"""Writing commands killed with SIGKILL midway leave every entry file whole.

``fmt`` over many entries and ``import-bib`` of a large generated .bib run in a
subprocess and are killed after a random delay, several times. Afterwards each
entry file must be exactly its old bytes or exactly the bytes an uninterrupted
run writes, never a truncated mix, and nothing that the loader would take for an
entry (``*.yaml``, ``*.yml``) may be left behind: the temporary files of
:func:`dltheory_site.fsutil.atomic_write` are named ``.NAME.XXXX.tmp``.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dltheory_site.entryfile import format_text
from dltheory_site.project import entry_files
from tests.helpers import make_project, tree_bytes

pytestmark = pytest.mark.slow

ROUNDS = 5
ENTRIES = 400
TEMP_NAME = re.compile(r"^\.[a-z0-9-]+\.yaml\.[A-Za-z0-9_]+\.tmp$")


def _messy_entry(n: int) -> str:
    """A valid entry in a non-canonical form that fmt rewrites (fields out of order, block lists)."""
    return (
        f"added: 2026-01-{n % 28 + 1:02d}\n"
        "summary: >\n"
        f"  Paper number {n} shows that alpha networks\n"
        "  generalise, with $O(1/n)$ rates.\n"
        "categories:\n"
        "- alpha/one\n"
        "authors:\n"
        "- Ada Lovelace\n"
        f"- Author Number{n}\n"
        "venue: NeurIPS\n"
        f"year: {2000 + n % 20}\n"
        f"title: Paper number {n} on alpha networks\n"
    )


def _run_and_kill(args: list[str], cwd: Path, delay: float) -> int | None:
    """Start the CLI in a subprocess, SIGKILL it after ``delay`` seconds; its exit code or None."""
    env = {**os.environ, "PYTHONWARNINGS": ""}
    proc = subprocess.Popen(
        [sys.executable, "-m", "dltheory_site", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    finished = proc.poll()
    if finished is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    return finished


def _assert_no_stray_entries(folder: Path, expected_names: set[str]) -> None:
    names = {p.name for p in folder.iterdir()}
    strays = names - expected_names
    # Only atomic_write's hidden temporary files may remain; none looks like an entry.
    assert all(TEMP_NAME.match(n) for n in strays), sorted(strays)
    assert {p.name for p in entry_files(folder.parent)} <= expected_names


def test_fmt_killed_midway_leaves_old_or_new_bytes(tmp_path: Path) -> None:
    files = {f"paper{n:04d}.yaml": _messy_entry(n) for n in range(ENTRIES)}
    old = {name: text.encode("utf-8") for name, text in files.items()}
    new = {}
    for name, text in files.items():
        formatted = format_text(text)
        assert formatted is not None, name
        assert formatted != text, name
        new[name] = formatted.encode("utf-8")
    rng = random.Random(8)
    outcomes = []
    for round_ in range(ROUNDS):
        root = make_project(tmp_path / f"round{round_}", files)
        fixture = {k: v for k, v in tree_bytes(root / "entries").items() if k not in files}
        delay = rng.uniform(0.3, 1.0)
        finished = _run_and_kill(["fmt", "--root", str(root)], root, delay)
        after = tree_bytes(root / "entries")
        for name in files:
            assert after[name] in (old[name], new[name]), f"round {round_}: {name} is torn"
        for name, data in fixture.items():
            assert after[name] == data
        _assert_no_stray_entries(root / "entries", set(files) | set(fixture))
        rewritten = sum(after[name] == new[name] for name in files)
        outcomes.append((round(delay, 2), finished, rewritten))
    # Whatever the timing, every round ended with whole files (the loop above); record it.
    print("fmt rounds (delay, exit code or None if killed, files rewritten):", outcomes)


def _bib(count: int) -> str:
    return "".join(
        f"@misc{{key{n},\n"
        f"  title = {{Imported paper number {n} about beta dynamics}},\n"
        f"  author = {{Lovelace, Ada and Number{n}, Author}},\n"
        f"  year = {{{2000 + n % 20}}},\n"
        f"  eprint = {{2001.{10000 + n}}},\n"
        "  archivePrefix = {arXiv}\n"
        "}\n\n"
        for n in range(count)
    )


def test_import_bib_killed_midway_leaves_whole_files(tmp_path: Path) -> None:
    bib = tmp_path / "big.bib"
    bib.write_text(_bib(ENTRIES), encoding="utf-8")
    args = ["import-bib", str(bib), "--category", "beta/three"]
    # An uninterrupted run gives the bytes of every file the import writes.
    full = make_project(tmp_path / "full", keep_fixture_entries=True)
    before = tree_bytes(full / "entries")
    done = subprocess.run(
        [sys.executable, "-m", "dltheory_site", *args, "--root", str(full)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": ""},
    )
    assert done.returncode == 0, done.stderr
    expected = tree_bytes(full / "entries")
    created = set(expected) - set(before)
    assert len(created) == ENTRIES
    rng = random.Random(8)
    for round_ in range(ROUNDS):
        root = make_project(tmp_path / f"round{round_}", keep_fixture_entries=True)
        _run_and_kill([*args, "--root", str(root)], root, rng.uniform(0.3, 1.0))
        after = tree_bytes(root / "entries")
        for name, data in before.items():
            assert after[name] == data, f"round {round_}: {name} changed"
        for name in set(after) & created:
            assert after[name] == expected[name], f"round {round_}: {name} is torn"
        _assert_no_stray_entries(root / "entries", set(expected))
