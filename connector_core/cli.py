"""The `connectors` command line (also `python -m connector_core`).

Exit codes: 0 success; 2 invalid input or usage (nothing was sent); 1 an API or transport
error, or a failed verification. Errors are one line on stderr and never contain a secret.

Arguments are parsed before anything heavy is imported: pydantic, jsonschema, httpx and YAML
cost about half a second to import, which `--help` or a mistyped option should never pay. Each
command imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from connector_core.apis import bundled_apis

if TYPE_CHECKING:
    from connector_core.runtime import Client
    from connector_core.spec import Connector, Operation

EXIT_OK, EXIT_API, EXIT_USAGE = 0, 1, 2
CASSETTES = Path("tests/cassettes")  # a connector's recording: CASSETTES/<connector>/


class UsageError(Exception):
    """Bad arguments or input: reported with exit code 2, nothing sent."""


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from connector_core.runtime import ConnectionSettingsError, ConnectorError, InputValidationError
    from connector_core.runtime.polling import PollStateError
    from connector_core.spec import SpecError
    from connector_core.toolchains import ToolchainMissing

    try:
        code = args.handler(args)
        sys.stdout.flush()   # inside the try: a reader that left shows here at the latest
        return code
    except (UsageError, InputValidationError, ConnectionSettingsError, PollStateError, SpecError,
            ToolchainMissing) as error:
        return fail(str(error), EXIT_USAGE)
    except ConnectorError as error:
        return fail(str(error), EXIT_API)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader left (`connectors list | head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush cannot fail again
        return 141


def fail(message: str, code: int) -> int:
    first_line, _, rest = message.partition("\n")
    print(f"error: {first_line}" + (f"\n{rest}" if rest else ""), file=sys.stderr)
    return code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="connectors", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="list every operation of every connector")
    listing.add_argument("--connector", help="only this connector")
    listing.add_argument("--format", choices=["table", "json"], default="table")
    listing.set_defaults(handler=cmd_list)

    run = commands.add_parser("run", help="run one operation and print the JSON result "
                                          "(a trigger: what changed in its polling window)")
    _add_target(run)
    run.add_argument("--input", default="{}", help="input as JSON, or @FILE to read it from a file")
    run.set_defaults(handler=cmd_run)

    poll = commands.add_parser("poll", help="poll a trigger, printing each new event once (JSON lines); "
                                            "the first run only sets a baseline")
    _add_target(poll)
    poll.add_argument("--input", default="{}", help="input as JSON, or @FILE")
    kept = poll.add_mutually_exclusive_group(required=True)
    kept.add_argument("--state", type=Path, help="state file keeping the cursor across runs")
    kept.add_argument("--latest", action="store_true", help="print the newest record (a manual test; the spec's sample when there is none); no state")
    poll.add_argument("--interval", type=float, help="keep polling every N seconds (default: poll once)")
    poll.set_defaults(handler=cmd_poll)

    options = commands.add_parser("options", help="print a dropdown's choices (value and label) as JSON")
    _add_target(options, "source", "option source key (the spec's `option_sources`)")
    options.add_argument("--input", default="{}", help="the other fields of the form a dropdown reads "
                         "(its source's `input`), as JSON, or @FILE")
    options.set_defaults(handler=cmd_options)

    sandbox = commands.add_parser("sandbox", help="serve the local API sandbox")
    _add_connector_option(sandbox)
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8787)
    sandbox.add_argument("--db", default=":memory:", help="SQLite file (default: in memory)")
    sandbox.add_argument("--api-key", help="the key clients must send (default: sandbox-key)")
    sandbox.add_argument("--deterministic", action="store_true", help="fixed clock and predictable ids")
    sandbox.add_argument("--quiet", action="store_true", help="do not log each request (method, path, status, time)")
    sandbox.set_defaults(handler=cmd_sandbox)

    record = commands.add_parser("record", help="re-record the cassettes (sandbox by default)")
    _add_connector_option(record)
    record.add_argument("--out", type=Path, help="cassette directory (default: tests/cassettes/CONNECTOR)")
    record.add_argument("--base-url", help="record against this live API; its key comes from the environment")
    record.set_defaults(handler=cmd_record)

    verify = commands.add_parser("verify", help="check every operation on every platform against its cassettes")
    verify.add_argument("--connector", help="only this connector (default: every connector recorded in "
                        "tests/cassettes/)")
    verify.add_argument("--cassettes", type=Path, help="cassette directory of one connector (default: "
                        "tests/cassettes/CONNECTOR)")
    verify.add_argument("--platform", action="append", help="only this platform (repeatable)")
    verify.add_argument("--format", choices=["table", "json", "junit"], default="table",
                        help="json: per case expected, actual and field diff; junit: JUnit XML for CI")
    verify.set_defaults(handler=cmd_verify)

    report = commands.add_parser("report", help="verify, then write one self-contained HTML page: the matrix, "
                                                "each failing case's field diff, each operation's form per platform")
    _add_connector_option(report, or_cassettes=True)
    report.add_argument("--cassettes", type=Path, help="cassette directory (default: tests/cassettes/CONNECTOR)")
    report.add_argument("--platform", action="append", help="only this platform (repeatable)")
    report.add_argument("--out", type=Path, default=Path("report.html"), help="the page (default: report.html)")
    report.set_defaults(handler=cmd_report)

    replay = commands.add_parser("replay", help="serve recorded cassettes to any HTTP client")
    _add_connector_option(replay, or_cassettes=True)
    replay.add_argument("--cassettes", type=Path, help="cassette directory (default: tests/cassettes/CONNECTOR)")
    replay.add_argument("--host", default="127.0.0.1")
    replay.add_argument("--port", type=int, default=8788)
    replay.set_defaults(handler=cmd_replay)

    check = commands.add_parser("check", help="run every platform's own validators (schemas, tsc, linters, "
                                              "scanners) on every connector's artifact")
    check.add_argument("--connector", action="append", help="only this connector (repeatable; default: all)")
    check.add_argument("--platform", action="append", help="only this platform (repeatable)")
    check.add_argument("--format", choices=["table", "json"], default="table")
    check.set_defaults(handler=cmd_check)

    build = commands.add_parser("build", help="write the generated artifacts")
    build.add_argument("--out", type=Path, default=Path("dist"))
    build.add_argument("--connector", action="append", help="only this connector (repeatable; default: all)")
    build.set_defaults(handler=cmd_build)
    return parser


def _add_target(parser: argparse.ArgumentParser, what: str = "operation",
                what_help: str = "operation key (see `connectors list`)") -> None:
    parser.add_argument("connector", help="connector name (see `connectors list`)")
    parser.add_argument(what, help=what_help)
    parser.add_argument("--base-url", help="API base URL (default: the connector's, or its environment variable)")
    parser.add_argument("--api-key", help="API key; prefer the environment variable its spec names (`env`), "
                        "which stays out of shell history and process lists")
    parser.add_argument("--timeout", type=_seconds, metavar="SECONDS",
                        help="seconds each request may take (default: the spec's limits.timeout); the operation's "
                        "deadline, limits.deadline, bounds retries as well")


def _add_connector_option(parser: argparse.ArgumentParser, *, or_cassettes: bool = False) -> None:
    """`--connector`: optional when one connector is bundled (it is the default), required otherwise,
    unless `--cassettes` names the recording (which names its connector).

    Read from the folders (`bundled_apis`), not through the spec package, which imports pydantic."""
    names = bundled_apis()
    default = names[0] if len(names) == 1 else None
    required = default is None and not or_cassettes
    text = f"the connector (default: {default})" if default else (
        "the connector (or --cassettes)" if or_cassettes else "the connector")
    parser.add_argument("--connector", default=default, required=required, help=text)


# --- commands ---------------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    from connector_core.spec import bundled_connectors, load_connector

    names = [args.connector] if args.connector else bundled_connectors()
    rows = [
        {"connector": connector.name, "key": op.key, "kind": op.kind, "label": op.label,
         "method": op.request.method, "path": op.request.path}
        for connector in map(load_connector, names) for op in connector.operations.values()
    ]
    if args.format == "json":
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    widths = {column: max(len(column), *(len(str(row[column])) for row in rows)) for column in rows[0]}
    print("  ".join(column.ljust(widths[column]) for column in widths))
    for row in rows:
        print("  ".join(str(row[column]).ljust(widths[column]) for column in widths))
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    value = _parse_input(args.input)
    with _client(args) as client:
        result = client.run(args.operation, value)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return EXIT_OK


def cmd_poll(args: argparse.Namespace) -> int:
    if _operation(args).kind != "trigger":
        raise UsageError(f"{args.operation} is not a trigger; use `connectors run`")
    value = _parse_input(args.input)
    from connector_core.runtime.polling import load_state, save_state

    if args.latest:
        with _client(args) as client:
            for event in client.latest(args.operation, value).events:
                print(json.dumps(event, ensure_ascii=False), flush=True)
        return EXIT_OK
    load_state(args.state)  # an unusable state file is reported before anything is sent or printed
    with _client(args) as client:
        while True:
            result = client.poll(args.operation, load_state(args.state), value)
            save_state(args.state, result.state)  # saved first: a crash while printing repeats nothing
            for event in reversed(result.events):  # oldest first, as a stream reads naturally
                print(json.dumps(event, ensure_ascii=False), flush=True)
            if args.interval is None:
                return EXIT_OK
            time.sleep(args.interval)


def cmd_options(args: argparse.Namespace) -> int:
    value = _parse_input(args.input)
    with _client(args) as client:
        choices = client.options(args.source, value)
    print(json.dumps(choices, indent=2, ensure_ascii=False))
    return EXIT_OK


def cmd_sandbox(args: argparse.Namespace) -> int:
    from connector_core.sandbox import DEFAULT_API_KEY, Sandbox
    from connector_core.wire import secret_header, secret_header_value

    sandbox = Sandbox(args.connector, host=args.host, port=args.port, db_path=args.db,
                      api_key=args.api_key or DEFAULT_API_KEY, deterministic=args.deterministic,
                      log=None if args.quiet else _log_line)
    connector = sandbox.connector
    key_hint = ("the key given with --api-key" if args.api_key
                else f"{secret_header(connector)}: {secret_header_value(connector, DEFAULT_API_KEY)}")
    with _listening(args.host, args.port):
        sandbox.serve_forever(ready=lambda: print(
            f"{connector.label} sandbox at {sandbox.base_url} (send {key_hint}); Ctrl-C stops it", flush=True))
    return EXIT_OK


def cmd_record(args: argparse.Namespace) -> int:
    from connector_core.cassettes.recording import record
    from connector_core.runtime import ConnectionSettings
    from connector_core.spec import load_connector

    api_key = None
    if args.base_url:
        settings = ConnectionSettings(load_connector(args.connector), base_url=args.base_url)
        api_key = settings.secrets[0] if settings.secrets else None
    out = args.out or CASSETTES / args.connector
    index = record(args.connector, out, base_url=args.base_url, api_key=api_key, log=print, progress=_progress())
    print(f"{len(index.cases)} case(s) recorded against the {index.recorded_against} into {out}")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from connector_core.cassettes.junit import render_junit
    from connector_core.cassettes.verify import render_json, render_table

    cells = _verified(args, _recordings(args))
    renderers = {"table": render_table, "json": render_json, "junit": render_junit}
    print(renderers[args.format](cells), end="" if args.format == "junit" else "\n")
    return EXIT_OK if not any(cell.status == "fail" for cell in cells) else EXIT_API


def cmd_report(args: argparse.Namespace) -> int:
    """Verify once, write the page, and exit 1 (after writing it) when any cell failed."""
    from connector_core.report import write_report

    cells = _verified(args, [_one_recording(args)])
    write_report(args.out, cells)
    failed = sum(1 for cell in cells if cell.status == "fail")
    print(f"wrote {args.out}: {len(cells) - failed} passed, {failed} failed")
    return EXIT_OK if not failed else EXIT_API


def _verified(args: argparse.Namespace, recordings: list[Path]) -> list[Any]:
    """verify's cells for each recording (cassette directory) on `--platform` (or every platform),
    in one list: one table, a row per connector and operation."""
    from connector_core.cassettes.cases import load_index
    from connector_core.cassettes.verify import verify
    from connector_core.checks import check, with_check_problems

    _known_platforms(args.platform)
    recorded = [load_index(cassettes).connector for cassettes in recordings]  # a usage error before the long checks
    checked = check(recorded, args.platform, progress=_progress())  # green means publishable too
    cells = [cell for cassettes in recordings for cell in verify(cassettes, args.platform, progress=_progress())]
    return with_check_problems(cells, checked)


def _recordings(args: argparse.Namespace) -> list[Path]:
    """The cassette directories a command reads: `--cassettes`, the named connector's, or (with
    neither) those of every bundled connector that has been recorded."""
    if args.cassettes or args.connector:
        return [args.cassettes or CASSETTES / args.connector]
    recorded = [CASSETTES / name for name in bundled_apis() if (CASSETTES / name / "index.json").is_file()]
    if not recorded:
        raise UsageError(f"no recorded cassettes in {CASSETTES}/ for any connector "
                         "(run `connectors record --connector NAME`)")
    return recorded


def _one_recording(args: argparse.Namespace) -> Path:
    """The one cassette directory a command serves or reports: `--cassettes` or the connector's."""
    if not (args.cassettes or args.connector):
        raise UsageError(f"name the recording: --connector ({', '.join(bundled_apis())}) or --cassettes")
    return args.cassettes or CASSETTES / args.connector


