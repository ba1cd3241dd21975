"""Static analysis of a GraphQL query before it runs: GitHub's pagination rules, node limit and cost.

GitHub documents ("Rate limits and node limits for the GraphQL API"):
- every connection that selects `nodes` or `edges` needs `first` or `last`, each within 1-100;
- nodeCount = sum over connections of the product of `first`/`last` down the path to it, at most
  500,000;
- cost = (sum over connections of the requests needed to fill it, i.e. the product of the
  enclosing connections' page sizes) / 100, rounded, minimum 1.
Page sizes given as variables use the request's variables, else the variable's default, else
the worst case (100).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)

MAX_PAGE = 100
MAX_NODES = 500_000


@dataclass
class QueryShape:
    """What a query asks for, as GitHub's limits see it."""

    cost: int = 1
    node_count: int = 0
    max_nested_page: int = 0
    requests: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


class _Walker:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any] | None,
        defaults: dict[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.defaults = defaults
        self.shape = QueryShape()
        self.node_limit_reported = False

    # arguments ------------------------------------------------------------------------
    def _int_arg(self, node: FieldNode, name: str) -> tuple[bool, int | None]:
        """(given, value); value None when it is only known at execution time."""
        for arg in node.arguments or ():
            if arg.name.value != name:
                continue
            value = arg.value
            if isinstance(value, IntValueNode):
                return True, int(value.value)
            if isinstance(value, VariableNode):
                var = value.name.value
                if self.variables is None and var not in self.defaults:
                    return True, None  # known only at execution: assume the worst case
                raw = (self.variables or {}).get(var, self.defaults.get(var))
                if raw is None:
                    return False, None
                return True, raw if isinstance(raw, int) and not isinstance(raw, bool) else None
            return False, None  # `null` literal
        return False, None

    def _error(self, kind: str | None, node: FieldNode, path: list[str], message: str) -> None:
        error: dict[str, Any] = {}
        if kind:
            error["type"] = kind
        error["path"] = list(path)
        if node.loc is not None:
            location = node.loc.source.get_location(node.loc.start)
            error["locations"] = [{"line": location.line, "column": location.column}]
        error["message"] = message
        self.shape.errors.append(error)

    # selections -----------------------------------------------------------------------
    def fields(self, selection_set: SelectionSetNode | None, parent: Any) -> list[tuple]:
        """(field node, parent type) of every field selected, fragments expanded."""
        found: list[tuple] = []
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                found.append((selection, parent))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                found.extend(self.fields(selection.selection_set, target))
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    target = self.schema.get_type(fragment.type_condition.name.value)
                    found.extend(self.fields(fragment.selection_set, target))
        return found

    def walk(
        self, selection_set: SelectionSetNode | None, parent: Any, scale: int, path: list[str]
    ) -> bool:
        """Account for every connection below; returns whether there was any."""
        has_connection = False
        for node, parent_type in self.fields(selection_set, parent):
            name = node.name.value
            if name.startswith("__") or not isinstance(
                parent_type, GraphQLObjectType | GraphQLInterfaceType
            ):
                continue
            definition = parent_type.fields.get(name)
            if definition is None:
                continue
            child_path = [*path, node.alias.value if node.alias else name]
            named = get_named_type(definition.type)
            if named.name.endswith("Connection") and "first" in definition.args:
                has_connection = True
                self.connection(node, named, scale, child_path)
            else:
                has_connection |= self.walk(node.selection_set, named, scale, child_path)
        return has_connection

    def connection(self, node: FieldNode, conn_type: Any, scale: int, path: list[str]) -> None:
        name = node.name.value
        has_first, first = self._int_arg(node, "first")
        has_last, last = self._int_arg(node, "last")
        selects_items = any(
            f.name.value in ("nodes", "edges")
            for f, _ in self.fields(node.selection_set, conn_type)
        )
        if has_first and has_last:
            self._error(
                None,
                node,
                path,
                f"Passing both `first` and `last` to paginate the `{name}` connection is not "
                "supported.",
            )
        for arg, given, value in (("first", has_first, first), ("last", has_last, last)):
            if given and value is not None and value > MAX_PAGE:
                self._error(
                    "EXCESSIVE_PAGINATION",
                    node,
                    path,
                    f"Requesting {value} records on the `{name}` connection exceeds the `{arg}` "
                    f"limit of {MAX_PAGE} records.",
                )
            elif given and value is not None and value < 0:
                self._error(
                    "INVALID_PAGINATION",
                    node,
                    path,
                    f"`{arg}` on the `{name}` connection cannot be less than zero.",
                )
        if not has_first and not has_last and selects_items:
            self._error(
                "MISSING_PAGINATION_BOUNDARIES",
                node,
                path,
                f"You must provide a `first` or `last` value to properly paginate the `{name}` "
                "connection.",
            )
        page = first if has_first else last if has_last else 0
        page = MAX_PAGE if page is None else max(0, min(page, MAX_PAGE))
        self.shape.requests += scale
        self.shape.node_count += scale * page
        if self.shape.node_count > MAX_NODES and not self.node_limit_reported:
            self.node_limit_reported = True
            self._error(
                "MAX_NODE_LIMIT_EXCEEDED",
                node,
                path,
                f"By the time this query traverses to the {name} connection, it is requesting up "
                f"to {self.shape.node_count:,} possible nodes which exceeds the maximum limit of "
                f"{MAX_NODES:,}.",
            )
        if self.walk(node.selection_set, conn_type, scale * page, path):
            self.shape.max_nested_page = max(self.shape.max_nested_page, page)


def analyse(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any] | None,
) -> QueryShape:
    """Pagination errors, nodeCount, cost and the largest nested page of one operation."""
    defaults: dict[str, Any] = {}
    for definition in operation.variable_definitions or ():
        value = definition.default_value
        if isinstance(value, IntValueNode):
            defaults[definition.variable.name.value] = int(value.value)
    walker = _Walker(schema, fragments, variables, defaults)
    root = schema.get_root_type(operation.operation)
    walker.walk(operation.selection_set, root, 1, [])
    shape = walker.shape
    shape.cost = max(1, (shape.requests + 50) // 100)
    return shape
