"""Build benchmark: a synthetic knowledge base of N entries, measured end to end.

For each N it measures, in one run:

- validation alone (load, check, index) against parsing the same YAML files with
  the same loader and nothing else;
- the full ``mkdocs build --strict`` with the plugin, cold (its on-disk cache,
  ``.cache/`` beside ``mkdocs.yml``, deleted first) and warm (the cache kept);
- the baseline: a plain ``mkdocs build --strict`` (no plugin) of the same pages as
  written by ``dltheory-site generate``;
- Zensical's build of those pages, cold (its cache and output deleted first) and warm
  (its cache kept); its command is ``$ZENSICAL``, else ``.venv-zensical/bin/zensical``
  (``make bench`` makes it); without it, its columns stay blank;
- each build's peak memory: the process tree's, sampled, and the main process's
  ``ru_maxrss`` (``benchmarks/measure.py``);
- output size, search index size, and the largest and median paper page;
- the explorer page: its weight (bytes, gzipped bytes) and, in Chromium (when
  installed), the time from its load to its filters being ready and the time to
  apply a filter (tag, group, years, words) until the next frame is drawn;
- with ``--serve`` (1,000 entries by default), live reload under ``mkdocs serve
  --livereload --dirty``: the time from saving one entry to the changed page being
  served, as a client sees it and as MkDocs logs its rebuild.

Each build is its own process, run ``--runs`` times (3): the median time is reported.
The runs are interleaved (plugin cold, plugin warm, plain, Zensical cold, Zensical
warm; then again), so that a busy spell of a shared machine falls on all of them.

With ``--worst``, it also builds the fixture site with one worst-case entry at a time
(every prose field at the model's limits, filled with what makes Markdown, the link
checks or KaTeX work hardest) and compares each with a normal entry of the same size;
and times Chromium loading and typesetting the page with the worst math the limits allow.

It prints tables (``benchmarks/report.py``: times, memory, the explorer page, and the
goals with their measured ratios) and writes JSON. ``make bench`` runs N = 250, 1,000
and 4,000. Nothing here asserts a time: the targets are reported, and the README holds
the latest table.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(1, str(REPO))

from benchmarks.measure import (  # noqa: E402
    ENV,
    Run,
    Sample,
    built_in_seconds,
    measure,
    median,
    run_once,
)
from benchmarks.report import Reload, Result, growth, table, targets  # noqa: E402
from benchmarks.synthetic import synthetic_project  # noqa: E402
from dltheory_site.entryfile import dump_entry  # noqa: E402
from dltheory_site.loader import _Loader  # noqa: E402
from dltheory_site.project import load_knowledge_base  # noqa: E402


def zensical_command() -> str | None:
    """Zensical's command: ``$ZENSICAL``, else ``.venv-zensical/bin/zensical``; None if
    neither is there."""
    command = os.environ.get("ZENSICAL") or str(REPO / ".venv-zensical" / "bin" / "zensical")
    found = shutil.which(command)
    # Absolute: the builds run in the synthetic project's folder.
    return os.path.abspath(found) if found and Path(found).is_file() else None


def _size_mb(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def measure_reload(root: Path, edits: int = 3, timeout: float = 600) -> Reload:
    """Saving one entry until ``mkdocs serve`` serves the changed page: the median of
    ``edits`` saves, as a client sees it and as MkDocs logs each rebuild."""
    port = _free_port()
    log_path = root / "serve.log"
    url = f"http://127.0.0.1:{port}/papers/synth00007/"
    path = root / "entries" / "synth00007.yaml"
    original = path.read_text(encoding="utf-8")
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "serve",
                "--dev-addr",
                f"127.0.0.1:{port}",
                "--livereload",
                "--dirty",
            ],
            cwd=root,
            env=ENV,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    client: list[float] = []
    logged: list[float] = []
    try:
        _wait_for(url, None, timeout)
        for edit in range(edits):
            time.sleep(1.0)  # let the watcher settle after the last build
            built = len(built_in_seconds(_read(log_path)))
            token = f"reload{time.time_ns()}"
            start = time.perf_counter()
            path.write_text(original.replace("Shows that", f"Shows ({token}) that", 1), "utf-8")
            _wait_for(url, token, timeout)
            client.append(round(time.perf_counter() - start, 3))
            # The page is served once its rebuild is over: the log line is (nearly) there.
            deadline = time.perf_counter() + 10
            while len(found := built_in_seconds(_read(log_path))) <= built:
                if time.perf_counter() > deadline:
                    print(f"reload {edit + 1}: MkDocs logged no build time", file=sys.stderr)
                    break
                time.sleep(0.05)
            else:
                logged.append(found[built])
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        path.write_text(original, encoding="utf-8")
    return Reload(
        client_s=round(median(client), 2),
        mkdocs_s=round(median(logged), 2) if logged else None,
        client_runs_s=client,
        mkdocs_runs_s=logged,
    )


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "replace")


def _wait_for(url: str, token: str | None, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read().decode("utf-8", "replace")
            if token is None or token in body:
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {url}")


#: Runs in the explorer page: each filter set, timed until the next frame is drawn
#: (median of five; the slowest filter is reported), then cleared; last, "show all"
#: with no filter (every row drawn).
FILTER_TIMING = """async () => {
  const x = window.dltExplorer;
  const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const tag = document.querySelector("#dlt-x-tag").options[1].value;
  const group = document.querySelector("#dlt-x-group").options[1].value;
  const cases = [[["tag", tag]], [["group", group]], [["from", "2010"], ["to", "2015"]],
                 [["text", "kernel bound"]]];
  const times = [];
  for (const filters of cases) {
    const runs = [];
    for (let i = 0; i < 5; i++) {
      await frame();
      const start = performance.now();
      for (const [name, value] of filters) {
        document.querySelector("#dlt-explorer [name='" + name + "']").value = value;
      }
      x.apply();
      await frame();
      runs.push(performance.now() - start);
      for (const [name] of filters) {
        document.querySelector("#dlt-explorer [name='" + name + "']").value = "";
      }
      x.apply();
    }
    runs.sort((a, b) => a - b);
    times.push(runs[2]);
  }
  await frame();
  const start = performance.now();
  x.showAll();
  await frame();
  return {ready: x.ready, filter: Math.max(...times), showAll: performance.now() - start};
}"""


def measure_explorer(site: Path) -> dict[str, float | None]:
    """The explorer page's weight, and its times in Chromium (None without Chromium)."""
    html = (site / "explorer" / "index.html").read_bytes()
    out: dict[str, float | None] = {
        "kb": round(len(html) / 1024, 1),
        "gzip_kb": round(len(gzip.compress(html, 6)) / 1024, 1),
        "ready_ms": None,
        "filter_ms": None,
        "show_all_ms": None,
    }
    from tests.chromium import CHROMIUM, CHROMIUM_ARGS, serve

    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        return out
    from playwright.sync_api import sync_playwright

    for base in serve(site):
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(base + "/explorer/", wait_until="load")
            page.wait_for_function("window.dltExplorer !== undefined")
            times = page.evaluate(FILTER_TIMING)
            browser.close()
        out["ready_ms"] = round(times["ready"])
        out["filter_ms"] = round(times["filter"], 1)
        out["show_all_ms"] = round(times["showAll"])
    return out