def cmd_check(args: argparse.Namespace) -> int:
    from connector_core.checks import check, render_json, render_table

    _known_platforms(args.platform)
    results = check(args.connector, args.platform, progress=_progress())
    print(render_json(results) if args.format == "json" else render_table(results))
    return EXIT_OK if all(result.ok for result in results) else EXIT_API


def cmd_replay(args: argparse.Namespace) -> int:
    from connector_core.cassettes.replay import ReplayServer

    recording = _one_recording(args)
    with _listening(args.host, args.port):
        server = ReplayServer(recording, host=args.host, port=args.port)
    print(f"replaying {len(server.index.cases)} case(s) at {server.root_url}; API key: {server.api_key}")
    for case in server.index.cases:
        print(f"  {case.name}: {server.base_url(case.name)}")
    print(f"report: {server.root_url}/_replay/report", flush=True)
    server.serve_forever()
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from connector_core.build import build

    written = build(args.out, args.connector)
    print(f"wrote {len(written)} file(s) to {args.out}")
    return EXIT_OK


# --- helpers ----------------------------------------------------------------------------------


def _version() -> str:
    try:
        return metadata.version("connector-core")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


@contextlib.contextmanager
def _listening(host: str, port: int) -> Iterator[None]:
    """A port that cannot be listened on is a usage error in one line, not a traceback."""
    try:
        yield
    except OSError as error:
        hint = "; choose another with --port" if error.errno == errno.EADDRINUSE else ""
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror or error}{hint}") from None


