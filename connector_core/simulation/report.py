"""The simulation's figures as text: its section of docs/reliability.md and docs/polling.md's proof.

The reliability section sits between markers, so other figures (#13's) can share the file; the
proof is docs/polling.md's last section, from its heading to the end. Figures come per connector
(every connector with a trigger), each host beside the peers' baseline.
"""

from __future__ import annotations

import statistics
import textwrap
from pathlib import Path
from typing import Any

from connector_core.simulation import shape
from connector_core.simulation.expectations import Tally
from connector_core.simulation.run import Outcome, PollCost
from connector_core.simulation.scenarios import SCENARIOS

BEGIN = "<!-- trigger-simulation:begin (written by bench/triggers.py; do not edit) -->"
END = "<!-- trigger-simulation:end -->"
PROOF_HEADING = "## How it is proven"
BASELINE = "peers"
QUIET = ("quiet_180d", "quiet_7d")

Documents = dict[str, dict[str, Any]]   # connector name -> its runtime document


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


def _versus(peers: int, ours: int) -> str:
    return f"{peers / ours:,.0f}x fewer bytes" if ours <= peers else f"{ours / peers:,.1f}x more bytes"


def _platforms(outcomes: list[Outcome]) -> list[str]:
    names = list(dict.fromkeys(outcome.platform for outcome in outcomes))
    return [name for name in names if name != BASELINE] + ([BASELINE] if BASELINE in names else [])


def has_cursor(documents: Documents, outcome: Outcome) -> bool:
    """Does the outcome's trigger have a since filter? Only then is a quiet poll one small request."""
    return shape.has_cursor(documents[outcome.connector]["operations"][outcome.trigger]["polling"])


def goals_table(outcomes: list[Outcome], documents: Documents) -> list[str]:
    """Issue #9's goals per connector and host: nothing lost or repeated; a quiet poll at 10,000 records of a
    trigger with a since filter is one request under 1 KB (the stateless host's own goal, 25x fewer bytes
    than the peers, is implied by it). A trigger without one pays for its list (docs/polling.md): its
    quiet poll is shown, not held to that goal."""
    lines = ["| connector | platform | lost | duplicated | unexpected | quiet poll at 10,000 records (worst) | vs peers "
             "| goals met |", "|---|---|---:|---:|---:|---:|---:|---|"]
    for connector in dict.fromkeys(o.connector for o in outcomes):
        theirs = [o for o in outcomes if o.connector == connector]
        peers = [p.bytes for o in theirs if o.platform == BASELINE and o.scenario in QUIET for p in o.costs(True)]
        for platform in _platforms(theirs):
            if platform == BASELINE:
                continue
            mine = [o for o in theirs if o.platform == platform]
            t = _total(mine)
            quiet = [o for o in mine if o.scenario in QUIET]
            requests, size = _worst([p for o in quiet for p in o.costs(True)])
            held = _worst([p for o in quiet if has_cursor(documents, o) for p in o.costs(True)])
            ratio = _versus(min(peers), size) if peers and size else "-"
            met = t.lost == t.duplicated == t.unexpected == 0 and held[0] <= 1 and held[1] < 1024
            note = "" if all(has_cursor(documents, o) for o in quiet) else " (no since filter: the list)"
            lines.append(f"| {connector} | {platform} | {t.lost:,} | {t.duplicated:,} | {t.unexpected:,} | "
                         f"{f'{requests} req, {_bytes(size)}{note}' if quiet else '-'} | {ratio} | "
                         f"{'yes' if met else 'no'} |")
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
    """The worst quiet poll per platform at 10,000 records, the peers' beside it."""
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


def connector_section(outcomes: list[Outcome], document: dict[str, Any]) -> list[str]:
    """One connector's tables: totals, quiet polls and every run, each host beside the baseline."""
    mine = [o for o in outcomes if o.connector == document["name"]]
    return [
        f"### {document['label']} (`{document['name']}`)",
        "",
        "#### Totals over every scenario",
        "",
        *summary_table(mine),
        "",
        "#### Quiet poll at 10,000 records (worst quiet poll)",
        "",
        *quiet_table(mine),
        "",
        "#### Every run",
        "",
        *detail_table(mine),
        "",
    ]