def _deleter(*paths: Path) -> Callable[[], None]:
    def delete() -> None:
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)

    return delete


def _builds(root: Path, runs: int, zensical: str | None) -> dict[str, Run]:
    """Every build of one project, ``runs`` times each, interleaved: the plugin cold
    and warm, the plain build, Zensical cold and warm."""
    python = sys.executable
    # Never -q with --strict: MkDocs would drop the warnings before counting them.
    plugin = [python, "-m", "mkdocs", "build", "--strict", "-d", "site"]
    plain = [python, "-m", "mkdocs", "build", "--strict", "-f", "generated/mkdocs.yml"]
    plain += ["-d", "../site-plain"]
    # Zensical writes generated/site and keeps its cache in generated/.cache.
    zensical_build = [zensical or "zensical", "build", "--strict", "-f", "generated/mkdocs.yml"]
    # (name, command, what to delete first): a warm build follows its cold one. MkDocs
    # builds start from an empty output folder, deleted before the clock starts (else
    # each would time deleting the last one's thousands of files); Zensical's warm
    # build keeps its output and its cache, as its incremental builds do.
    steps: list[tuple[str, list[str], Callable[[], None] | None]] = [
        ("plugin_cold", plugin, _deleter(root / ".cache", root / "site")),
        ("plugin_warm", plugin, _deleter(root / "site")),
        ("plain", plain, _deleter(root / "site-plain")),
    ]
    if zensical:
        generated = root / "generated"
        steps += [
            ("zensical_cold", zensical_build, _deleter(generated / ".cache", generated / "site")),
            ("zensical_warm", zensical_build, None),
        ]
    samples: dict[str, list[Sample]] = {name: [] for name, _cmd, _before in steps}
    for _ in range(runs):
        for name, cmd, before in steps:
            if before is not None:
                before()
            samples[name].append(run_once(cmd, root))
    return {name: Run.of(found) for name, found in samples.items()}


