"""Timing commands: the median of separate runs, and the peak memory of a process tree.

Each run is its own process, timed from start to exit. Its memory is measured twice:

- ``maxrss_mb``: ``ru_maxrss`` of the main process, from ``os.wait4`` (the kernel's
  figure, but blind to worker processes it may start);
- ``peak_mb``: the peak of the summed resident memory (``VmRSS``) of the process and all
  its descendants, sampled every 20 ms from ``/proc`` (and never below ``maxrss_mb``,
  which the tree's peak includes). Pages shared between a parent and a forked worker
  count once per process, so the sum can overstate; a worker that lives less than one
  sampling period may be missed.
"""

from __future__ import annotations

import contextlib
import os
import re
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_PATH = [str(REPO / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
#: The environment of every measured command. The plugin is this checkout's ``src/``,
#: whichever copy the virtual environment has installed in editable mode.
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": os.pathsep.join(_PATH)}

#: What ``mkdocs build`` logs at the end of each build, under ``mkdocs serve`` too
#: (``mkdocs/commands/build.py``). Its clock starts after the config is loaded.
BUILT_IN = re.compile(r"Documentation built in (\d+(?:\.\d+)?) seconds")


def built_in_seconds(log: str) -> list[float]:
    """Every "Documentation built in X seconds" of a MkDocs log, in order."""
    return [float(m.group(1)) for m in BUILT_IN.finditer(log)]


def median(values: Iterable[float]) -> float:
    """The median (of an even count, the mean of the middle two)."""
    return float(statistics.median(list(values)))


# --------------------------------------------------------------------------- /proc


def _children_files(pid: int) -> list[Path]:
    return list(Path(f"/proc/{pid}/task").glob("*/children"))


#: Whether this kernel lists children in /proc/<pid>/task/<tid>/children
#: (CONFIG_PROC_CHILDREN); without it, descendants are found from every process's parent.
HAS_CHILDREN_FILES = bool(_children_files(os.getpid()))


def descendants(pid: int) -> set[int]:
    """The live descendants of ``pid`` (not ``pid`` itself)."""
    by_parent = None if HAS_CHILDREN_FILES else _children_by_parent()
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        children = _children_from_files(parent) if by_parent is None else by_parent.get(parent, [])
        for child in children:
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _children_from_files(pid: int) -> list[int]:
    out: list[int] = []
    for path in _children_files(pid):
        with contextlib.suppress(OSError):
            out += [int(c) for c in path.read_text().split()]
    return out


def _children_by_parent() -> dict[int, list[int]]:
    """Every process's children, from each one's parent in /proc/<pid>/stat."""
    out: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        parent = int(stat[stat.rindex(b")") + 2 :].split()[1])
        out.setdefault(parent, []).append(int(name))
    return out


def rss_kb(pid: int) -> int:
    """``VmRSS`` of a process in KiB; 0 once it has exited (a zombie has none)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory:
    """Samples the summed ``VmRSS`` of a process and its descendants, in a thread.

    The tree is looked up again every ``rescan`` samples (every sample when the kernel
    lists children directly; without that, a look-up reads all of /proc).
    """

    def __init__(self, pid: int, interval: float = 0.02, rescan: int | None = None) -> None:
        self.pid = pid
        self.interval = interval
        self.rescan = rescan or (1 if HAS_CHILDREN_FILES else 5)
        self.peak_kb = 0
        self.most_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        tree = {self.pid}
        tick = 0
        while True:
            if tick % self.rescan == 0:
                tree = {self.pid} | descendants(self.pid)
            sizes = [rss_kb(p) for p in tree]
            self.peak_kb = max(self.peak_kb, sum(sizes))
            self.most_processes = max(self.most_processes, sum(1 for s in sizes if s))
            tick += 1
            if self._stop.wait(self.interval):
                return


# --------------------------------------------------------------------------- runs


@dataclass
class Sample:
    """One run of a command."""

    seconds: float
    peak_mb: float
    maxrss_mb: float
    processes: int


@dataclass
class Run:
    """A command run several times: the median time, and the highest memory of any run."""

    seconds: float
    #: Peak of the summed resident memory of the process tree (sampled).
    peak_mb: float
    #: ``ru_maxrss`` of the main process.
    maxrss_mb: float
    runs_s: list[float] = field(default_factory=list)
    #: The most processes of the tree seen alive at once.
    processes: int = 1

    @classmethod
    def of(cls, samples: Sequence[Sample]) -> Run:
        return cls(
            seconds=round(median(s.seconds for s in samples), 2),
            peak_mb=max(s.peak_mb for s in samples),
            maxrss_mb=max(s.maxrss_mb for s in samples),
            runs_s=[s.seconds for s in samples],
            processes=max(s.processes for s in samples),
        )


class CommandFailed(SystemExit):
    """A measured command exited with an error (its output's tail is the message)."""


def run_once(cmd: Sequence[str], cwd: Path, tail: int = 3000) -> Sample:
    """Run a command to its end: its wall time and memory. Its output is discarded
    (kept in a temporary file, whose tail is shown if the command fails)."""
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd), cwd=cwd, env=ENV, stdout=output, stderr=subprocess.STDOUT
        )
        with TreeMemory(proc.pid) as memory:
            _pid, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            output.seek(0)
            text = output.read().decode("utf-8", "replace")
            raise CommandFailed(f"{' '.join(cmd)} failed ({proc.returncode}):\n{text[-tail:]}")
    return Sample(
        seconds=round(seconds, 3),
        peak_mb=round(max(memory.peak_kb, usage.ru_maxrss) / 1024, 1),
        maxrss_mb=round(usage.ru_maxrss / 1024, 1),
        processes=max(memory.most_processes, 1),
    )


def measure(
    cmd: Sequence[str], cwd: Path, runs: int = 3, before: Callable[[], None] | None = None
) -> Run:
    """The median of ``runs`` separate runs; ``before`` (untimed) is called before each."""
    samples = []
    for _ in range(runs):
        if before is not None:
            before()
        samples.append(run_once(cmd, cwd))
    return Run.of(samples)
