"""README.md of the generated app: what it contains and how to deploy it (also the app's
readme in Make, which is why the manifest names it)."""

from __future__ import annotations

from connector_core.spec.models import Connector, timestamp_annotations
from make_blueprints import universal
from make_blueprints.layout import ICON, ICON_SIZE
from make_blueprints.modules import Module
from make_blueprints.names import app_id
from make_blueprints.offer import declined_operations


def readme(connector: Connector, app_modules: list[Module], rpcs: dict[str, str]) -> str:
    lines = [f"# {connector.label} for Make", "", connector.description, "",
             "Generated from the connector spec; do not edit by hand.", "", "## Modules", ""]
    lines += [f"- **{m.label}** (`{m.name}`, {m.module_type}{', ' + m.crud if m.crud else ''}): "
              f"{m.operation.description}" for m in app_modules]
    lines += [f"- **{universal.LABEL}** (`{universal.NAME}`, universal): {universal.DESCRIPTION} Give a path "
              "relative to the connection's base URL (a full URL is refused, so the credentials stay with the API)."]
    left_out = declined_operations(connector)
    if left_out:
        lines += ["", "Not offered on Make, because Make keeps one item of a watch trigger's state (its date and id) "
                      "and these would lose or repeat events there:", ""]
        lines += [f"- **{connector.operations[key].label}** ({key}): {why}"
                  for key, why in left_out.items()]
    if rpcs:
        lines += ["", "Dropdowns are filled by the RPCs " + ", ".join(f"`{name}`" for name in rpcs.values()) + "."]
    by_key = {m.operation.key: m for m in app_modules}
    pairs = [(m, by_key[m.operation.or_create]) for m in app_modules if m.operation.or_create]
    if pairs:
        lines += ["", "Make has no search-or-create module; chain the pair yourself (the search, then a router "
                      "whose route without a bundle runs the action):", ""]
        lines += [f"- **{search.label}**, else **{create.label}**" for search, create in pairs]
    lines += [
        "", "## Deploy with the Make Apps Editor (VS Code)", "",
        "1. Install the *Make Apps Editor* extension in VS Code and create a Make API token "
        "(scopes for custom apps).",
        "2. Create an empty custom app in Make, or pick an existing one, and note its app id.",
        f"3. In `makecomapp.json`, set `origins[0].appId` (now `{app_id(connector)}`) to that id and "
        "`origins[0].baseUrl` to your Make zone (for example `https://eu1.make.com/api`).",
        "4. Put the Make API token into `.secrets/apikey` next to `makecomapp.json` (never commit it).",
        "5. Open this folder in VS Code, right-click `makecomapp.json` and choose **Deploy to Make**; "
        "the extension asks how to pair each local component with the app's and creates the missing ones.",
        f"6. Upload `{ICON}` ({ICON_SIZE}x{ICON_SIZE} PNG, rendered from the connector's logo) as the app's icon: "
        "the extension's *Get/change icon* command on the app, or the app's settings in Make.",
        "", "## Example scenarios", "",
        "`blueprints/*.json` are scenario blueprints using these modules: in Make, create a scenario, "
        "choose *Import Blueprint*, then pick your connection in each module. Their module ids read "
        f"`{app_id(connector)}:<module>`; change the prefix if your app id differs.",
        "", "## Behaviour", "",
        _watch_triggers(app_modules),
    ]
    if any(m.operation.polling is not None and m.operation.polling.cursor is None for m in app_modules):
        lines += [
            "- A watch trigger whose API cannot ask for what changed since a date reads the list from its first "
            "page on every run (up to 3200 records: a run's cost grows with the account) and outputs the items "
            "whose id comes after the last one it output. *From now on* reads one run and remembers its last "
            "item, outputting nothing. A record beyond the 3200 read, or with an id lower than the last one "
            "output, is not output."]
    lines += [
        "- Searches and lists output one bundle per record found and none when nothing is found (the API's "
        "not-found status included); *Limit* caps how many one run outputs (empty: all it reads). A search "
        "that reads page after page stops at its last page and fails if that page is still full, rather than "
        "output part of what it found. Watch triggers output at most *Limit* items per run, the rest in the "
        "next runs.",
        "- Errors show the API's own message on one line, with the key replaced by `***`. Invalid "
        "credentials are `InvalidAccessTokenError`, rate limits `RateLimitError`, temporary server failures "
        "(any 5xx) `ConnectionError`, anything else (a redirect too) `RuntimeError`. Retries are the "
        "scenario's: add a Break or Retry error handler.",
        "- Inputs are checked by Make before anything is sent: types, lengths, ranges, patterns, real dates "
        "(YYYY-MM-DD), emails; an ID sent in the URL path may not be `.` or `..` (also percent-encoded), "
        "and a header value may not hold control characters.",
        "- Empty fields are not sent; the credential header is removed from Make's logs.",
    ]
    if any(timestamp_annotations(m.operation.output) for m in app_modules):
        lines.append("- Dates the API sends as epoch milliseconds are also output as dates, beside the API's own "
                     "numbers, so Make shows them in your time zone and date functions take them as they are.")
    lines.append("")
    return "\n".join(lines)


def _watch_triggers(app_modules: list[Module]) -> str:
    """How a dated watch trigger runs: Make's stored item, and the wait that keeps late writes."""
    waits = {m.operation.polling.lookback_ms for m in app_modules
             if m.operation.polling is not None and m.operation.polling.cursor is not None}
    wait = f"{waits.pop() / 60_000:g} minutes" if len(waits) == 1 else "a few minutes"
    return ("- Watch triggers start *From now on* (or where you choose in *Choose where to start*). Make "
            "remembers the last item it output (date and id) and never outputs an item dated before it, so each "
            "run asks the API for everything changed since that date, a little earlier for late writes, reads "
            "every page (up to 3200 records) and outputs, oldest first, the newer items that have settled: those "
            f"the API's clock is {wait} past, so a record written late is output in its turn instead of "
            "skipped, and events arrive that much later than elsewhere. A scenario switched off "
            "continues where it stopped. A run reads at most 3200 records and cannot go on where it stopped: "
            "when more records change between two runs, those it did not read are not output, so schedule the "
            "scenario often enough to see fewer changes a run.")