def bench(n: int, work: Path, serve: bool, runs: int = 3, zensical: str | None = None) -> Result:
    """Measure one size."""
    root = synthetic_project(n, work / f"n{n}")
    files = sorted((root / "entries").glob("*.yaml"))
    start = time.perf_counter()
    for f in files:
        yaml.load(f.read_text(encoding="utf-8"), Loader=_Loader)
    parse_s = time.perf_counter() - start
    start = time.perf_counter()
    kb, problems = load_knowledge_base(root)
    validate_s = time.perf_counter() - start
    errors = [p.format() for p in problems if p.severity.value == "error"]
    if errors:
        raise SystemExit("synthetic entries do not validate:\n" + "\n".join(errors[:10]))
    generate = [sys.executable, "-m", "dltheory_site", "generate", "--root", ".", "--out"]
    run_once([*generate, "generated"], root)
    builds = _builds(root, runs, zensical)
    index = root / "site" / "search" / "search_index.json"
    papers = [p.stat().st_size / 1024 for p in (root / "site" / "papers").glob("*/index.html")]
    result = Result(
        n=n,
        parse_s=round(parse_s, 3),
        validate_s=round(validate_s, 3),
        plugin_cold=builds["plugin_cold"],
        plugin_warm=builds["plugin_warm"],
        plain=builds["plain"],
        zensical_cold=builds.get("zensical_cold"),
        zensical_warm=builds.get("zensical_warm"),
        site_mb=_size_mb(root / "site"),
        plain_site_mb=_size_mb(root / "site-plain"),
        search_index_kb=round(index.stat().st_size / 1024, 1),
        search_index_kb_per_entry=round(index.stat().st_size / 1024 / len(kb.entries), 2),
        paper_html_kb_max=round(max(papers), 1),
        paper_html_kb_median=round(median(papers), 1),
        explorer=measure_explorer(root / "site"),
    )
    if serve:
        result.reload = measure_reload(root, edits=runs)
    result.compute_ratios()
    return result


# --------------------------------------------------------------------------- worst cases

#: Prose fields of one worst-case entry: the summary, the notes and this many results,
#: each at the model's limit of 10,000 characters: about 240 KB, under the 256 KiB file
#: limit.
WORST_RESULTS = 22
FIELD = 10_000


def _fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _normal_prose(size: int) -> str:
    """Ordinary prose: one formula (an entry may hold 100), then sentences with links."""
    sentence = (
        "Shows that wide networks satisfy the bound under [mild](https://example.org/a) "
        "assumptions, and that the *margin* matters more than the depth. "
    )
    return (
        _fill("$L(f) \\le \\hat L(f) + O(\\sqrt{d/n})$ " + sentence * 80, size - 1).rstrip() + "\n"
    )


def _plain_prose(size: int) -> str:
    """Ordinary prose without math (beside an entry's math at its limits)."""
    return _normal_prose(size).replace("$L(f) \\le \\hat L(f) + O(\\sqrt{d/n})$ ", "")


def _deep_math(_size: int) -> str:
    """The most expensive math the limits allow on one page: deep fractions and a matrix.

    16 chains of 30 nested fractions and a 6x6 matrix: just under 5,000 characters of math.
    """
    depth = 30
    chain = "\\frac{1}{" * depth + "x" + "}" * depth
    matrix = (
        "\\begin{pmatrix}"
        + " \\\\ ".join(" & ".join(f"a_{{{i}{j}}}" for j in range(6)) for i in range(6))
        + "\\end{pmatrix}"
    )
    return " ".join([f"$${chain}$$"] * 15 + [f"$${matrix}$$"]) + "\n"


def _many_formulas(_size: int) -> str:
    """100 formulas of 40 characters: the most formulas an entry may hold."""
    return " ".join(["$a_{b^{c_{d}}} + \\sqrt{\\frac{\\log n}{n}}$"] * 100) + "\n"


