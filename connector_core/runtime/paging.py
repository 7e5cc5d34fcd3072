"""The params one page adds to an operation's request: the paging (and a trigger's cursor), as
query params or as dotted paths merged into the body (`in: body`, for an API that takes
everything in a JSON envelope). They are the page's constants, sent after the operation's own
params, so the request is built by the one rule every request is built by.
"""

from __future__ import annotations

from typing import Any

from connector_core.spec.models import OffsetPagination, PageNumberPagination, Param, RequestMapping

Placed = list[tuple[str, str, Any]]  # (where: query | body, name, value), in the order they are sent


def page_params(paging: OffsetPagination | PageNumberPagination, skip: int) -> Placed:
    """The paging params of the page that starts at record `skip` (page numbers: the page holding it)."""
    if isinstance(paging, OffsetPagination):
        return [(paging.location, paging.limit_param, paging.page_size), (paging.location, paging.offset_param, skip)]
    page = paging.first_page + skip // paging.page_size
    return [(paging.location, paging.size_param, paging.page_size), (paging.location, paging.page_param, page)]


def with_params(mapping: RequestMapping, placed: Placed) -> RequestMapping:
    """The mapping of one page: its own params, then the page's as constants."""
    constants = [Param.model_validate({"in": where, "name": name, "value": value}) for where, name, value in placed]
    return mapping.model_copy(update={"params": mapping.params + constants})