def _known_platforms(names: list[str] | None) -> None:
    from connector_core.platforms import platform_names

    unknown = sorted(set(names or []) - set(platform_names()))
    if unknown:
        raise UsageError(f"unknown platform(s) {unknown}; known: {platform_names()}")


def _progress() -> Callable[[str], None]:
    """A line on stderr per long step when someone watches it (a terminal); nothing in a pipe or a log."""
    return _log_line if sys.stderr.isatty() else _quiet


def _quiet(line: str) -> None:
    """Progress nobody watches."""


def _log_line(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _operation(args: argparse.Namespace) -> Operation:
    from connector_core.spec import load_connector

    connector = load_connector(args.connector)
    if args.operation not in connector.operations:
        raise UsageError(f"connector {connector.name!r} has no operation {args.operation!r} "
                         f"(known: {', '.join(connector.operations)})")
    return connector.operations[args.operation]


def _source(connector: Connector, source: str) -> None:
    if source not in connector.option_sources:
        raise UsageError(f"connector {connector.name!r} has no option source {source!r} "
                         f"(known: {', '.join(connector.option_sources) or 'none'})")


def _client(args: argparse.Namespace) -> Client:
    from connector_core.runtime import Client
    from connector_core.spec import load_connector

    connector = load_connector(args.connector)
    if "source" in args:
        _source(connector, args.source)
    else:
        _operation(args)
    if args.timeout is not None:
        connector = connector.model_copy(update={"limits": connector.limits.model_copy(update={"timeout": args.timeout})})
    connection = {connector.connection.credential.key: args.api_key} if args.api_key else None
    return Client(connector, connection=connection, base_url=args.base_url)


def _integer(digits: str) -> int | float:
    """An integer of --input; past Python's 4,300-digit limit, the float it reads as (infinite), which
    the input rules then refuse naming its field, as they refuse any number past a double's range."""
    return int(digits) if len(digits) <= 4300 else float(digits)


def _seconds(text: str) -> float:
    """A positive number of seconds, for --timeout."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not seconds > 0 or seconds == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return seconds


def _parse_input(text: str) -> Any:
    if text.startswith("@"):
        try:
            text = Path(text[1:]).read_text(encoding="utf-8")
        except OSError as error:
            raise UsageError(f"cannot read input file {text[1:]}: {error.strerror}") from None
    try:
        value = json.loads(text, parse_int=_integer)
    except json.JSONDecodeError as error:
        raise UsageError(f"--input is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    if not isinstance(value, dict):
        raise UsageError("--input must be a JSON object")
    return value


if __name__ == "__main__":
    sys.exit(main())
