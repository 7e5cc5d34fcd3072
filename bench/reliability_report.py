"""The reliability figures as docs/reliability.md's section: collected per platform over every
connector, laid out with the cases tried beside each count, written between this script's markers."""

from __future__ import annotations

import dataclasses
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reliability_faults import LIMITS, MARGIN_S

from connector_core.faults import FAULT_KINDS

BEGIN = "<!-- reliability-figures:begin (written by bench/reliability.py; do not edit) -->"
END = "<!-- reliability-figures:end -->"
AFTER = "<!-- trigger-simulation:end -->"  # where the section goes the first time
MAKE = ("not run: Make has no runtime here (its scenarios run on Make's servers; "
        "`connectors verify` checks its blueprints)")
KERNEL_HOSTS = "zapier, n8n (the JS kernel they ship unchanged)"


@dataclass
class Findings:
    quick: bool
    command: str
    connectors: list[str] = field(default_factory=list)
    shapes: list[str] = field(default_factory=list)
    results: dict[str, list[Any]] = field(default_factory=dict)  # task label -> figures (or the error) per connector
    committed: Any = None
    seconds: float = 0.0

    def add(self, connector: str, results: dict[str, Any]) -> None:
        for label, result in results.items():
            self.results.setdefault(label, []).append(result)

    def get(self, label: str) -> Any:
        """The task's figures summed over the connectors, or the first error that stopped it."""
        found = self.results.get(label, [])
        errors = [result for result in found if isinstance(result, Exception)]
        if errors or not found:
            return errors[0] if errors else None
        return _summed(found)

    def not_run(self) -> list[str]:
        return [label for label in self.results if not _ran(self.get(label))]

    def failures(self) -> tuple[int, int]:
        """Every failure counted and every case tried, over all tables."""
        failures = tried = 0
        for label in self.results:
            figures = self.get(label)
            if not _ran(figures):
                continue
            tried += figures.tried
            if label.startswith("faults"):
                failures += figures.tried - figures.survived
            elif label.startswith("inputs"):
                failures += figures.unhandled + figures.invalid_sent + figures.leaks
            elif label.startswith("escapes"):
                failures += figures.escaped
            else:
                failures += figures.leaks
        if _ran(self.committed):
            tried, failures = tried + self.committed.tried, failures + self.committed.leaks
        return failures, tried


def render(findings: Findings) -> str:
    failures, tried = findings.failures()
    size = "quick sizes" if findings.quick else "long sizes"
    verdict = (f"**{failures:,} failures in {tried:,} cases.**" if failures or findings.not_run()
               else f"**Every failure count is 0 ({tried:,} cases).**")
    lines = [BEGIN, "## Hostile servers, hostile input, keys, duplicate writes",
             "",
             *_prose(f"Measured by `{findings.command}` ({size}, {findings.seconds:.0f} s; connectors: "
                     f"{', '.join(findings.connectors)}), from real runs over loopback HTTP; nothing here is typed "
                     f"in. {verdict} Each count has the cases tried beside it; a row that could not run says why."),
             "", *faults_table(findings), "", *inputs_table(findings), "", *escapes_table(findings), "",
             *leaks_table(findings), "", *failures_seen(findings), END]
    return "\n".join(lines) + "\n"


def faults_table(findings: Findings) -> list[str]:
    kinds = ", ".join(f"`{name}`" for name in FAULT_KINDS)
    rows = ["### Faults tried and survived", "", *_prose(
            f"Every fault kind of `connector_core/faults` x the representative operations "
            f"({'; '.join(findings.shapes)}), with the connector's limits made small "
            f"({LIMITS['timeout']:g} s timeout, {LIMITS['deadline']:g} s deadline). Survived: the outcome "
            "`faults.expected` names, no more requests than a correct client sends (so no write sent twice that "
            "is not safe to re-send), no credential at the redirect's other origin, no key in the error in any "
            f"encoding, done within the deadline plus {MARGIN_S:g} s (else a hang). Zapier and n8n retry on "
            "their own, so their apps send once and surface the first failure."), "",
            "| platform | faults tried | survived | wrong outcome | more requests than allowed | duplicate writes "
            "| credential at another origin | key in an error | hangs |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    rows += _measured_rows(findings, [([host], f"faults {host}") for host in ("python", "zapier", "n8n")],
                           ("tried", "survived", "wrong_outcome", "extra_requests", "duplicate_writes",
                            "credential_elsewhere", "key_in_error", "hangs"), ["make"])
    return [*rows, "", *_prose(f"Fault kinds ({len(FAULT_KINDS)}): {kinds}.")]


def inputs_table(findings: Findings) -> list[str]:
    rows = ["### Hostile inputs", "", *_prose(
            "A seeded generator (no hypothesis; the same inputs every run) writes inputs for every operation of "
            "every bundled connector: valid values, values the rules refuse (lone surrogates, trailing newlines, "
            "other scripts' digits, `7.5` for an integer, dot segments, 9,000-character values, unknown and "
            "non-ASCII keys), and values of the wrong type. Each runs to the end against a stand-in that answers "
            "the operation's sample. Invalid sent: a request went out although the input is invalid, as "
            "`tests/properties/outcomes.py` (the property tests' oracle: the rules of docs/conformance.md written "
            "apart from the runtimes) judges it: the request carries a value the input schema refuses (`7.0` for "
            "an integer, a target over 8,000 characters) or addresses another endpoint."), "",
            "| runtime | platforms | inputs tried | unhandled exceptions | invalid inputs sent | key in an error |",
            "|---|---|---:|---:|---:|---:|"]
    measured = [([runtime, hosts], f"inputs {runtime}") for runtime, hosts in (("python", "python"), ("kernel", KERNEL_HOSTS))]
    return rows + _measured_rows(findings, measured, ("tried", "unhandled", "invalid_sent", "leaks"), ["make", "make"])