def reliability_section(outcomes: list[Outcome], *, documents: Documents, long: bool, skipped: dict[str, str],
                        command: str) -> str:
    size = "long" if long else "bounded"
    scenarios = "\n".join(f"- `{s.name}` ({s.order} order{', client clock %+d min' % (s.skew_ms // 60_000) if s.skew_ms else ''}): "
                          f"{s.description}" for s in SCENARIOS)
    notes = "".join(f"\n- {name}: not run ({why})" for name, why in skipped.items())
    run = [document for name, document in documents.items() if any(o.connector == name for o in outcomes)]
    return "\n".join([
        BEGIN,
        "## Triggers: every event exactly once",
        "",
        textwrap.fill(f"Measured by the trigger simulation (`{command}`, {size} sizes): for each connector with a "
        f"trigger ({', '.join(document['label'] for document in run)}), a scripted timeline of its API served "
        "over loopback HTTP as its document says (method, params in the query or the body, credentials, "
        "envelope), each trigger switched on in each host, and what the user received matched to the "
        "timeline's versions by content. What counts as expected, per trigger kind and host: "
        "[connector_core/simulation/EXPECTED.md](../connector_core/simulation/EXPECTED.md). "
        f"`{BASELINE}` is the hand-written peers' strategy (`since=0&limit=100`, dedupe by id, one page) "
        "judged by the same rules.", 100) + notes,
        "",
        "### Goals",
        "",
        *goals_table(outcomes, documents),
        "",
        "### Scenarios",
        "",
        scenarios,
        "",
        *[line for document in run for line in connector_section(outcomes, document)],
        END,
    ])


def proof_section(outcomes: list[Outcome], *, documents: Documents, command: str) -> str:
    hosts = _platforms(outcomes)
    per_host = "; ".join(f"{name} {t.lost:,} / {t.duplicated:,} of {t.expected:,}"
                         for name in hosts for t in [_total([o for o in outcomes if o.platform == name])])
    connectors = ", ".join(f"`{name}`" for name in documents if any(o.connector == name for o in outcomes))
    paragraphs = [
        "`connector_core/simulation` plays an API timeline on loopback: a real HTTP server with a scripted "
        "clock (its `Date` header), records with versions, since filters (or none), offset or page-number "
        "paging, params in the query or a JSON body, the connector's own credentials and envelope, a "
        "hostile and changing sort order, late commits (stamped at `t`, visible at `t + d`, within the "
        "lookback), a server node stamping 10 minutes fast, and a client clock 10 minutes ahead or behind. "
        "Its scenarios: bursts larger than a page and than a poll's page cap (more arriving while the walk "
        "resumes), several changes to one record in one millisecond, late commits older than the last poll, "
        "deletes and archives, a host dying between fetching and saving, a switch-off and back on, "
        "10,000 quiet records (over 180 days, and all within 7), and a steady load. It runs every trigger "
        f"of every connector that has one ({connectors}), each in each platform's own host "
        f"({', '.join(h for h in hosts if h != BASELINE)}), as that host runs it "
        "(each poller's docstring says how). What the user received is matched to the timeline's versions "
        "by content and counted against rules written beside the harness "
        "(`connector_core/simulation/EXPECTED.md`): expected, emitted, lost, duplicated, unexpected, and "
        "requests and bytes per poll.",
        "`make test` runs the bounded sizes (a poll capped at 4 pages so small bursts exceed it) and "
        "asserts 0 lost, 0 duplicated and 0 unexpected for every trigger on every platform with a poller "
        "that offers it (a trigger a platform leaves out skips with the platform's reason; a cell a host's "
        "own documented rules cannot keep is a strict expected failure citing that rule, listed in "
        "`tests/simulation/known_limits.py`), and the quiet-poll "
        f"goals. The long run (`{command}`), events lost / duplicated of those expected, every connector: "
        f"{per_host} (`{BASELINE}`: the hand-written peers' strategy, the baseline). Every figure: "
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
