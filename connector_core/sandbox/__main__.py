"""``python -m connector_core.sandbox``: run the sandbox until Ctrl-C."""

from __future__ import annotations

import argparse
import os
import threading

from . import DEFAULT_API_KEY, Sandbox


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Local Hellotracks /v1 sandbox server.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--db", default=":memory:", help="SQLite file path (default: in memory)")
    parser.add_argument("--deterministic", action="store_true", help="fixed clock and counter ids")
    args = parser.parse_args(argv)
    # The key comes from the environment, never the command line (it would show in `ps`).
    api_key = os.environ.get("SANDBOX_API_KEY", DEFAULT_API_KEY)
    sandbox = Sandbox(host=args.host, port=args.port, db_path=args.db, api_key=api_key, deterministic=args.deterministic)
    sandbox.start()
    print(f"Hellotracks sandbox serving {sandbox.base_url} (Ctrl-C stops)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
