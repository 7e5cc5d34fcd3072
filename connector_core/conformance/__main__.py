"""`python -m connector_core.conformance refresh | report`."""

from __future__ import annotations

import sys

from connector_core.conformance import refresh_documents
from connector_core.conformance.keys import coverage


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "refresh":
        for path in refresh_documents():
            print(f"wrote {path}")
        return 0
    if command == "report":
        covered, missing = coverage()
        for key, names in covered.items():
            print(f"{key}: {', '.join(names) if names else '-- NO CASE --'}")
        print(f"\n{len(covered) - len(missing)} of {len(covered)} keys have cases"
              + (f"; none for: {', '.join(missing)}" if missing else ""))
        return 1 if missing else 0
    print("usage: python -m connector_core.conformance refresh|report", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
