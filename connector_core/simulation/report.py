"""The simulation's figures as text: its section of docs/reliability.md and docs/polling.md's proof.

The reliability section sits between markers, so other figures (#13's) can share the file; the
proof is docs/polling.md's last section, from its heading to the end.
"""

from __future__ import annotations

import statistics
import textwrap
from pathlib import Path

from connector_core.simulation.expectations import Tally
from connector_core.simulation.run import Outcome, PollCost
from connector_core.simulation.scenarios import SCENARIOS

BEGIN = "<!-- trigger-simulation:begin (written by bench/triggers.py; do not edit) -->"
END = "<!-- trigger-simulation:end -->"
PROOF_HEADING = "## How it is proven"
BASELINE = "peers"
QUIET = ("quiet_180d", "quiet_7d")


def _total(outcomes: list[Outcome]) -> Tally:
    total = Tally()
    for outcome in outcomes:
        total.add(outcome.tally)
    return total


def _bytes(count: float) -> str:
    return f"{count:,.0f} B" if count < 10_000 else f"{count / 1024:,.1f} KB"


def _worst(polls: list[PollCost]) -> tuple[int, int]:
    return (max((p.requests for p in polls), default=0), max((p.bytes for p in polls), default=0))


def _mean(values: list[int]) -> float:
    return statistics.fmean(values) if values else 0.0


def _platforms(outcomes: list[Outcome]) -> list[str]:
    names = list(dict.fromkeys(outcome.platform for outcome in outcomes))
    return [name for name in names if name != BASELINE] + ([BASELINE] if BASELINE in names else [])