#: name -> (summary, every other prose field), each at the limits. "normal" is the yardstick.
WORST_PROSE: dict[str, tuple[Callable[[int], str], Callable[[int], str]]] = {
    "normal": (_normal_prose, _normal_prose),
    "open brackets": (lambda n: _fill("[", n), lambda n: _fill("[", n)),
    "open images": (lambda n: _fill("![", n), lambda n: _fill("![", n)),
    "open link targets": (lambda n: _fill("[x](", n), lambda n: _fill("[x](", n)),
    "nested brackets": (
        lambda n: "[x" * (n // 3) + "]" * (n // 3),
        lambda n: "[x" * (n // 3) + "]" * (n // 3),
    ),
    "nested lists": (lambda n: _fill("- ", n), lambda n: _fill("- ", n)),
    "dangling links": (
        lambda n: _fill("[[missing-paper-id]] ", n),
        lambda n: _fill("[[missing-paper-id]] ", n),
    ),
    "deep math": (_deep_math, _plain_prose),
    "many formulas": (_many_formulas, _plain_prose),
    # At any scale: 625 formulas in the summary alone.
    "math past the limits": (lambda _n: _fill("$a_{b^{c_{d}}}$ ", FIELD), _normal_prose),
}


@dataclass
class WorstCase:
    """One worst-case entry against a normal entry of the same size."""

    name: str
    entry_kb: float
    validate_s: float
    build: Run
    build_vs_normal: float = 0.0
    valid: bool = True


def worst_cases(work: Path, scale: float = 1.0, repeat: int = 3) -> list[WorstCase]:
    """Build the fixture site with one worst-case entry at a time; time validate and build.

    Args:
        work: A folder for the projects.
        scale: Fraction of the limits to fill (1.0: every prose field at 10,000 characters).
        repeat: Builds per case, each its own process; the median is kept.
    """
    size = max(int(FIELD * scale), 100)
    out: list[WorstCase] = []
    for name, (summary, rest) in WORST_PROSE.items():
        root = work / ("worst-" + name.replace(" ", "-"))
        shutil.copytree(REPO / "tests" / "fixtures" / "site", root)
        text = rest(size)
        data: dict[str, Any] = {
            "title": f"Worst case: {name}",
            "authors": ["Eve Mallory"],
            "year": 2024,
            "venue": "NeurIPS",
            "categories": ["alpha/one"],
            "summary": summary(size),
            "results": [{"statement": text} for _ in range(max(int(WORST_RESULTS * scale), 1))],
            "notes": text,
            "added": "2026-12-01",
        }
        path = root / "entries" / "worst.yaml"
        path.write_text(dump_entry(data), encoding="utf-8")
        start = time.perf_counter()
        _kb, problems = load_knowledge_base(root)
        validate_s = round(time.perf_counter() - start, 3)
        valid = not any(p.severity.value == "error" for p in problems)
        python = sys.executable
        # Not strict: some worst cases carry warnings (a strict build would stop early).
        build = (
            measure([python, "-m", "mkdocs", "build", "-d", "site"], root, repeat)
            if valid
            else Run(0.0, 0.0, 0.0)
        )
        out.append(
            WorstCase(name, round(path.stat().st_size / 1024, 1), validate_s, build, valid=valid)
        )
    normal = out[0].build.seconds
    for case in out:
        case.build_vs_normal = round(case.build.seconds / normal, 2) if normal else 0.0
    return out


#: KaTeX in Chromium: the page of the worst math the limits allow.
MATH_PAGE_MS_TARGET = 1000


#: Sums the time spent in KaTeX's auto-render, whatever calls it.
_TIME_MATH = """
(() => {
  let real;
  window.__mathMs = 0;
  Object.defineProperty(window, "renderMathInElement", {
    configurable: true,
    get() {
      return real && function (el, options) {
        const start = performance.now();
        try { return real(el, options); } finally { window.__mathMs += performance.now() - start; }
      };
    },
    set(value) { real = value; },
  });
})();
"""


def math_render_ms(work: Path, case: str = "deep math") -> tuple[float, float] | None:
    """(typesetting, whole load) in milliseconds of a worst case's paper page in Chromium.

    Typesetting is the time spent in KaTeX; the load includes the page's own weight
    (a 230 KB entry is a long page). Best of three. None without Playwright or Chromium.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    chromium = os.environ.get("DLTHEORY_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        return None
    site = work / ("worst-" + case.replace(" ", "-")) / "site"
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)],
        cwd=site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/", None, 30)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
            )
            context = browser.new_context()
            context.add_init_script(_TIME_MATH)
            page = context.new_page()
            best = (float("inf"), float("inf"))
            for _ in range(3):
                start = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/papers/worst/", wait_until="load")
                page.wait_for_function(
                    "() => [...document.querySelectorAll('.arithmatex')]"
                    ".every(e => e.querySelector('.katex, .katex-error'))",
                    timeout=120_000,
                )
                load = (time.perf_counter() - start) * 1000
                best = min(best, (float(page.evaluate("window.__mathMs")), load))
            browser.close()
        return round(best[0]), round(best[1])
    finally:
        server.terminate()
        server.wait(timeout=30)


def worst_table(cases: list[WorstCase], math: dict[str, tuple[float, float]]) -> str:
    """The worst-case table: each entry's validate and build time against a normal one."""
    lines = [
        "| worst case | entry KB | validate (s) | build (s) | build / normal | "
        "KaTeX in Chromium (ms) | page load (ms) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for c in cases:
        typeset, load = math.get(c.name, ("", ""))
        if not c.valid:
            lines.append(f"| {c.name} | {c.entry_kb} | {c.validate_s} | refused | | | |")
            continue
        lines.append(
            f"| {c.name} | {c.entry_kb} | {c.validate_s} | {c.build.seconds} | "
            f"{c.build_vs_normal} | {typeset} | {load} |"
        )
    lines.append("")
    lines.append(
        "Targets: every worst case builds in at most 2x the time of the normal entry; "
        f"KaTeX typesets the worst math page in under {MATH_PAGE_MS_TARGET} ms."
    )
    return "\n".join(lines)


#: The cases whose pages are timed in Chromium.
BROWSER_CASES = ("normal", "deep math", "many formulas")


def worst_math(work: Path, cases: list[WorstCase]) -> dict[str, tuple[float, float]]:
    """KaTeX and page-load times of the cases in :data:`BROWSER_CASES` that were built."""
    out = {}
    for case in cases:
        if case.name in BROWSER_CASES and case.valid:
            found = math_render_ms(work, case.name)
            if found is not None:
                out[case.name] = found
    return out


def _version(command: str | None) -> str | None:
    if command is None:
        return None
    found = subprocess.run([command, "--version"], capture_output=True, text=True, check=False)
    return found.stdout.strip() or None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 1000, 4000])
    parser.add_argument("--json", type=Path, help="Write the results here as JSON.")
    parser.add_argument(
        "--serve",
        type=int,
        nargs="*",
        default=[1000],
        help="Measure live reload at these sizes (default: 1000).",
    )
    parser.add_argument("--keep", type=Path, help="Keep the synthetic projects in this folder.")
    parser.add_argument(
        "--worst",
        type=float,
        nargs="?",
        const=1.0,
        default=None,
        help="Also time worst-case entries at this fraction of the limits (default 1.0).",
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="Runs of each build; the median is kept (3)."
    )
    args = parser.parse_args(argv)
    zensical = zensical_command()
    if zensical is None:
        print("no Zensical ($ZENSICAL, .venv-zensical): its columns stay blank", file=sys.stderr)
    serve_sizes = set(args.serve)
    results = []
    with tempfile.TemporaryDirectory(prefix="dltheory-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for n in args.sizes:
            print(f"N = {n:,} ...", file=sys.stderr, flush=True)
            results.append(bench(n, work, n in serve_sizes, args.runs, zensical))
        worst: list[WorstCase] = []
        math: dict[str, tuple[float, float]] = {}
        if args.worst is not None:
            print("worst cases ...", file=sys.stderr, flush=True)
            worst = worst_cases(work, args.worst, args.runs)
            math = worst_math(work, worst)
    text = table(results)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    # Browser timings depend on what else runs: the load average says how busy it was.
    machine += ", load average {:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())
    print(text)
    if worst:
        print()
        print(worst_table(worst, math))
    print(f"\nMeasured on: {machine}")
    if args.json:
        payload = {
            "machine": machine,
            "date": time.strftime("%Y-%m-%d"),
            "zensical": _version(zensical),
            "runs": args.runs,
            "results": [asdict(r) for r in results],
            "growth": growth(results),
            "targets": [{**asdict(t), "verdict": t.verdict} for t in targets(results)],
            "worst": [asdict(c) for c in worst],
            "worst_math_ms": {k: {"katex": v[0], "load": v[1]} for k, v in math.items()},
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
