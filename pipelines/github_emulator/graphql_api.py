"""The emulator's GraphQL endpoint: schema.graphql executed with graphql-core over a Store.

`prepare()` parses and validates a query and applies GitHub's static limits (pagination
boundaries, the 500,000 node limit, cost and nodeCount; graphql_cost.py) before anything is
charged; `execute()` runs a prepared query. Errors take GitHub's shape: `type` (NOT_FOUND,
EXCESSIVE_PAGINATION...), `path`, `locations`, `message`, and graphql-ruby's wording for parse
and validation errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLSyntaxError,
    GraphQLUnionType,
    OperationDefinitionNode,
    build_schema,
    execute,
    parse,
    validate,
)
from graphql.language import Lexer, Source, TokenKind

from .graphql_cost import analyse
from .graphql_resolvers import (
    CONNECTION_FIELDS,
    EDGE_FIELDS,
    RESOLVERS,
    Context,
    resolve_type,
)
from .model import Store, parse_ts

SCHEMA_PATH = Path(__file__).with_name("schema.graphql")


@dataclass
class PreparedQuery:
    """A parsed, validated query with GitHub's static accounting (see module docstring)."""

    document: DocumentNode | None
    errors: list[dict[str, Any]] = field(default_factory=list)
    cost: int = 1
    node_count: int = 0
    max_nested_page: int = 0
    operation_name: str | None = None
    dry_run: bool = False  # rateLimit(dryRun: true): GitHub reports the cost without evaluating


# --------------------------------------------------------------------------- schema


def _timestamp_scalar(scalar: GraphQLScalarType) -> None:
    """DateTime and GitTimestamp accept ISO-8601 only, as GitHub does."""

    def parse_value(value: Any) -> str:
        if not isinstance(value, str) or not isinstance(parse_ts(value), int):
            raise GraphQLError(f"Could not coerce value {value!r} to {scalar.name}")
        return value

    scalar.parse_value = parse_value  # type: ignore[method-assign]
    scalar.parse_literal = lambda node, _vars=None: parse_value(getattr(node, "value", None))  # type: ignore[method-assign]


@lru_cache(maxsize=1)
def emulator_schema() -> GraphQLSchema:
    """schema.graphql with every field's resolver and every abstract type's resolver attached."""
    schema = build_schema(SCHEMA_PATH.read_text(encoding="utf-8"))
    missing: list[str] = []
    for name, graphql_type in schema.type_map.items():
        if name.startswith("__"):
            continue
        if isinstance(graphql_type, GraphQLInterfaceType | GraphQLUnionType):
            graphql_type.resolve_type = resolve_type
        elif isinstance(graphql_type, GraphQLScalarType) and name in ("DateTime", "GitTimestamp"):
            _timestamp_scalar(graphql_type)
        elif isinstance(graphql_type, GraphQLObjectType):
            if name.endswith("Connection"):
                table = CONNECTION_FIELDS
            elif name.endswith("Edge"):
                table = RESOLVERS.get(name, EDGE_FIELDS)
            else:
                table = RESOLVERS.get(name, {})
            for field_name, graphql_field in graphql_type.fields.items():
                resolver = table.get(field_name)
                if resolver is None:
                    missing.append(f"{name}.{field_name}")
                graphql_field.resolve = resolver
    if missing:
        raise RuntimeError(f"schema.graphql fields without a resolver: {', '.join(missing)}")
    return schema


# --------------------------------------------------------------------------- errors

_RUBY_TOKENS = {
    TokenKind.BRACE_L: "LCURLY",
    TokenKind.BRACE_R: "RCURLY",
    TokenKind.PAREN_L: "LPAREN",
    TokenKind.PAREN_R: "RPAREN",
    TokenKind.BRACKET_L: "LBRACKET",
    TokenKind.BRACKET_R: "RBRACKET",
    TokenKind.COLON: "COLON",
    TokenKind.NAME: "IDENTIFIER",
    TokenKind.STRING: "STRING",
    TokenKind.INT: "INT",
    TokenKind.FLOAT: "FLOAT",
    TokenKind.DOLLAR: "VAR_SIGN",
    TokenKind.EQUALS: "EQUALS",
    TokenKind.BANG: "BANG",
    TokenKind.SPREAD: "ELLIPSIS",
}


def _parse_error(query: str, error: GraphQLSyntaxError) -> dict[str, Any]:
    """graphql-ruby's wording: `Parse error on "}" (RCURLY) at [1, 10]`."""
    location = error.locations[0] if error.locations else None
    line, column = (location.line, location.column) if location else (1, 1)
    token = None
    try:
        lexer = Lexer(Source(query))
        while True:
            candidate = lexer.advance()
            if (
                candidate.kind == TokenKind.EOF
                or candidate.line > line
                or (candidate.line == line and candidate.column >= column)
            ):
                token = candidate
                break
    except GraphQLSyntaxError:
        token = None
    if token is None or token.kind == TokenKind.EOF:
        message = "Unexpected end of document"
    else:
        text = token.value if token.value is not None else token.kind.value
        kind = _RUBY_TOKENS.get(token.kind, token.kind.name)
        message = f'Parse error on "{text}" ({kind}) at [{line}, {column}]'
    return {"message": message, "locations": [{"line": line, "column": column}]}