def goals_table(outcomes: list[Outcome]) -> list[str]:
    """Issue #9's goals per host: nothing lost or repeated; a quiet poll at 10,000 jobs is one request
    under 1 KB (the stateless host's own goal, 25x fewer bytes than the peers, is implied by it)."""
    peers = [p.bytes for o in outcomes if o.platform == BASELINE and o.scenario in QUIET for p in o.costs(True)]
    lines = ["| platform | lost | duplicated | unexpected | quiet poll at 10,000 jobs (worst) | vs peers | goals met |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for platform in _platforms(outcomes):
        if platform == BASELINE:
            continue
        mine = [o for o in outcomes if o.platform == platform]
        t = _total(mine)
        requests, size = _worst([p for o in mine if o.scenario in QUIET for p in o.costs(True)])
        ratio = f"{min(peers) / max(1, size):,.0f}x fewer bytes" if peers and size else "-"
        met = t.lost == t.duplicated == t.unexpected == 0 and requests == 1 and size < 1024
        lines.append(f"| {platform} | {t.lost:,} | {t.duplicated:,} | {t.unexpected:,} | {requests} req, {_bytes(size)} | "
                     f"{ratio} | {'yes' if met else 'no'} |")
    return lines


def summary_table(outcomes: list[Outcome]) -> list[str]:
    lines = ["| platform | trigger | expected | emitted | lost | duplicated | unexpected | busy requests/poll | busy bytes/poll |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for platform in _platforms(outcomes):
        mine = [o for o in outcomes if o.platform == platform]
        for trigger in dict.fromkeys(o.trigger for o in mine):
            runs = [o for o in mine if o.trigger == trigger]
            t = _total(runs)
            busy = [p for o in runs for p in o.costs(quiet=False)]
            lines.append(f"| {platform} | {trigger} | {t.expected:,} | {t.emitted:,} | {t.lost:,} | {t.duplicated:,} | "
                         f"{t.unexpected:,} | {_mean([p.requests for p in busy]):.1f} | {_bytes(_mean([p.bytes for p in busy]))} |")
    return lines


def quiet_table(outcomes: list[Outcome]) -> list[str]:
    """The worst quiet poll per platform at 10,000 jobs, the peers' beside it."""
    lines = ["| account | trigger | " + " | ".join(_platforms(outcomes)) + " |",
             "|---|---|" + "---:|" * len(_platforms(outcomes))]
    for name in QUIET:
        for trigger in dict.fromkeys(o.trigger for o in outcomes if o.scenario == name):
            cells = []
            for platform in _platforms(outcomes):
                polls = [p for o in outcomes if (o.scenario, o.trigger, o.platform) == (name, trigger, platform)
                         for p in o.costs(quiet=True)]
                requests, size = _worst(polls)
                cells.append(f"{requests} req, {_bytes(size)}" if polls else "-")
            lines.append(f"| {name} | {trigger} | " + " | ".join(cells) + " |")
    return lines


def detail_table(outcomes: list[Outcome]) -> list[str]:
    lines = ["| scenario | trigger | platform | expected | emitted | lost | dup | unexp | busy polls | busy req/poll "
             "| busy bytes/poll | quiet polls | quiet req (max) | quiet bytes (max) |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    order = {s.name: n for n, s in enumerate(SCENARIOS)}
    platforms = {name: n for n, name in enumerate(_platforms(outcomes))}
    for o in sorted(outcomes, key=lambda o: (order.get(o.scenario, 99), o.trigger, platforms[o.platform])):
        t, busy, quiet = o.tally, o.costs(quiet=False), o.costs(quiet=True)
        requests, size = _worst(quiet)
        lines.append(f"| {o.scenario} | {o.trigger} | {o.platform} | {t.expected:,} | {t.emitted:,} | {t.lost:,} | "
                     f"{t.duplicated:,} | {t.unexpected:,} | {len(busy)} | {_mean([p.requests for p in busy]):.1f} | "
                     f"{_bytes(_mean([p.bytes for p in busy]))} | {len(quiet)} | {requests if quiet else '-'} | "
                     f"{_bytes(size) if quiet else '-'} |")
    return lines


def reliability_section(outcomes: list[Outcome], *, api: str, long: bool, skipped: dict[str, str], command: str) -> str:
    size = "long" if long else "bounded"
    scenarios = "\n".join(f"- `{s.name}` ({s.order} order{', client clock %+d min' % (s.skew_ms // 60_000) if s.skew_ms else ''}): "
                          f"{s.description}" for s in SCENARIOS)
    notes = "".join(f"\n- {name}: not run ({why})" for name, why in skipped.items())
    return "\n".join([
        BEGIN,
        "## Triggers: every event exactly once",
        "",
        textwrap.fill(f"Measured by the trigger simulation (`{command}`, {size} sizes): a scripted {api} timeline "
        "served over loopback HTTP, each trigger switched on in each host, and what the user received "
        "matched to the timeline's versions by content. What counts as expected, per trigger kind and "
        "host: [connector_core/simulation/EXPECTED.md](../connector_core/simulation/EXPECTED.md). "
        f"`{BASELINE}` is the hand-written peers' strategy (`since=0&limit=100`, dedupe by id, one page) "
        "judged by the same rules.", 100) + notes,
        "",
        "### Goals",
        "",
        *goals_table(outcomes),
        "",
        "### Totals over every scenario",
        "",
        *summary_table(outcomes),
        "",
        "### Quiet poll at 10,000 jobs (worst quiet poll)",
        "",
        *quiet_table(outcomes),
        "",
        "### Scenarios",
        "",
        scenarios,
        "",
        "### Every run",
        "",
        *detail_table(outcomes),
        END,
    ])


def proof_section(outcomes: list[Outcome], *, command: str) -> str:
    hosts = _platforms(outcomes)
    per_host = "; ".join(f"{name} {t.lost:,} / {t.duplicated:,} of {t.expected:,}"
                         for name in hosts for t in [_total([o for o in outcomes if o.platform == name])])
    paragraphs = [
        "`connector_core/simulation` plays an API timeline on loopback: a real HTTP server with a scripted "
        "clock (its `Date` header), records with versions, since filters, offset or page-number paging, a "
        "hostile and changing sort order, late commits (stamped at `t`, visible at `t + d`, within the "
        "lookback), a server node stamping 10 minutes fast, and a client clock 10 minutes ahead or behind. "
        "Its scenarios: bursts larger than a page and than a poll's page cap (more arriving while the walk "
        "resumes), several changes to one job in one millisecond, late commits older than the last poll, "
        "deletes and archives, a host dying between fetching and saving, a switch-off and back on, "
        "10,000 quiet jobs (over 180 days, and all within 7), and a steady load. Each trigger runs in "
        f"each platform's own host ({', '.join(h for h in hosts if h != BASELINE)}), as that host runs it "
        "(each poller's docstring says how). What the user received is matched to the timeline's versions "
        "by content and counted against rules written beside the harness "
        "(`connector_core/simulation/EXPECTED.md`): expected, emitted, lost, duplicated, unexpected, and "
        "requests and bytes per poll.",
        "`make test` runs the bounded sizes (a poll capped at 4 pages so small bursts exceed it) and "
        "asserts 0 lost, 0 duplicated and 0 unexpected on every platform with a poller, and the quiet-poll "
        f"goals. The long run (`{command}`), events lost / duplicated of those expected: {per_host} "
        f"(`{BASELINE}`: the hand-written peers' strategy, the baseline). Every figure: "
        "[reliability.md](reliability.md).",
    ]
    return "\n\n".join([PROOF_HEADING, *(textwrap.fill(text, 100) for text in paragraphs)]) + "\n"


def write_between_markers(path: Path, section: str, title: str = "# Reliability") -> None:
    """Replace the simulation's section of `path` (or add it), leaving the rest of the file as it is."""
    text = path.read_text(encoding="utf-8") if path.exists() else f"{title}\n\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def write_proof(path: Path, section: str) -> None:
    """Make `section` docs/polling.md's last section, replacing an earlier version of it."""
    text = path.read_text(encoding="utf-8")
    head = text.split(f"\n{PROOF_HEADING}\n", 1)[0]
    path.write_text(head.rstrip("\n") + "\n\n" + section, encoding="utf-8")
