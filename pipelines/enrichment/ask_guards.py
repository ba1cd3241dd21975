"""Guards for `devmetrics ask`: the generated SQL runs only if it is one read-only query over
the marts. Checked on DuckDB's own parse tree (json_serialize_sql), not on text alone:

- exactly one statement, and it is a SELECT (WITH … SELECT included), not SHOW/DESCRIBE/
  SUMMARIZE;
- every relation it reads is `marts.<table>`, or a CTE in scope where it is named: a CTE's
  name does not cover its own body (unless recursive) nor queries outside its WITH, where an
  unqualified name would read a table of the default schema;
- no table functions at all (read_csv, read_parquet, read_json, glob, …) and no scalar
  function that reaches files, the network or settings;
- none of ATTACH, COPY, PRAGMA, INSTALL, LOAD, EXPORT, IMPORT, SET, CALL, DETACH outside
  string literals (defence in depth: DuckDB would refuse most of them as non-SELECT anyway).
"""

from __future__ import annotations

import json
import re
from typing import Any

import duckdb

FORBIDDEN_KEYWORDS = re.compile(
    r"(?i)\b(attach|detach|copy|pragma|install|load|export|import|set|reset|call|checkpoint|"
    r"vacuum|create|insert|update|delete|drop|alter|truncate)\b"
)
FORBIDDEN_FUNCTIONS = {
    "read_csv",
    "read_csv_auto",
    "read_parquet",
    "parquet_scan",
    "read_json",
    "read_json_auto",
    "read_json_objects",
    "read_ndjson",
    "read_text",
    "read_blob",
    "glob",
    "sniff_csv",
    "getenv",
    "current_setting",
    "duckdb_settings",
    "duckdb_secrets",
    "duckdb_extensions",
    "httpfs",
    "http_get",
    "query",
    "query_table",
    "iceberg_scan",
    "delta_scan",
}
STRING_LITERAL = re.compile(r"'(?:[^']|'')*'")


class RejectedQuery(ValueError):
    """The SQL breaks a guard; the message says which and why."""


def _relations(node: Any, scope: frozenset[str] = frozenset()):
    """(node, CTE names in scope there) for every node of the tree, following SQL scoping."""
    if isinstance(node, list):
        for value in node:
            yield from _relations(value, scope)
        return
    if not isinstance(node, dict):
        return
    yield node, scope
    cte_map = node.get("cte_map")
    for entry in cte_map.get("map", []) if isinstance(cte_map, dict) else []:
        yield from _relations(entry["value"], scope)  # a body sees the CTEs before it only
        scope = scope | {entry["key"].lower()}
    for key, value in node.items():
        if key == "cte_map":
            continue
        if node.get("type") == "RECURSIVE_CTE_NODE" and key == "right":
            yield from _relations(value, scope | {node["cte_name"].lower()})
        else:
            yield from _relations(value, scope)


def check_query(sql: str, mart_tables: set[str]) -> None:
    """Raise RejectedQuery unless `sql` is one SELECT reading only marts relations."""
    text = sql.strip().rstrip(";").strip()
    if not text:
        raise RejectedQuery("the query is empty")
    if ";" in STRING_LITERAL.sub("''", text):
        raise RejectedQuery("only one statement is allowed (found ';' between statements)")
    keyword = FORBIDDEN_KEYWORDS.search(STRING_LITERAL.sub("''", text))
    if keyword:
        raise RejectedQuery(
            f"{keyword.group(1).upper()} is not allowed: only SELECT/WITH queries run"
        )
    with duckdb.connect() as con:
        try:
            statements = con.extract_statements(text)
        except duckdb.Error as error:
            raise RejectedQuery(f"the SQL does not parse: {error}") from error
        if len(statements) != 1:
            raise RejectedQuery(f"only one statement is allowed, found {len(statements)}")
        if statements[0].type != duckdb.StatementType.SELECT:
            raise RejectedQuery(f"only SELECT/WITH queries run, this is {statements[0].type.name}")
        tree = json.loads(con.execute("select json_serialize_sql(?)", [text]).fetchone()[0])
    if tree.get("error"):
        raise RejectedQuery(f"the SQL is not a plain SELECT: {tree.get('error_message')}")
    for node, ctes in _relations(tree):
        kind = node.get("type")
        if kind == "SHOW_REF":
            raise RejectedQuery(
                "SHOW/DESCRIBE/SUMMARIZE is not allowed: only SELECT/WITH queries run"
            )
        if kind == "TABLE_FUNCTION":
            name = node.get("function", {}).get("function_name", "?")
            raise RejectedQuery(
                f"table function {name}() is not allowed: read the marts tables only"
            )
        if (
            node.get("class") == "FUNCTION"
            and node.get("function_name", "").lower() in FORBIDDEN_FUNCTIONS
        ):
            raise RejectedQuery(f"function {node['function_name']}() is not allowed")
        if kind == "BASE_TABLE":
            schema, table = node.get("schema_name", "").lower(), node.get("table_name", "").lower()
            catalog = node.get("catalog_name", "")
            if not schema and not catalog and table in ctes:
                continue
            if catalog or schema != "marts" or table not in mart_tables:
                name = ".".join(p for p in (catalog, schema, table) if p)
                raise RejectedQuery(
                    f"{name} is not a marts relation or a CTE in scope; query marts.<table> only "
                    f"({', '.join(sorted(mart_tables))})"
                )
