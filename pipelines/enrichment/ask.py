"""`devmetrics ask "…"`: a question about the marts, answered from SQL that Claude writes and
that runs read-only under guards (ask_guards.py), with the SQL and the rows shown.

The schema Claude sees is the marts' documented schema, read from the dbt model YAML
(descriptions of every mart and column). The question and the rows sent back to Claude are
redacted like every other text. The query runs on a read-only DuckDB connection with
external access disabled: the serving snapshot when it exists, else the warehouse; at most
`row_limit` rows are fetched and a query running longer than `timeout_seconds` is interrupted.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import yaml

from .ask_guards import RejectedQuery, check_query
from .claude import Claude
from .pricing import Budget, Usage, cost_usd
from .prompts import INSTRUCTIONS, user_message
from .redact import redact
from .schemas import ASK_ANSWER, ASK_SQL, InvalidOutput, validate, wire_schema
from .settings import EnrichmentSettings

MARTS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "marts"
ROWS_SHOWN_TO_MODEL = 50


@dataclass
class Answer:
    question: str
    sql: str
    explanation: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    truncated: bool = False
    answer: str = ""
    rejected: str | None = None  # why the SQL was not run
    cost_usd: float = 0.0
    database: str = ""


@cache
def marts_schema() -> str:
    """Every mart model and column with its description, from the dbt YAML."""
    lines = []
    for path in sorted(MARTS_DIR.glob("*/_*__models.yml")):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models", []):
            lines.append(
                f"marts.{model['name']}: {' '.join(str(model.get('description', '')).split())}"
            )
            for column in model.get("columns", []):
                kind = f" {column['data_type']}" if column.get("data_type") else ""
                lines.append(
                    f"  - {column['name']}{kind}: {' '.join(str(column.get('description', '')).split())}"
                )
    return "\n".join(lines)


def database_for(warehouse: Path, serving: Path | None) -> Path:
    return serving if serving and serving.exists() else warehouse


def run_query(database: Path, sql: str, row_limit: int = 200, timeout_seconds: float = 10.0):
    """(columns, rows, truncated) of `sql` after the guards, read-only, within the limits."""
    config = {"enable_external_access": "false"}
    with duckdb.connect(str(database), read_only=True, config=config) as con:
        tables = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
        check_query(sql, tables)
        timer = threading.Timer(timeout_seconds, con.interrupt)
        timer.start()
        try:
            cursor = con.execute(sql.strip().rstrip(";"))
            rows = cursor.fetchmany(row_limit + 1)
        except duckdb.InterruptException as error:
            raise RejectedQuery(
                f"the query ran longer than {timeout_seconds:g}s and was stopped"
            ) from error
        except duckdb.Error as error:  # e.g. a column the model made up: say so, no traceback
            raise RejectedQuery(f"DuckDB could not run it: {error}") from error
        finally:
            timer.cancel()
        columns = [d[0] for d in cursor.description]
    return columns, rows[:row_limit], len(rows) > row_limit


def _structured(
    claude: Claude, model: str, system: str, user: str, schema: dict[str, Any], budget: Budget
) -> dict[str, Any]:
    params = {
        "model": model,
        "max_tokens": 2048,
        "system": [{"type": "text", "text": system, "cache_control": {"type": "ephemeral"}}],
        "messages": [{"role": "user", "content": user}],
        "output_config": {"format": {"type": "json_schema", "schema": wire_schema(schema)}},
    }
    message = claude.call("ask", claude.client.messages.create, **params)
    budget.charge(cost_usd(model, Usage.of(message.usage)))
    text = "".join(block.text for block in message.content if block.type == "text")
    try:
        answer = json.loads(text)
        validate(answer, schema)
    except (json.JSONDecodeError, InvalidOutput) as error:  # RuntimeError: the CLI explains it
        raise RuntimeError(f"Claude's answer is not valid: {error}; ask again") from error
    return answer


def ask(
    question: str,
    warehouse: Path,
    serving: Path | None = None,
    settings: EnrichmentSettings | None = None,
    sql: str | None = None,
    row_limit: int = 200,
    timeout_seconds: float = 10.0,
) -> Answer:
    """Answer `question` from the marts. With `sql`, run that query under the same guards
    instead of asking Claude for one (no API key needed)."""
    settings = settings or EnrichmentSettings.from_env()
    database = database_for(warehouse, serving)
    budget = Budget(settings.max_usd)
    claude = None
    if sql is None:
        if settings.resolved_provider != "anthropic":
            raise RuntimeError(
                "`ask` needs Claude to write the SQL: set ANTHROPIC_API_KEY, or pass your own "
                "query with --sql (it runs under the same guards)"
            )
        claude = Claude(settings, budget)
        system = INSTRUCTIONS["ask"] + "\n\nSchema of the marts:\n" + marts_schema()
        model = settings.models["ask"]
        generated = _structured(
            claude,
            model,
            system,
            user_message("question", {"question": redact(question)}),
            ASK_SQL,
            budget,
        )
        sql, explanation = generated["sql"], generated["explanation"]
    else:
        explanation = "SQL given by the user."
    result = Answer(question, sql, explanation, database=str(database))
    try:
        result.columns, result.rows, result.truncated = run_query(
            database, sql, row_limit, timeout_seconds
        )
    except RejectedQuery as rejected:
        result.rejected = str(rejected)
        result.cost_usd = budget.spent_usd
        return result
    if claude:
        shown = [list(map(_plain, row)) for row in result.rows[:ROWS_SHOWN_TO_MODEL]]
        data = {"question": redact(question), "sql": sql, "columns": result.columns, "rows": shown}
        answered = _structured(
            claude, model, system, user_message("result", data), ASK_ANSWER, budget
        )
        result.answer = answered["answer"]
    result.cost_usd = budget.spent_usd
    return result


def _plain(value: Any) -> Any:
    """A row value as sent to Claude: texts (PR titles, bodies…) redacted like every other."""
    if isinstance(value, int | float | bool | None):
        return value
    return redact(str(value))
