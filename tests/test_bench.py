"""The build benchmark runs end to end at a small size (no time is asserted)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

from tests.chromium import CHROMIUM
from tests.helpers import REPO

pytestmark = pytest.mark.slow


def _bench_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "bench_build", REPO / "benchmarks" / "bench_build.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_build"] = module
    spec.loader.exec_module(module)
    return module


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
