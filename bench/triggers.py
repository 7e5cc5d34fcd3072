"""The trigger simulation's long run: every connector with a trigger x scenario x trigger x host (and
the peers' baseline).

Writes its section of docs/reliability.md and docs/polling.md's "How it is proven", then prints
the headline figures as JSON lines for bench/run.py. `--bounded` runs the `make test` sizes (quick,
for a look); `--connector`, `--platform` and `--scenario` narrow the run (the documents are then not
written).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, Figure, emit

from connector_core.document import runtime_document
from connector_core.platforms import NotOffered, Polling, platforms
from connector_core.simulation import report
from connector_core.simulation.peers import PeersPoller
from connector_core.simulation.run import Outcome, PollerFactory, run, sized
from connector_core.simulation.scenarios import SCENARIOS
from connector_core.simulation.shape import simulated_connectors, triggers
from connector_core.spec.loader import load_connector

COMMAND = "make bench-triggers"


def hosts(work: Path, wanted: list[str]) -> tuple[dict[str, PollerFactory], dict[str, str]]:
    """Every platform with a poller (and the peers), and why the others are skipped."""
    found: dict[str, PollerFactory] = {}
    skipped: dict[str, str] = {}
    for name, platform in platforms().items():
        if wanted and name not in wanted:
            continue
        if not isinstance(platform, Polling):
            skipped[name] = "its platform plugin has no `poller`"
            continue
        folder = work / name
        folder.mkdir()
        found[name] = lambda doc, trigger, url, conn, platform=platform, folder=folder: platform.poller(
            doc, trigger, url, conn, folder)
    if not wanted or "peers" in wanted:
        found["peers"] = lambda doc, trigger, url, conn: PeersPoller(doc, trigger, url, conn)
    return found, skipped


def headline(outcomes: list[Outcome], documents: report.Documents) -> list[Figure]:
    """Lost or duplicated over everything; per host, the worst quiet poll of a trigger with a since filter
    (one without pays for its list, docs/polling.md) against the peers'."""
    ours = [o for o in outcomes if o.platform != report.BASELINE]
    peers = [o for o in outcomes if o.platform == report.BASELINE]
    quiet = {id(o) for o in outcomes if o.scenario in report.QUIET and report.has_cursor(documents, o)}
    wrong = sum(o.tally.lost + o.tally.duplicated for o in ours)
    peers_wrong = sum(o.tally.lost + o.tally.duplicated for o in peers)
    figures = [Figure("trigger events lost or duplicated, every scenario x trigger x platform", f"{wrong:,}",
                      f"{peers_wrong:,} (peers' strategy)", None, "0", wrong == 0, COMMAND)]
    for platform in dict.fromkeys(o.platform for o in ours):
        mine = [p.bytes for o in ours if o.platform == platform and id(o) in quiet for p in o.costs(True)]
        theirs = [p.bytes for o in peers if id(o) in quiet for p in o.costs(True)]
        if mine and theirs:
            ratio = min(theirs) / max(1, max(mine))
            goal, met = ("25x fewer bytes than the peers", ratio >= 25) if platform == "zapier" else \
                ("under 1 KB, one request", max(mine) < 1024)
            figures.append(Figure(f"quiet poll at 10,000 records with a since filter, {platform} (worst)", f"{max(mine):,} B",
                                  f"{min(theirs):,} B (peers)", round(ratio, 1), goal, met, COMMAND))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bounded", action="store_true", help="the bounded sizes of `make test`")
    parser.add_argument("--connector", action="append", default=[], help="only this connector (repeatable)")
    parser.add_argument("--platform", action="append", default=[], help="only this host (repeatable; 'peers' too)")
    parser.add_argument("--scenario", action="append", default=[], help="only this scenario (repeatable)")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs", help="the folder of reliability.md and polling.md")
    args = parser.parse_args()
    long = not args.bounded
    documents = {name: sized(runtime_document(load_connector(name)), long) for name in simulated_connectors()
                 if not args.connector or name in args.connector}
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="sim-") as work:
        factories, skipped = hosts(Path(work), args.platform)
        for name, factory in factories.items():
            for connector, document in documents.items():
                for scenario in SCENARIOS:
                    if args.scenario and scenario.name not in args.scenario:
                        continue
                    for trigger in sorted(triggers(document)):
                        started = time.monotonic()
                        try:
                            outcome = run(scenario, document, trigger, name, factory, long=long)
                        except NotOffered as why:  # the platform's artifact leaves it out
                            skipped[f"{name} {connector} {trigger}"] = str(why)
                            continue
                        except Exception as error:  # one host failing must not hide the others' figures
                            skipped[f"{name} {connector} {scenario.name} {trigger}"] = \
                                f"failed: {type(error).__name__}: {error}"
                            continue
                        outcomes.append(outcome)
                        t = outcome.tally
                        print(f"{name:7} {connector:18} {scenario.name:17} {trigger:14} expected {t.expected:6,} "
                              f"lost {t.lost:5,} dup {t.duplicated:5,} unexp {t.unexpected:4,} "
                              f"{time.monotonic() - started:6.1f}s", file=sys.stderr, flush=True)
    if not (args.connector or args.platform or args.scenario):
        report.write_between_markers(args.docs / "reliability.md", report.reliability_section(
            outcomes, documents=documents, long=long, skipped=skipped,
            command=COMMAND + (" --bounded" if args.bounded else "")))
        report.write_proof(args.docs / "polling.md", report.proof_section(outcomes, documents=documents, command=COMMAND))
    emit(headline(outcomes, documents))
    return 0


if __name__ == "__main__":
    sys.exit(main())
