"""What one benchmark run found: per size, its ratios, and the README's tables.

The goals are issue 16's, with the README's older ones that still hold:

(a) a full ``mkdocs build`` with the plugin takes at most 0.5 times a plain
    ``mkdocs build`` of ``generate``'s pages, at 1,000 and at 4,000 entries;
(b) and less time than Zensical's warm build of the same pages;
(c) under ``make serve``, saving one entry to the changed page being served takes at
    most 0.15 of a full build, at 1,000 entries;
(d) from 1,000 to 4,000 entries, build time and site size grow at most 4.4 times, and
    the plugin's peak memory is at most the plain build's.

The plugin's build is its cold build (no on-disk cache); its peak memory is the higher
of its cold and warm builds'. Nothing here asserts: a goal is "met", "not met", or "not
measured" when a figure is missing (Zensical not installed, say).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from benchmarks.measure import Run

#: The sizes goals (a), (b) and (d) are about.
GOAL_SIZES = (1000, 4000)
#: Goal thresholds.
PLUGIN_VS_PLAIN = 0.5
PLUGIN_VS_ZENSICAL = 1.0
RELOAD_VS_BUILD = 0.15
#: Linear growth, with 10% slack: 4.4 from 1,000 to 4,000 entries.
GROWTH_SLACK = 1.1
VALIDATE_VS_PARSE = 2.0
PAPER_PAGE_KB = 25.0
SEARCH_KB_PER_ENTRY = 3.0


@dataclass
class Reload:
    """Live reload: saving one entry until ``mkdocs serve`` serves the changed page."""

    #: Median time seen by a client polling the page.
    client_s: float
    #: Median of MkDocs' own "Documentation built in X seconds" for those rebuilds
    #: (None if the log did not say); it leaves out noticing the change and the config.
    mkdocs_s: float | None
    client_runs_s: list[float] = field(default_factory=list)
    mkdocs_runs_s: list[float] = field(default_factory=list)


@dataclass
class Result:
    """Everything measured for one N."""

    n: int
    parse_s: float
    validate_s: float
    plugin_cold: Run
    plugin_warm: Run
    plain: Run
    zensical_cold: Run | None
    zensical_warm: Run | None
    site_mb: float
    plain_site_mb: float
    search_index_kb: float
    search_index_kb_per_entry: float
    paper_html_kb_max: float
    paper_html_kb_median: float
    explorer: dict[str, float | None] = field(default_factory=dict)
    reload: Reload | None = None
    ratios: dict[str, float | None] = field(default_factory=dict)

    @property
    def plugin_peak_mb(self) -> float:
        """The plugin build's peak memory (process tree), cold or warm."""
        return max(self.plugin_cold.peak_mb, self.plugin_warm.peak_mb)

    def compute_ratios(self) -> None:
        build = self.plugin_cold.seconds
        zensical = self.zensical_warm.seconds if self.zensical_warm else None
        warm = self.plugin_warm.seconds
        self.ratios = {
            "plugin_vs_plain": ratio(build, self.plain.seconds),
            "plugin_vs_zensical_warm": ratio(build, zensical),
            "warm_vs_plain": ratio(warm, self.plain.seconds),
            "warm_vs_zensical_warm": ratio(warm, zensical),
            "reload_vs_build": ratio(self.reload.client_s if self.reload else None, build),
            "reload_mkdocs_vs_build": ratio(self.reload.mkdocs_s if self.reload else None, build),
            "peak_plugin_vs_plain": ratio(self.plugin_peak_mb, self.plain.peak_mb),
            "validate_vs_parse": ratio(self.validate_s, self.parse_s),
        }


def ratio(a: float | None, b: float | None) -> float | None:
    """a / b to two decimals; None when either is missing or b is zero."""
    if a is None or not b:
        return None
    return round(a / b, 2)


