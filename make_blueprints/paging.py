"""Page after page with Make's `pagination` directive: offset or page-number params, in the query
or (dotted paths) in the JSON body.

The first request carries the first page's params; `pagination` gives the next pages' values and
a condition read after each page (a full page asks for the next, up to a number of pages).
Make merges a pagination `body` into the request's body; the generator gives it each top-level
field it changes whole (with every other value of that field), so a shallow or a deep merge
sends the same body.
"""

from __future__ import annotations

import copy
from typing import Any

from connector_core.spec.models import OffsetPagination
from make_blueprints import iml
from make_blueprints.unsupported import Unsupported


def place(directives: dict[str, Any], location: str, placed: dict[str, Any], where: str) -> None:
    """Put values into the request's query (by name) or body (at dotted paths, objects made on the way)."""
    if location == "query":
        directives["qs"] = {**directives.get("qs", {}), **placed}
        return
    body = directives.get("body") or {}
    for dotted, value in placed.items():
        *parents, leaf = dotted.split(".")
        node = body
        for part in parents:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise Unsupported(where, f"body {dotted}", "the body holds an input object there, sent whole")
        node[leaf] = value
    directives["body"] = body


def pages(paging: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The params of the first page, and of page `pagination.page` (Make counts from 1)."""
    if isinstance(paging, OffsetPagination):
        return ({paging.limit_param: paging.page_size, paging.offset_param: 0},
                {paging.offset_param: iml.wrap(f"(pagination.page - 1) * {paging.page_size}")})
    shift = paging.first_page - 1
    page = "pagination.page" + (f" + {shift}" if shift > 0 else f" - {-shift}" if shift < 0 else "")
    return {paging.size_param: paging.page_size, paging.page_param: paging.first_page}, {paging.page_param: iml.wrap(page)}


def paginate(directives: dict[str, Any], paging: Any, listed: str, most: int, where: str) -> None:
    """The first page's params in the request, and the `pagination` directive for the next pages
    while the last page was full, `most` pages at most."""
    first, following = pages(paging)
    place(directives, paging.location, first, where)
    more = iml.wrap(f"length({listed}) >= {paging.page_size} and pagination.page < {most}")
    if paging.location == "query":
        directives["pagination"] = {"qs": following, "condition": more}
        return
    changed = copy.deepcopy(directives)
    place(changed, "body", following, where)
    tops = {dotted.split(".")[0] for dotted in following}
    directives["pagination"] = {"body": {name: changed["body"][name] for name in tops}, "condition": more}
