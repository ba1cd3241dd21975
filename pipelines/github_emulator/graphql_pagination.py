"""GitHub-style connections: `first`/`last`/`after`/`before` over an ordered list, opaque cursors,
`pageInfo` and `totalCount`.

Cursors are base64 of `cursor:v2:<position>` (1-based position in the filtered, ordered list), as
opaque to clients as GitHub's. Arguments are also checked here (not only statically) so a page
size that only a variable reveals at execution still gets GitHub's errors.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo

MAX_PAGE = 100
_PREFIX = "cursor:v2:"


def encode_cursor(position: int) -> str:
    return base64.b64encode(f"{_PREFIX}{position}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
        if text.startswith(_PREFIX):
            position = int(text[len(_PREFIX) :])
            if position >= 0:
                return position
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise GraphQLError(
        f"`{cursor}` does not appear to be a valid cursor.",
        extensions={"type": "INVALID_CURSOR_ARGUMENTS"},
    )


class Edge:
    __slots__ = ("conn", "cursor", "node")

    def __init__(self, cursor: str, node: Any, conn: Connection) -> None:
        self.cursor = cursor
        self.node = node
        self.conn = conn


class Connection:
    """One page of a connection plus what `pageInfo`, `totalCount` and edges need."""

    __slots__ = (
        "filtered",
        "has_next",
        "has_prev",
        "nodes",
        "owner",
        "start",
        "total",
        "updated_at",
    )

    def __init__(
        self, nodes: list, start: int, total: int, has_next: bool, has_prev: bool, filtered: int
    ) -> None:
        self.nodes = nodes
        self.start = start
        self.total = total
        self.has_next = has_next
        self.has_prev = has_prev
        self.filtered = filtered
        self.owner: Any = None  # what edges may need (the team of TeamMemberEdge.role)
        self.updated_at: str | None = None

    def edges(self) -> list[Edge]:
        return [
            Edge(encode_cursor(self.start + i + 1), node, self) for i, node in enumerate(self.nodes)
        ]

    def page_info(self) -> dict[str, Any]:
        return {
            "hasNextPage": self.has_next,
            "hasPreviousPage": self.has_prev,
            "startCursor": encode_cursor(self.start + 1) if self.nodes else None,
            "endCursor": encode_cursor(self.start + len(self.nodes)) if self.nodes else None,
        }


def _selects_items(info: GraphQLResolveInfo) -> bool:
    for node in info.field_nodes:
        for selection in node.selection_set.selections if node.selection_set else ():
            name = getattr(getattr(selection, "name", None), "value", None)
            if name in ("nodes", "edges") or name is None:
                return True  # fragments: assume they select items
    return False


def paginate(items: Sequence, info: GraphQLResolveInfo, args: dict[str, Any]) -> Connection:
    """Slice `items` (already filtered and ordered) by the connection arguments."""
    name = info.field_name
    first, last = args.get("first"), args.get("last")
    for arg, value in (("first", first), ("last", last)):
        if value is not None and value > MAX_PAGE:
            raise GraphQLError(
                f"Requesting {value} records on the `{name}` connection exceeds the `{arg}` "
                f"limit of {MAX_PAGE} records.",
                extensions={"type": "EXCESSIVE_PAGINATION"},
            )
        if value is not None and value < 0:
            raise GraphQLError(
                f"`{arg}` on the `{name}` connection cannot be less than zero.",
                extensions={"type": "INVALID_PAGINATION"},
            )
    if first is not None and last is not None:
        raise GraphQLError(
            f"Passing both `first` and `last` to paginate the `{name}` connection is not supported."
        )
    if first is None and last is None and _selects_items(info):
        raise GraphQLError(
            f"You must provide a `first` or `last` value to properly paginate the `{name}` "
            "connection.",
            extensions={"type": "MISSING_PAGINATION_BOUNDARIES"},
        )
    total = len(items)
    start, end = 0, total
    if args.get("after") is not None:
        start = min(decode_cursor(args["after"]), total)
    if args.get("before") is not None:
        end = max(start, min(decode_cursor(args["before"]) - 1, total))
    filtered = end - start
    if first is not None:
        end = min(end, start + first)
    elif last is not None:
        start = max(start, end - last)
    return Connection(list(items[start:end]), start, total, end < total, start > 0, filtered)