def growth(results: list[Result]) -> dict[str, Any] | None:
    """Growth of build time and site size between two sizes: 1,000 to 4,000 when both
    were measured, else the two largest. The limit is linear growth plus 10%."""
    by_n = {r.n: r for r in results}
    if all(n in by_n for n in GOAL_SIZES):
        small, large = (by_n[n] for n in GOAL_SIZES)
    elif len(by_n) >= 2:
        small, large = (by_n[n] for n in sorted(by_n)[-2:])
    else:
        return None
    return {
        "from": small.n,
        "to": large.n,
        "time": ratio(large.plugin_cold.seconds, small.plugin_cold.seconds),
        "site": ratio(large.site_mb, small.site_mb),
        "limit": round(GROWTH_SLACK * large.n / small.n, 2),
    }


@dataclass
class Target:
    """One goal and what was measured."""

    goal: str
    measured: str
    met: bool | None

    @property
    def verdict(self) -> str:
        return {True: "met", False: "not met", None: "not measured"}[self.met]


def _at_most(value: float | None, limit: float, strict: bool = False) -> bool | None:
    if value is None:
        return None
    return value < limit if strict else value <= limit


def _shown(value: float | None, suffix: str = "") -> str:
    return "" if value is None else f"{value}{suffix}"


def targets(results: list[Result]) -> list[Target]:
    """Each goal with its measured ratio."""
    out: list[Target] = []
    goal_sizes = [r for r in results if r.n in GOAL_SIZES] or results
    # Each build with the plugin twice: cold (no .cache/) and warm (the page cache of the
    # last build kept, as a CI job that restores .cache/ runs; Zensical's warm build
    # keeps its cache likewise).
    for r in goal_sizes:
        for kind, run in (("cold", r.plugin_cold), ("warm", r.plugin_warm)):
            value = r.ratios["plugin_vs_plain" if kind == "cold" else "warm_vs_plain"]
            out.append(
                Target(
                    f"(a) build with the plugin at most {PLUGIN_VS_PLAIN} of a plain build, "
                    f"{r.n:,} entries, {kind}",
                    f"{_shown(value)} ({run.seconds} s / {r.plain.seconds} s)",
                    _at_most(value, PLUGIN_VS_PLAIN),
                )
            )
    for r in goal_sizes:
        zensical = r.zensical_warm.seconds if r.zensical_warm else None
        for kind, run in (("cold", r.plugin_cold), ("warm", r.plugin_warm)):
            value = r.ratios[
                "plugin_vs_zensical_warm" if kind == "cold" else "warm_vs_zensical_warm"
            ]
            out.append(
                Target(
                    f"(b) build with the plugin faster than Zensical's warm build, "
                    f"{r.n:,} entries, {kind}",
                    f"{_shown(value)} ({run.seconds} s / {_shown(zensical, ' s')})"
                    if value is not None
                    else "Zensical not run",
                    _at_most(value, PLUGIN_VS_ZENSICAL, strict=True),
                )
            )
    for r in results:
        if r.reload is None:
            continue
        value = r.ratios["reload_vs_build"]
        out.append(
            Target(
                f"(c) reload at most {RELOAD_VS_BUILD} of a full build, {r.n:,} entries",
                f"{_shown(value)} (client {r.reload.client_s} s, MkDocs' own "
                f"{_shown(r.reload.mkdocs_s, ' s')}, build {r.plugin_cold.seconds} s)",
                _at_most(value, RELOAD_VS_BUILD),
            )
        )
    grown = growth(results)
    if grown is not None:
        span = f"from {grown['from']:,} to {grown['to']:,} entries"
        for key, what in (("time", "build time"), ("site", "site size")):
            out.append(
                Target(
                    f"(d) {what} grows at most {grown['limit']}x {span}",
                    f"{grown[key]}x",
                    _at_most(grown[key], grown["limit"]),
                )
            )
    for r in goal_sizes:
        value = r.ratios["peak_plugin_vs_plain"]
        out.append(
            Target(
                f"(d) peak memory with the plugin at most the plain build's, {r.n:,} entries",
                f"{_shown(value)} ({r.plugin_peak_mb} MB / {r.plain.peak_mb} MB)",
                _at_most(value, 1.0),
            )
        )
    largest = results[-1]
    value = largest.ratios["validate_vs_parse"]
    out += [
        Target(
            f"validation at most {VALIDATE_VS_PARSE:g} times parsing the YAML, "
            f"{largest.n:,} entries",
            _shown(value),
            _at_most(value, VALIDATE_VS_PARSE),
        ),
        Target(
            f"a paper page's HTML at most {PAPER_PAGE_KB:g} KB",
            f"{max(r.paper_html_kb_max for r in results)} KB (the largest)",
            max(r.paper_html_kb_max for r in results) <= PAPER_PAGE_KB,
        ),
        Target(
            f"search index at most {SEARCH_KB_PER_ENTRY:g} KB per entry",
            f"{max(r.search_index_kb_per_entry for r in results)} KB",
            max(r.search_index_kb_per_entry for r in results) <= SEARCH_KB_PER_ENTRY,
        ),
    ]
    return out


