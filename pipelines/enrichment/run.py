"""`run_enrichment()`: enrich what is new or changed in a warehouse built by dbt.

For each task (pull requests, commits, weekly digests) it reads the items, drops those already
enriched with the same content hash, prompt version and model (or quarantined with them), and
sends the rest to Claude, or fills them with the offline heuristic provider when no
ANTHROPIC_API_KEY is set. Rows are written as each request completes, so a run stopped by the
spend cap, an error or an interruption keeps everything enriched so far.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .claude import AnthropicFailed, BatchPending, Claude, Tally
from .pricing import Budget, Usage
from .prompts import HEURISTIC_VERSION
from .settings import SWITCH_TO_CLAUDE_HINT, EnrichmentSettings
from .store import Provenance, Store
from .tasks import TASKS, Item, Task

log = logging.getLogger(__name__)
TASK_NAMES = tuple(TASKS)


@dataclass
class TaskReport:
    task: str
    provider: str
    model: str
    prompt_version: str
    items: int = 0
    cached: int = 0
    tally: Tally = field(default_factory=Tally)

    def line(self) -> str:
        t = self.tally
        text = (
            f"{self.task}: {self.items} items, {self.cached} unchanged (cached), {t.enriched} "
            f"enriched by {self.provider}/{self.model}, {t.quarantined} quarantined"
        )
        if self.provider == "anthropic":
            text += (
                f"; {t.requests} requests, {t.usage.total_input_tokens:,} input + "
                f"{t.usage.output_tokens:,} output tokens, ${t.cost_usd:.4f}"
            )
        return text + (f"; {t.remaining} left for the next run" if t.remaining else "")


@dataclass
class EnrichmentReport:
    provider: str
    tasks: list[TaskReport] = field(default_factory=list)
    spent_usd: float = 0.0
    max_usd: float = 0.0
    stopped: str | None = None  # why the run stopped early (pending batch, API failure)

    @property
    def remaining(self) -> int:
        return sum(t.tally.remaining for t in self.tasks)

    @property
    def hint(self) -> str | None:
        return SWITCH_TO_CLAUDE_HINT if self.provider == "heuristic" else None

    def lines(self) -> list[str]:
        out = [t.line() for t in self.tasks]
        if self.provider == "anthropic":
            out.append(
                f"spent ${self.spent_usd:.4f} of the ${self.max_usd:.2f} cap (DEVMETRICS_LLM_MAX_USD)"
            )
        if self.remaining and not self.stopped:
            why = (
                "spend cap reached: {} items remain; raise DEVMETRICS_LLM_MAX_USD and re-run"
                if any(t.tally.capped for t in self.tasks)
                else "{} items remain (batch requests errored or expired); re-run to send them"
            )
            out.append(why.format(self.remaining))
        if self.stopped:
            out.append(f"STOPPED {self.stopped}")
        if self.hint:
            out.append(self.hint)
        return out


def chunks(task: Task, items: list[Item], settings: EnrichmentSettings) -> list[list[Item]]:
    size = settings.commits_per_request if task.name == "commits" else 1
    return [items[i : i + size] for i in range(0, len(items), size)]


def run_enrichment(
    warehouse: Path,
    settings: EnrichmentSettings | None = None,
    tasks: Iterable[str] | None = None,
    progress: Callable[[str], None] = log.info,
    sleep: Callable[[float], None] | None = None,
) -> EnrichmentReport:
    """Enrich the warehouse's new or changed items (see the module docstring)."""
    settings = settings or EnrichmentSettings.from_env()
    provider = settings.resolved_provider
    tasks = tuple(tasks or TASK_NAMES)
    unknown = set(tasks) - set(TASKS)
    if unknown:
        raise ValueError(f"unknown enrichment tasks {sorted(unknown)}; choose from {TASK_NAMES}")
    budget = Budget(settings.max_usd)
    report = EnrichmentReport(provider, max_usd=settings.max_usd)
    with duckdb.connect(str(warehouse)) as con:
        store = Store(con)
        claude = None
        if provider == "anthropic":
            extra = {"sleep": sleep} if sleep else {}
            claude = Claude(settings, budget, store, progress, **extra)
        for name in tasks:
            task = TASKS[name]
            version = task.prompt_version if claude else HEURISTIC_VERSION
            source = Provenance(provider, settings.model(name), version)
            task_report = TaskReport(name, provider, source.model, version)
            report.tasks.append(task_report)
            try:
                enrich_task(task, source, con, store, claude, settings, task_report, progress)
            except (BatchPending, AnthropicFailed) as stop:
                report.stopped = str(stop)
                break
            finally:
                report.spent_usd = budget.spent_usd
    return report


def enrich_task(
    task: Task,
    source: Provenance,
    con,
    store: Store,
    claude: Claude | None,
    settings: EnrichmentSettings,
    report: TaskReport,
    progress: Callable[[str], None],
) -> None:
    if claude:
        for batch_id, batch_source, ledger in store.pending_batches(task):
            progress(f"{task.name}: collecting Message Batch {batch_id} left by an earlier run")
            claude.collect(batch_id, task, batch_source, ledger, report.tally)
    items = task.load(con, settings.send_diffs, settings.digest_weeks)
    done = store.done(task, source)
    todo = [item for item in items if (item.key, item.content_hash) not in done]
    report.items, report.cached = len(items), len(items) - len(todo)
    progress(f"{task.name}: {len(todo)} of {len(items)} items new or changed")
    if not todo:
        return
    if claude:
        claude.enrich(task, source, chunks(task, todo, settings), report.tally)
        return
    for start in range(0, len(todo), 500):
        part = todo[start : start + 500]
        store.write_many(
            task, [(i, task.columns(task.heuristic(i.payload))) for i in part], source, Usage(), 0.0
        )
        report.tally.enriched += len(part)