_VALIDATION_REWRITES: list[tuple[re.Pattern[str], str, str]] = [
    (
        re.compile(r"Cannot query field '(?P<field>[^']+)' on type '(?P<type>[^']+)'\."),
        "Field '{field}' doesn't exist on type '{type}'",
        "undefinedField",
    ),
    (
        re.compile(
            r"Unknown argument '(?P<arg>[^']+)' on field '(?P<type>[^.']+)\.(?P<field>[^']+)'\."
        ),
        "Field '{field}' doesn't accept argument '{arg}'",
        "argumentNotAccepted",
    ),
    (
        re.compile(
            r"Field '(?P<field>[^']+)' argument '(?P<arg>[^']+)' of type '[^']+' is required"
        ),
        "Field '{field}' is missing required arguments: {arg}",
        "missingRequiredArguments",
    ),
    (
        re.compile(r"Unknown type '(?P<type>[^']+)'\."),
        "No such type {type}, so it can't be a fragment condition",
        "undefinedType",
    ),
]


def github_error(error: GraphQLError) -> dict[str, Any]:
    """A graphql-core error in GitHub's shape: type, path, locations, message."""
    out: dict[str, Any] = {}
    extensions = dict(error.extensions or {})
    if "type" in extensions:
        out["type"] = extensions.pop("type")
    if error.path:
        out["path"] = list(error.path)
    if error.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    message = error.message
    if error.path is None:  # validation errors: graphql-ruby's wording and codes
        for pattern, template, code in _VALIDATION_REWRITES:
            match = pattern.match(message)
            if match:
                message = template.format(**match.groupdict())
                extensions.setdefault("code", code)
                if code == "undefinedField":
                    extensions.update(typeName=match["type"], fieldName=match["field"])
                break
    if extensions:
        out["extensions"] = extensions
    out["message"] = message
    return out


# --------------------------------------------------------------------------- the API


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | str:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is not None:
        found = [o for o in operations if o.name is not None and o.name.value == name]
        return found[0] if found else f'No operation named "{name}"'
    if len(operations) == 1:
        return operations[0]
    return "An operation name is required" if operations else "No operations in query document"


def _wants_dry_run(operation: OperationDefinitionNode, variables: dict[str, Any]) -> bool:
    for selection in operation.selection_set.selections:
        if getattr(getattr(selection, "name", None), "value", None) != "rateLimit":
            continue
        for argument in getattr(selection, "arguments", None) or ():
            if argument.name.value != "dryRun":
                continue
            value = argument.value
            if hasattr(value, "name") and not hasattr(value, "value"):  # a variable
                return bool(variables.get(value.name.value))
            return getattr(value, "value", False) is True
    return False


class GraphQLAPI:
    """GitHub's GraphQL API over one Store. Callers hold `store.lock` around both calls."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.schema = emulator_schema()
        self._caches: dict[Any, Any] = {}

    def prepare(
        self,
        query: str,
        operation_name: str | None = None,
        variables: dict[str, Any] | None = None,
    ) -> PreparedQuery:
        """Parse, validate and account for a query; `.errors` non-empty means do not run it."""
        try:
            document = parse(query)
        except GraphQLSyntaxError as error:
            return PreparedQuery(None, [_parse_error(query, error)], cost=0)
        errors = validate(self.schema, document)
        if errors:
            return PreparedQuery(None, [github_error(e) for e in errors], cost=0)
        operation = _operation(document, operation_name)
        if isinstance(operation, str):
            return PreparedQuery(None, [{"message": operation}], cost=0)
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        shape = analyse(self.schema, operation, fragments, variables)
        if shape.errors:
            return PreparedQuery(None, shape.errors, cost=0, node_count=shape.node_count)
        return PreparedQuery(
            document,
            cost=shape.cost,
            node_count=shape.node_count,
            max_nested_page=shape.max_nested_page,
            operation_name=operation_name,
            dry_run=_wants_dry_run(operation, variables or {}),
        )

    def execute(
        self, prepared: PreparedQuery, variables: dict[str, Any] | None, rate_limit: dict[str, Any]
    ) -> dict[str, Any]:
        """Run a prepared query; `rate_limit` is what `rateLimit { ... }` reports."""
        if prepared.document is None:
            return {"errors": prepared.errors}
        context = Context(self.store, rate_limit, self._caches, prepared.dry_run)
        result = execute(
            self.schema,
            prepared.document,
            context_value=context,
            variable_values=variables,
            operation_name=prepared.operation_name,
        )
        response: dict[str, Any] = {"data": result.data}
        if result.errors:
            response["errors"] = [github_error(e) for e in result.errors]
        return response
