"""Warehouse I/O of the enrichment: the cache lookup, enriched rows, quarantined items and the
Message Batches ledger (so an interrupted run collects its pending batch instead of paying for
it twice). The tables are created by dbt's on-run-start hook (macros/enrichment_tables.sql).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb

from .pricing import Usage
from .tasks import Item, Task

CAPPED = "invalid, retry not sent (spend cap)"  # a quarantine reason that keeps the item due
KEY_SQL = {
    "pull_requests": "cast(pull_request_id as varchar)",
    "commits": "commit_id",
    "digests": "cast(team_id as varchar) || ':' || cast(week_start_date as varchar)",
}


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Provenance:
    provider: str
    model: str
    prompt_version: str


class Store:
    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        missing = {
            "pull_request_insights",
            "commit_insights",
            "weekly_digests",
            "quarantine",
            "llm_batches",
        } - {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'enrichment'"
            ).fetchall()
        }
        if missing:
            raise RuntimeError(
                f"the warehouse has no enrichment.{', enrichment.'.join(sorted(missing))}: "
                "build it with `devmetrics transform` (dbt creates them) before enriching"
            )

    def done(self, task: Task, source: Provenance) -> set[tuple[str, str]]:
        """(item key, content hash) already enriched or quarantined with this model and prompt
        (except items whose retry the spend cap stopped: they are due again)."""
        rows = self.con.execute(
            f"""
            select {KEY_SQL[task.name]}, content_hash from enrichment.{task.table}
            where enrichment_model = ? and prompt_version = ?
            union
            select item_key, content_hash from enrichment.quarantine
            where task = ? and enrichment_model = ? and prompt_version = ?
              and not starts_with(reason, ?)
            """,
            [
                source.model,
                source.prompt_version,
                task.name,
                source.model,
                source.prompt_version,
                CAPPED,
            ],
        ).fetchall()
        return set(rows)

    def _provenance(
        self, item: Item, source: Provenance, usage: Usage, cost: float
    ) -> dict[str, Any]:
        return {
            "enrichment_provider": source.provider,
            "enrichment_model": source.model,
            "prompt_version": source.prompt_version,
            "input_tokens": usage.total_input_tokens,
            "output_tokens": usage.output_tokens,
            "cost_usd": cost,
            "content_hash": item.content_hash,
            "enriched_at": now(),
        }

    def write(
        self,
        task: Task,
        item: Item,
        columns: dict[str, Any],
        source: Provenance,
        usage: Usage,
        cost: float,
    ) -> None:
        self.write_many(task, [(item, columns)], source, usage, cost)

    def write_many(
        self,
        task: Task,
        answers: list[tuple[Item, dict[str, Any]]],
        source: Provenance,
        usage: Usage,
        cost: float,
    ) -> None:
        """Rows for `answers`, each with the same usage and cost, in one statement."""
        rows = [
            {**item.identity, **columns, **self._provenance(item, source, usage, cost)}
            for item, columns in answers
        ]
        if not rows:
            return
        names = ", ".join(rows[0])
        marks = "(" + ", ".join("?" for _ in rows[0]) + ")"
        values = [value for row in rows for value in row.values()]
        self.con.execute(
            f"insert into enrichment.{task.table} ({names}) values {', '.join(marks for _ in rows)}",
            values,
        )

    def quarantine(
        self,
        task: Task,
        item: Item,
        reason: str,
        raw: str | None,
        source: Provenance,
        usage: Usage,
        cost: float,
    ) -> None:
        row = {
            "task": task.name,
            "item_key": item.key,
            "reason": reason,
            "raw_output": raw,
            **self._provenance(item, source, usage, cost),
        }
        row["quarantined_at"] = row.pop("enriched_at")
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.con.execute(
            f"insert into enrichment.quarantine ({names}) values ({marks})", list(row.values())
        )

    # -- Message Batches ledger

    def save_batch(
        self, batch_id: str, task: Task, source: Provenance, requests: dict[str, list[Item]]
    ) -> None:
        ledger = {
            custom_id: [{"key": i.key, "identity": i.identity, "payload": i.payload} for i in items]
            for custom_id, items in requests.items()
        }
        self.con.execute(
            "insert into enrichment.llm_batches values (?, ?, ?, ?, ?, 'pending', ?, null)",
            [
                batch_id,
                task.name,
                source.model,
                source.prompt_version,
                json.dumps(ledger, default=str),
                now(),
            ],
        )

    def pending_batches(self, task: Task) -> list[tuple[str, Provenance, dict[str, list[Item]]]]:
        rows = self.con.execute(
            "select batch_id, enrichment_model, prompt_version, requests from enrichment.llm_batches "
            "where task = ? and status = 'pending' order by submitted_at",
            [task.name],
        ).fetchall()
        return [
            (
                batch_id,
                Provenance("anthropic", model, version),
                {
                    custom_id: [Item(i["key"], i["identity"], i["payload"]) for i in items]
                    for custom_id, items in json.loads(ledger).items()
                },
            )
            for batch_id, model, version, ledger in rows
        ]

    def batch_collected(self, batch_id: str, status: str = "collected") -> None:
        self.con.execute(
            "update enrichment.llm_batches set status = ?, collected_at = ? where batch_id = ?",
            [status, now(), batch_id],
        )
