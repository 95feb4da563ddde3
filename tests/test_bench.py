"""The build benchmark: its helpers, and a run end to end at a small size.

No time is asserted: only what the benchmark measures and how it reports it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

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
from benchmarks.report import Reload, Result, growth, ratio, table, targets

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


def test_ratio_is_blank_without_both_figures() -> None:
    assert ratio(1.0, 4.0) == 0.25
    assert ratio(None, 4.0) is None
    assert ratio(1.0, None) is None
    assert ratio(1.0, 0.0) is None


# --------------------------------------------------------------------------- memory

#: Holds 64 MiB, and starts a child that holds another 64 MiB: the two at once.
TWO_PROCESSES = """
import subprocess, sys
held = b"x" * (64 << 20)
child = "import time; held = b'x' * (64 << 20); time.sleep(1.5)"
subprocess.run([sys.executable, "-c", child], check=True)
"""


def test_peak_memory_counts_the_whole_process_tree(tmp_path: Path) -> None:
    # Measured from a small process, as `make bench` does: a command started from a
    # large one (this test run, after in-process builds) begins its ru_maxrss with the
    # starter's size, since Linux keeps the high-water mark across exec.
    measure = (
        "import json, sys; from pathlib import Path; from benchmarks.measure import run_once; "
        f"s = run_once([sys.executable, '-c', {TWO_PROCESSES!r}], Path({str(tmp_path)!r})); "
        "print(json.dumps([s.peak_mb, s.processes, s.maxrss_mb, s.seconds]))"
    )
    found = subprocess.run(
        [sys.executable, "-c", measure], cwd=REPO, capture_output=True, text=True, check=True
    )
    peak_mb, processes, maxrss_mb, seconds = json.loads(found.stdout)
    sample = Sample(seconds=seconds, peak_mb=peak_mb, maxrss_mb=maxrss_mb, processes=processes)
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


# --------------------------------------------------------------------------- builds


def test_builds_are_interleaved_cold_then_warm_and_never_quiet_when_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = _bench_module()
    (tmp_path / "generated").mkdir()
    seen: list[tuple[list[str], bool, bool]] = []

    def fake_run_once(cmd: list[str], cwd: Path) -> Sample:
        # What each build finds: the plugin's cache, Zensical's cache; then it makes them.
        plugin_cache = cwd / ".cache"
        zensical_cache = cwd / "generated" / ".cache"
        seen.append((cmd, plugin_cache.exists(), zensical_cache.exists()))
        if "zensical" in cmd[0]:
            zensical_cache.mkdir(exist_ok=True)
            (cwd / "generated" / "site").mkdir(exist_ok=True)
        elif "generated/mkdocs.yml" not in cmd:
            plugin_cache.mkdir(exist_ok=True)
        return Sample(seconds=len(seen), peak_mb=10.0, maxrss_mb=10.0, processes=1)

    monkeypatch.setattr(bench, "run_once", fake_run_once)
    builds = bench._builds(tmp_path, 3, "/opt/zensical/bin/zensical")
    assert set(builds) == {"plugin_cold", "plugin_warm", "plain", "zensical_cold", "zensical_warm"}
    assert len(seen) == 15
    for cmd, _plugin_cache, _zensical_cache in seen:
        assert not ("--strict" in cmd and ("-q" in cmd or "--quiet" in cmd)), cmd
        assert "--strict" in cmd
    rounds = [seen[i : i + 5] for i in range(0, 15, 5)]
    for plugin_cold, plugin_warm, plain, zensical_cold, zensical_warm in rounds:
        assert plugin_cold[0][1:4] == ["-m", "mkdocs", "build"]
        assert plugin_cold[1] is False  # cold: the cache was deleted
        assert plugin_warm[1] is True  # warm: the cache of the cold run is kept
        assert "generated/mkdocs.yml" in plain[0]
        assert zensical_cold[0][:2] == ["/opt/zensical/bin/zensical", "build"]
        assert zensical_cold[2] is False
        assert zensical_warm[2] is True
    # The median of the three runs: (1, 6, 11) for the first build of each round.
    assert builds["plugin_cold"].seconds == 6
    assert builds["zensical_warm"].runs_s == [5, 10, 15]


def test_without_zensical_its_builds_are_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = _bench_module()
    commands: list[list[str]] = []

    def fake_run_once(cmd: list[str], cwd: Path) -> Sample:
        commands.append(cmd)
        return Sample(seconds=1.0, peak_mb=10.0, maxrss_mb=10.0, processes=1)

    monkeypatch.setattr(bench, "run_once", fake_run_once)
    builds = bench._builds(tmp_path, 2, None)
    assert set(builds) == {"plugin_cold", "plugin_warm", "plain"}
    assert not any("zensical" in c[0] for c in commands)


def test_zensical_is_found_from_its_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = _bench_module()
    command = tmp_path / "zensical"
    command.write_text("#!/bin/sh\necho 0.0.73\n")
    command.chmod(command.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("ZENSICAL", str(command))
    assert bench.zensical_command() == str(command)
    monkeypatch.setenv("ZENSICAL", str(tmp_path / "missing"))
    assert bench.zensical_command() is None


# --------------------------------------------------------------------------- report


def _result(n: int, build: float, plain: float, zensical: float | None, **kw: Any) -> Result:
    def run(seconds: float, peak: float = 100.0) -> Run:
        return Run(seconds, peak, peak, [seconds])

    result = Result(
        n=n,
        parse_s=0.1,
        validate_s=0.15,
        plugin_cold=run(build, kw.get("peak", 100.0)),
        plugin_warm=run(build * 0.9),
        plain=run(plain, 150.0),
        zensical_cold=None if zensical is None else run(zensical * 2),
        zensical_warm=None if zensical is None else run(zensical),
        site_mb=kw.get("site_mb", n / 100),
        plain_site_mb=n / 90,
        search_index_kb=2.0 * n,
        search_index_kb_per_entry=2.0,
        paper_html_kb_max=24.0,
        paper_html_kb_median=20.0,
        explorer={
            "kb": 1.0,
            "gzip_kb": 0.5,
            "ready_ms": None,
            "filter_ms": None,
            "show_all_ms": None,
        },
        reload=kw.get("reload"),
    )
    result.compute_ratios()
    return result


def test_ratios_and_goals() -> None:
    small = _result(1000, 4.0, 10.0, 5.0, reload=Reload(0.5, 0.32, [0.5], [0.32]))
    large = _result(4000, 20.0, 40.0, 15.0, peak=200.0, site_mb=50.0)
    assert small.ratios == {
        "plugin_vs_plain": 0.4,
        "plugin_vs_zensical_warm": 0.8,
        "warm_vs_plain": 0.36,
        "warm_vs_zensical_warm": 0.72,
        "reload_vs_build": 0.12,
        "reload_mkdocs_vs_build": 0.08,
        "peak_plugin_vs_plain": 0.67,
        "validate_vs_parse": 1.5,
    }
    assert growth([small, large]) == {
        "from": 1000,
        "to": 4000,
        "time": 5.0,
        "site": 5.0,
        "limit": 4.4,
    }
    verdicts = {t.goal: t.verdict for t in targets([small, large])}
    assert verdicts == {
        "(a) build with the plugin at most 0.5 of a plain build, 1,000 entries, cold": "met",
        "(a) build with the plugin at most 0.5 of a plain build, 1,000 entries, warm": "met",
        "(a) build with the plugin at most 0.5 of a plain build, 4,000 entries, cold": "met",
        "(a) build with the plugin at most 0.5 of a plain build, 4,000 entries, warm": "met",
        "(b) build with the plugin faster than Zensical's warm build, 1,000 entries, cold": "met",
        "(b) build with the plugin faster than Zensical's warm build, 1,000 entries, warm": "met",
        "(b) build with the plugin faster than Zensical's warm build, 4,000 entries, cold": (
            "not met"
        ),
        # 20 s x 0.9 = 18 s, against Zensical's 15 s.
        "(b) build with the plugin faster than Zensical's warm build, 4,000 entries, warm": (
            "not met"
        ),
        "(c) reload at most 0.15 of a full build, 1,000 entries": "met",
        "(d) build time grows at most 4.4x from 1,000 to 4,000 entries": "not met",
        "(d) site size grows at most 4.4x from 1,000 to 4,000 entries": "not met",
        "(d) peak memory with the plugin at most the plain build's, 1,000 entries": "met",
        "(d) peak memory with the plugin at most the plain build's, 4,000 entries": "not met",
        "validation at most 2 times parsing the YAML, 4,000 entries": "met",
        "a paper page's HTML at most 25 KB": "met",
        "search index at most 3 KB per entry": "met",
    }


def test_growth_between_other_sizes_is_held_to_linear() -> None:
    results = [_result(250, 1.0, 2.0, None), _result(1000, 4.0, 8.0, None)]
    assert growth(results) == {"from": 250, "to": 1000, "time": 4.0, "site": 4.0, "limit": 4.4}
    assert growth(results[:1]) is None


def test_a_missing_figure_is_blank_and_its_goal_not_measured() -> None:
    result = _result(1000, 4.0, 10.0, None)
    assert result.ratios["plugin_vs_zensical_warm"] is None
    assert result.ratios["reload_vs_build"] is None
    found = {t.goal: t for t in targets([result])}
    zensical = found[
        "(b) build with the plugin faster than Zensical's warm build, 1,000 entries, warm"
    ]
    assert zensical.verdict == "not measured"
    assert zensical.measured == "Zensical not run"
    assert not any(goal.startswith("(c)") for goal in found)
    text = table([result])
    row = next(line for line in text.splitlines() if line.startswith("| 1,000 | 0.1 |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[7:11] == ["", "", "", ""]  # Zensical's columns and reload: blank
    assert "| not measured |" in text


def test_table_has_times_memory_explorer_and_targets() -> None:
    results = [
        _result(1000, 4.0, 10.0, 5.0, reload=Reload(0.5, None, [0.5], [])),
        _result(4000, 16.0, 40.0, 20.0),
    ]
    text = table(results)
    assert text.startswith("| N | parse YAML (s) | validate (s) | build with plugin, cold (s) |")
    heads = [line for line in text.splitlines() if line.startswith("| N |")]
    assert len(heads) == 3
    assert "| 1,000 | 100.0 / 100.0 | 100.0 / 100.0 | 150.0 / 150.0 |" in text
    assert "| 0.5 /  |" in text  # reload: client time, MkDocs' own blank
    assert "Growth from 1,000 to 4,000 entries: build time x4.0, output size x4.0." in text
    assert "| target | measured | |" in text
    assert "| met |" in text


# --------------------------------------------------------------------------- end to end


@pytest.mark.slow
def test_benchmark_runs_at_small_size(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bench = _bench_module()
    out = tmp_path / "results.json"
    assert bench.main(["--sizes", "50", "--serve", "50", "--runs", "1", "--json", str(out)]) == 0
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
        "plain_site_mb",
        "search_index_kb",
        "search_index_kb_per_entry",
        "paper_html_kb_max",
        "paper_html_kb_median",
    ):
        assert result[key] > 0, key
    assert result["reload"]["client_s"] > 0
    assert result["reload"]["mkdocs_s"] > 0
    # The explorer page's weight always; its times when Chromium is there.
    assert result["explorer"]["kb"] > result["explorer"]["gzip_kb"] > 0
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        for key in ("ready_ms", "filter_ms", "show_all_ms"):
            assert result["explorer"][key] > 0, key
    assert "| 50 | " in printed.split("explorer page KB", 1)[1]
    for build in ("plugin_cold", "plugin_warm", "plain"):
        assert result[build]["seconds"] > 0, build
        assert result[build]["peak_mb"] >= result[build]["maxrss_mb"] > 0, build
    zensical = bench.zensical_command()
    for build in ("zensical_cold", "zensical_warm"):
        if zensical is None:
            assert result[build] is None
        else:
            assert result[build]["seconds"] > 0
    # Zensical's version, as it says it.
    assert (data["zensical"] is None) == (zensical is None)
    assert set(result["ratios"]) == {
        "plugin_vs_plain",
        "plugin_vs_zensical_warm",
        "warm_vs_plain",
        "warm_vs_zensical_warm",
        "reload_vs_build",
        "reload_mkdocs_vs_build",
        "peak_plugin_vs_plain",
        "validate_vs_parse",
    }
    assert result["ratios"]["reload_vs_build"] > 0
    assert {t["verdict"] for t in data["targets"]} <= {"met", "not met", "not measured"}
    assert "| target | measured | |" in printed


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