def _seconds(run: Run | None) -> str:
    return "" if run is None else str(run.seconds)


def _memory(run: Run | None) -> str:
    if run is None:
        return ""
    more = f", {run.processes} processes" if run.processes > 1 else ""
    return f"{run.peak_mb} / {run.maxrss_mb}{more}"


def _or_blank(value: float | None) -> str:
    return "" if value is None else str(value)


def table(results: list[Result]) -> str:
    """The README's tables: times and sizes, memory, the explorer page, the goals."""
    lines = [
        "| N | parse YAML (s) | validate (s) | build with plugin, cold (s) | warm (s) | "
        "plain build (s) | plugin / plain | Zensical cold (s) | Zensical warm (s) | "
        "plugin / Zensical warm | reload: client / MkDocs (s) | site MB (plugin / plain) | "
        "search index KB (total / per entry) | paper page KB (largest / median) |",
        "|" + " --- |" * 14,
    ]
    for r in results:
        reload = "" if r.reload is None else f"{r.reload.client_s} / {_or_blank(r.reload.mkdocs_s)}"
        lines.append(
            f"| {r.n:,} | {r.parse_s} | {r.validate_s} ({r.ratios['validate_vs_parse']}x) | "
            f"{r.plugin_cold.seconds} | {r.plugin_warm.seconds} | {r.plain.seconds} | "
            f"{_or_blank(r.ratios['plugin_vs_plain'])} | {_seconds(r.zensical_cold)} | "
            f"{_seconds(r.zensical_warm)} | {_or_blank(r.ratios['plugin_vs_zensical_warm'])} | "
            f"{reload} | {r.site_mb} / {r.plain_site_mb} | "
            f"{r.search_index_kb} / {r.search_index_kb_per_entry} | "
            f"{r.paper_html_kb_max} / {r.paper_html_kb_median} |"
        )
    lines += [
        "",
        "Peak memory in MB: the process tree's (sampled) / the main process's ru_maxrss.",
        "",
        "| N | plugin, cold | plugin, warm | plain build | Zensical cold | Zensical warm | "
        "plugin / plain |",
        "|" + " --- |" * 7,
    ]
    lines += [
        f"| {r.n:,} | {_memory(r.plugin_cold)} | {_memory(r.plugin_warm)} | "
        f"{_memory(r.plain)} | {_memory(r.zensical_cold)} | {_memory(r.zensical_warm)} | "
        f"{_or_blank(r.ratios['peak_plugin_vs_plain'])} |"
        for r in results
    ]
    lines += [
        "",
        "| N | explorer page KB | gzipped KB | ready in Chromium (ms) | apply a filter (ms) "
        "| show all (ms) |",
        "|" + " --- |" * 6,
    ]
    lines += [
        f"| {r.n:,} | {r.explorer['kb']} | {r.explorer['gzip_kb']} | "
        f"{_or_blank(r.explorer['ready_ms'])} | {_or_blank(r.explorer['filter_ms'])} | "
        f"{_or_blank(r.explorer['show_all_ms'])} |"
        for r in results
    ]
    grown = growth(results)
    if grown is not None:
        lines += [
            "",
            f"Growth from {grown['from']:,} to {grown['to']:,} entries: build time "
            f"x{grown['time']}, output size x{grown['site']}.",
        ]
    lines += ["", "| target | measured | |", "| --- | --- | --- |"]
    lines += [f"| {t.goal} | {t.measured} | {t.verdict} |" for t in targets(results)]
    return "\n".join(lines)
