"""The package README, as n8n's community-node verification asks for it: installation, credentials,
usage, an example workflow, compatibility and version history, all from the spec."""

from __future__ import annotations

import json

from connector_core.spec.models import ConnectionField, Connector, Operation
from n8n_bridge.action_node import node_operations, operation_names, resources
from n8n_bridge.example_workflow import chained_operation, example_workflow
from n8n_bridge.fields import input_fields
from n8n_bridge.names import package_directory
from n8n_bridge.properties import summary
from n8n_bridge.package_files import N8N_TESTED, NODE_TESTED, NODES_API_VERSION
from n8n_bridge.publish_workflow import PUBLISH_WORKFLOW_PATH
from n8n_bridge.trigger_node import trigger_operations


def _labels(operations: list[Operation]) -> str:
    return " and ".join(f"**{operation.label}**" for operation in operations)


def _each_poll(connector: Connector, triggers: list[Operation]) -> list[str]:
    """What one poll reads: since a cursor, or (an API with no filter for what changed) the list from its start."""
    since = [op for op in triggers if op.polling and op.polling.cursor is not None]
    walks = [op for op in triggers if op.polling and op.polling.cursor is None]
    notes = []
    if since:
        notes.append(f"- **Each poll**{' of ' + _labels(since) if walks else ''} asks {connector.label} only for what "
                     "changed since the last complete poll (re-reading a short lookback for late writes), resumes "
                     "where a long poll stopped, and emits every event once.")
    for op in walks:
        polling = op.polling
        notes.append(
            f"- **Each poll** of {_labels([op])} reads the list from its first page ({connector.label} has no filter "
            f"for what is new), up to {polling.max_pages} pages of {polling.pagination.page_size}; an event is a "
            "record the trigger has not seen before, whatever the list's order. A poll therefore costs one request "
            f"per {polling.pagination.page_size} records, and grows with the account: past "
            f"{polling.max_pages * polling.pagination.page_size} records a poll stops at its page cap and the next "
            "poll resumes at that page, so new records further down arrive a poll or more later.")
    return notes


def polling_notes(connector: Connector) -> str:
    """What the trigger does on activation, on each poll, on re-activation and in a test, in n8n's terms."""
    triggers = trigger_operations(connector)
    walks = [op for op in triggers if op.polling and op.polling.cursor is None]
    test = ("shows your newest real record (looking back an hour, then a day, then further)"
            if len(walks) < len(triggers) else "")
    if walks:
        first = f"the first record of the list's first page for {_labels(walks)}"
        test = f"{test}, or {first}" if test else f"shows {first}"
    return "\n".join([
        "### How the trigger polls\n",
        "- **First activation**: the trigger notes what already exists and starts from there. The backlog is "
        "not replayed; the first events are the changes made after the workflow was activated.",
        *_each_poll(connector, triggers),
        "- The trigger's state is the workflow's static data, written only after a successful poll: a failed "
        "poll leaves it as it was, and the next poll starts from there.",
        "- **Deactivated and activated again**: n8n keeps the workflow's static data, so the trigger resumes "
        "where it stopped. The poll n8n runs on activation delivers what changed while the workflow was "
        "inactive, each event once. To start afresh instead, rename the trigger node (n8n keeps static data "
        "per node name): the next activation is a first activation again.",
        f"- **Fetch Test Event** (in the editor) {test}, and the example record only when the account has none. "
        "It changes no state.",
    ])


def _credential_field(field: ConnectionField) -> str:
    text = f"- **{field.label}**{'' if field.required else ' (optional)'}: {field.description or ''}".rstrip()
    if field.choices:
        listed = ", ".join(f"{choice.label} (`{choice.value}`)" for choice in field.choices)
        default = next((choice.label for choice in field.choices if choice.value == field.default), None)
        text += f" Choose one of: {listed}" + (f"; {default} by default." if default else ".")
    elif field.default:
        text += f" Default: `{field.default}`."
    if field.pattern:
        text += f" Must match `{field.pattern}`."
    if field.help_url:
        text += f" [Where to find your {field.label}]({field.help_url})."
    return text


def _operations(connector: Connector) -> str:
    names = operation_names(connector)
    rows = [f"| {connector.resources[resource].label} | {names[op.key].action} | {' '.join(op.description.split())} |"
            for resource, operations in resources(connector).items() for op in operations]
    return "| Resource | Operation | What it does |\n|---|---|---|\n" + "\n".join(rows)


