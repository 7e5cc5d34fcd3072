"""The one error for a spec feature the Make generator cannot express: the build stops.

Nothing is dropped silently: a keyword, coercion or response option that Make's templates and
parameter validation cannot carry refuses the whole app, naming the operation (or connection,
or option source) and the spec key, so the author can change the spec or accept another
platform. The capability table in docs/platforms.md lists each refusal.
"""

from __future__ import annotations


class Unsupported(ValueError):
    """`<where>: <key>: <why>`; `where` is e.g. `operation create_item` or `connection`."""

    def __init__(self, where: str, key: str, why: str) -> None:
        super().__init__(f"Make cannot express {where}: {key}: {why}")
        self.where, self.key, self.why = where, key, why
