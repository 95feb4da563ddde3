"""The build benchmark: its helpers, and a run end to end at a small size.

No time is asserted: only what the benchmark measures and how it reports it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from benchmarks.measure import (
    CommandFailed,
    Run,
    Sample,
    built_in_seconds,
    descendants,
    median,
    run_once,
)

from tests.chromium import CHROMIUM
from tests.helpers import REPO


def _bench_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_build", REPO / "benchmarks" / "bench_build.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_build"] = module
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- helpers


def test_median_of_odd_and_even_counts() -> None:
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0, 3.0, 2.0]) == 2.5
    assert median([7.5]) == 7.5


def test_run_keeps_the_median_time_and_the_highest_memory() -> None:
    run = Run.of(
        [
            Sample(seconds=9.0, peak_mb=100.0, maxrss_mb=90.0, processes=1),
            Sample(seconds=2.0, peak_mb=300.0, maxrss_mb=80.0, processes=3),
            Sample(seconds=3.0, peak_mb=200.0, maxrss_mb=95.0, processes=1),
        ]
    )
    assert run.seconds == 3.0
    assert run.peak_mb == 300.0
    assert run.maxrss_mb == 95.0
    assert run.runs_s == [9.0, 2.0, 3.0]
    assert run.processes == 3


def test_mkdocs_build_times_are_read_from_its_log() -> None:
    log = (
        "INFO    -  Building documentation...\n"
        "WARNING -  A 'dirty' build is being performed, this will likely lead to ...\n"
        "INFO    -  Documentation built in 7.31 seconds\n"
        "INFO    -  [08:16:30] Serving on http://127.0.0.1:8000/\n"
        "INFO    -  [08:16:32] Detected file changes\n"
        "INFO    -  Building documentation...\n"
        "INFO    -  Documentation built in 0.69 seconds\n"
        "INFO    -  Documentation built in 12 seconds\n"
        "INFO    -  Documentation built in seconds\n"
    )
    assert built_in_seconds(log) == [7.31, 0.69, 12.0]
    assert built_in_seconds("") == []


# --------------------------------------------------------------------------- memory

#: Holds 64 MiB, and starts a child that holds another 64 MiB: the two at once.
TWO_PROCESSES = """
import subprocess, sys
held = b"x" * (64 << 20)
child = "import time; held = b'x' * (64 << 20); time.sleep(1.5)"
subprocess.run([sys.executable, "-c", child], check=True)
"""


def test_peak_memory_counts_the_whole_process_tree(tmp_path: Path) -> None:
    sample = run_once([sys.executable, "-c", TWO_PROCESSES], tmp_path)
    # Both processes hold 64 MiB at once: the tree's peak has both.
    assert sample.peak_mb >= 128
    assert sample.processes >= 2
    # The main process's ru_maxrss has only what one process held at a time.
    assert 64 <= sample.maxrss_mb < 128
    assert sample.seconds > 0


def test_descendants_of_a_process_are_found() -> None:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert sleeper.pid in descendants(os.getpid())
        assert descendants(sleeper.pid) == set()
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_failing_command_shows_the_tail_of_its_output(tmp_path: Path) -> None:
    script = "import sys; print('x' * 5000); print('the reason', file=sys.stderr); sys.exit(3)"
    with pytest.raises(CommandFailed) as failed:
        run_once([sys.executable, "-c", script], tmp_path, tail=100)
    message = str(failed.value)
    assert "failed (3)" in message
    assert message.endswith("the reason\n")
    assert "x" * 200 not in message


# --------------------------------------------------------------------------- end to end


@pytest.mark.slow
def test_benchmark_runs_at_small_size(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bench = _bench_module()
    out = tmp_path / "results.json"
    assert bench.main(["--sizes", "50", "--serve", "50", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("| N | parse YAML (s) | validate (s) |")
    assert "| 50 |" in printed
    data = json.loads(out.read_text(encoding="utf-8"))
    (result,) = data["results"]
    assert result["n"] == 50
    for key in (
        "parse_s",
        "validate_s",
        "site_mb",
        "search_index_kb_per_entry",
        "paper_html_kb_max",
        "reload_s",
    ):
        assert result[key] > 0, key
    # The explorer page's weight always; its times when Chromium is there.
    assert result["explorer"]["kb"] > result["explorer"]["gzip_kb"] > 0
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        for key in ("ready_ms", "filter_ms", "show_all_ms"):
            assert result["explorer"][key] > 0, key
    assert "| 50 | " in printed.split("explorer page KB", 1)[1]
    assert result["build"]["seconds"] > 0
    assert result["baseline"]["seconds"] > 0
    assert set(result["ratios"]) == {"build_vs_plain", "validate_vs_parse", "reload_vs_build"}


@pytest.mark.slow
def test_worst_cases_run_at_small_size(tmp_path: Path) -> None:
    # Every worst case is either built or refused by validation, as the table says.
    bench = _bench_module()
    cases = bench.worst_cases(tmp_path, scale=0.02, repeat=1)
    by_name = {c.name: c for c in cases}
    assert set(by_name) == set(bench.WORST_PROSE)
    assert by_name["normal"].valid
    assert not by_name["dangling links"].valid
    assert not by_name["math past the limits"].valid
    assert all(c.build.seconds > 0 for c in cases if c.valid)
    table = bench.worst_table(cases, {})
    assert table.startswith("| worst case | entry KB | validate (s) | build (s) |")