def _usage_notes(connector: Connector) -> str:
    notes = ["Required fields come first; the optional ones you rarely need are under **Additional Fields**."]
    operations = node_operations(connector)
    if any(field.locator for operation in operations for field in input_fields(operation)):
        notes.append("An ID field is a resource locator: pick the record **From List**, or enter it **By ID** "
                     "(an expression such as `{{ $json.id }}` works too).")
    every = [field for operation in operations + trigger_operations(connector) for field in input_fields(operation)]
    if any(field.shape == "list" for field in every):
        notes.append("A list field takes one entry per item (**Add** a new one for each); each entry has the item's "
                     "own fields.")
    if any(field.shape == "pairs" for field in every):
        notes.append("A key/value field sends one field per entry (its name and value), beside the named ones; a "
                     "name that a field of its own covers is refused: use that field instead.")
    if any(field.schema.get("format") == "date-time" for field in every):
        notes.append("A date and time needs its UTC offset (`2021-03-05T12:15:00-05:00`, or an expression such as "
                     "`{{ $now.toISO() }}`): a time without one is refused, since the account's time zone is not known.")
    if any(summary(operation) for operation in operations + trigger_operations(connector)):
        notes.append("**Simplify** (on by default) returns a record's main fields only; switch it off for the "
                     "whole record as the API returns it.")
    if any(operation.kind in ("search", "list") for operation in operations):
        notes.append("A search or list that finds nothing returns no items, so the workflow stops there; switch "
                     "on the node setting **Always Output Data** to continue with an empty item instead.")
    if any(operation.destructive for operation in operations):
        notes.append("An operation that cannot be undone shows its warning at the top of the node.")
    return "\n".join(f"- {note}" for note in notes)


def _example(connector: Connector) -> str:
    workflow = example_workflow(connector)
    if workflow is None:
        return ""
    trigger = trigger_operations(connector)[0]
    chained = chained_operation(connector, trigger)
    steps = f"The {connector.label} Trigger on **{trigger.label}**" + (
        f", then **{operation_names(connector)[chained.key].action}** on each record it delivers (its required "
        "fields mapped from the trigger's item; add the fields you want to set)" if chained else "")
    return ("## Example workflow\n\n"
            f"{steps}. Copy the JSON below and paste it into the n8n editor (Ctrl+V), then choose your "
            f"{connector.label} credential on each node.\n\n"
            f"```json\n{json.dumps(workflow, indent=2)}\n```\n\n")


def readme(connector: Connector) -> str:
    publisher = connector.publisher
    triggers = "\n".join(f"- **{op.label}**: {' '.join(op.description.split())}"
                         for op in trigger_operations(connector))
    fields = "\n".join(_credential_field(field) for field in connector.connection.fields)
    history = "\n".join(f"- **{release.version}**: {' '.join(release.notes.split())}" for release in connector.history)
    return (
        f"# {package_directory(connector)}\n\n"
        f"An n8n community node for {connector.label}: {connector.description.strip()}\n\n"
        f"Published by [{publisher.name}]({publisher.homepage}) ({publisher.email}). "
        f"Source: {publisher.repository}. Help: {publisher.support}.\n\n"
        "Generated from the connector spec; do not edit by hand.\n\n"
        "## Installation\n\n"
        "Follow the [community nodes installation guide](https://docs.n8n.io/integrations/community-nodes/installation/) "
        f"and install `{package_directory(connector)}`.\n\n"
        f"## Credentials\n\nCreate a **{connector.label} API** credential:\n\n{fields}\n\n"
        "n8n tests the credential when you save it.\n\n"
        f"## Usage\n\n### {connector.label} node\n\n{_operations(connector)}\n\n{_usage_notes(connector)}\n\n"
        + (f"### {connector.label} Trigger node (polling)\n\n{triggers}\n\n{polling_notes(connector)}\n\n"
           if triggers else "")
        + _example(connector)
        + "## Compatibility\n\n"
        f"- Tested with n8n {N8N_TESTED} (n8n-core running every recorded case, and the n8n CLI).\n"
        f"- n8n nodes API version {NODES_API_VERSION}, strict mode; no runtime dependencies.\n"
        f"- Node.js {' and '.join(NODE_TESTED)}.\n\n"
        f"## Version history\n\n{history}\n\n"
        "## Development and publishing\n\n"
        "```\nnpm install\nnpm run lint\nnpm run build\n```\n\n"
        f"Publishing a GitHub release runs `{PUBLISH_WORKFLOW_PATH}`, which publishes to npm with a provenance "
        "statement (n8n requires one for community nodes from 1 May 2026). Set up npm trusted publishing for "
        "that workflow, or an `NPM_TOKEN` repository secret; the release's tag must be the package version.\n"
    )