def escapes_table(findings: Findings) -> list[str]:
    rows = ["### Ids reaching another endpoint", "", *_prose(
            "Path values that would change the endpoint (`.`, `..`, `/`, `?`, `#`, and their encoded, double-encoded "
            "and look-alike forms) for every path parameter, through each host. A value must be refused or arrive "
            "as one segment of the operation's own endpoint that decodes to exactly itself."), "",
            "| platform | path values tried | refused | sent to their own endpoint | reached another endpoint |",
            "|---|---:|---:|---:|---:|"]
    return rows + _measured_rows(findings, [([host], f"escapes {host}") for host in ("python", "zapier", "n8n")],
                                 ("tried", "refused", "at_endpoint", "escaped"), ["make"])


def leaks_table(findings: Findings) -> list[str]:
    rows = ["### Key leaks per surface", "", *_prose(
            "The bench's key holds a space, `+`, `/`, `=`, `&`, `%` and quotes, so that its raw, percent-encoded "
            "(either hex case), form-encoded, JSON-escaped and base64 spellings all differ; a surface leaks when "
            "it holds any of them."), "",
            "| surface | tried | leaks |", "|---|---:|---:|"]
    sources = [("error messages, python (faults)", "faults python", "key_in_error"),
               ("error messages, python (hostile inputs)", "inputs python", "leaks"),
               ("error messages, zapier (faults)", "faults zapier", "key_in_error"),
               ("error messages, JS kernel (hostile inputs)", "inputs kernel", "leaks"),
               ("n8n error objects, everything they hold (faults)", "faults n8n", "key_in_error")]
    for surface, label, count in sources:
        figures = findings.get(label)
        rows.append(f"| {surface} | {figures.tried:,} runs | {getattr(figures, count):,} |" if _ran(figures)
                    else f"| {surface} | {_why(figures)} | |")
    for label in ("surface cli", "surface recordings", "surface build"):
        figures = findings.get(label)
        rows.append(f"| {figures.name} | {figures.tried:,} {figures.unit} | {figures.leaks:,} |" if _ran(figures)
                    else f"| {label.split()[1]} | {_why(figures)} | |")
    committed = findings.committed
    if _ran(committed):
        rows.append(f"| {committed.name} (the key, or a credential header not masked) | {committed.tried:,} files "
                    f"| {committed.leaks:,} |")
    return rows


def failures_seen(findings: Findings) -> list[str]:
    """The first few failures of each kind, so that a count other than 0 can be looked into."""
    seen = [f"- {label}: {example}" for label in findings.results if _ran(findings.get(label))
            for example in findings.get(label).examples[:4]]
    if _ran(findings.committed):
        seen += [f"- committed cassettes: {example}" for example in findings.committed.examples[:4]]
    return ["### What failed (first examples)", "", *(seen or ["Nothing."]), ""]


def write_section(path: Path, section: str) -> None:
    """Replace this script's section of `path`; the first time, put it after the trigger section."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Reliability\n\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section.rstrip("\n") + rest.split(END, 1)[1]
    elif AFTER in text:
        head, rest = text.split(AFTER, 1)
        text = head + AFTER + "\n\n" + section.rstrip("\n") + rest
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def _prose(text: str) -> list[str]:
    """A paragraph wrapped at 100 characters, as the rest of the document is."""
    return textwrap.wrap(text, 100, break_long_words=False, break_on_hyphens=False)


def _measured_rows(findings: Findings, hosts: list[tuple[list[str], str]], counts: tuple[str, ...],
                   make: list[str]) -> list[str]:
    """A row per measured host (its leading cells, then each count; a host that could not run says
    why), then Make's row, which is not measured (MAKE says why)."""
    rows = []
    for lead, label in hosts:
        figures = findings.get(label)
        values = [f"{getattr(figures, count):,}" for count in counts] if _ran(figures) else [_why(figures)]
        rows.append(_row([*lead, *values], len(lead) + len(counts)))
    return [*rows, _row([*make, MAKE], len(make) + len(counts))]


def _row(cells: list[str], width: int) -> str:
    """A Markdown table row of `width` cells, the missing ones empty."""
    cells = cells + [""] * (width - len(cells))
    return "|" + "|".join(f" {cell} " if cell else " " for cell in cells) + "|"


def _ran(figures: Any) -> bool:
    return figures is not None and not isinstance(figures, Exception)


def _why(figures: Any) -> str:
    if figures is None:
        return "not run"
    first_line = (str(figures).splitlines() or [""])[0][:160]
    return f"not run: {type(figures).__name__}: {first_line}".replace("|", "/")


def _summed(found: list[Any]) -> Any:
    """Figures of one kind added up field by field (lists joined)."""
    total = dataclasses.replace(found[0])
    for other in found[1:]:
        for item in dataclasses.fields(total):
            mine, theirs = getattr(total, item.name), getattr(other, item.name)
            if isinstance(mine, (int, list)) and not isinstance(mine, bool):
                setattr(total, item.name, mine + theirs)
    return total
