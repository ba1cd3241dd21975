"""The Anthropic provider: structured-output requests through the real `anthropic` SDK.

- Output: `output_config.format` with the task's JSON schema (structured outputs), validated
  again locally; an invalid answer is retried once with the validation error, then quarantined.
- Cost: the shared instructions are a cached system block (`cache_control`); commits share
  requests (`commits_per_request`); usage and list-price cost are split evenly over the items
  of a request and stored per row.
- Resilience: 429, 5xx and 529 (overloaded) are retried with exponential backoff and jitter,
  waiting at least `retry-after` when the API sends it (the SDK's own retries are off).
- Backfills: more requests than `batch_threshold` go through the Message Batches API (half
  price): submit, record the batch id in the warehouse, poll with backoff, collect.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import anthropic

from .pricing import Budget, Usage, cost_usd, prices
from .redact import redact
from .schemas import InvalidOutput, wire_schema
from .settings import EnrichmentSettings
from .store import CAPPED, Provenance, Store
from .tasks import Item, Task

log = logging.getLogger(__name__)
RETRY_STATUSES = {408, 409, 429, 500, 502, 503, 504, 529}
Shares = dict[str, tuple[Usage, float]]  # item key -> (usage, cost) attributed to it


class BatchPending(RuntimeError):
    """A submitted batch is still processing after the wait allowed; a re-run collects it."""


class AnthropicFailed(RuntimeError):
    """The API kept failing or refused the request; the message says what to do."""


@dataclass
class Tally:
    requests: int = 0
    enriched: int = 0
    quarantined: int = 0
    remaining: int = 0
    batches: list[str] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    cost_usd: float = 0.0
    capped: bool = False  # the spend cap stopped sending


def split(usage: Usage, parts: int) -> list[Usage]:
    """`usage` shared over `parts` items, every token accounted for exactly once."""

    def shares(total: int) -> list[int]:
        base, extra = divmod(total, parts)
        return [base + (1 if i < extra else 0) for i in range(parts)]

    columns = zip(
        shares(usage.input_tokens),
        shares(usage.output_tokens),
        shares(usage.cache_creation_input_tokens),
        shares(usage.cache_read_input_tokens),
        strict=True,
    )
    return [Usage(*c) for c in columns]


def retry_after(error: anthropic.APIStatusError) -> float | None:
    headers = error.response.headers
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        try:
            return float(headers[name]) / scale
        except (KeyError, TypeError, ValueError):
            continue
    return None


class Claude:
    def __init__(
        self,
        settings: EnrichmentSettings,
        budget: Budget,
        store: Store | None = None,  # None: no enrichment tables (`ask`)
        progress: Callable[[str], None] = log.info,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.budget = budget
        self.store = store
        self.progress = progress
        self.sleep = sleep
        self.client = anthropic.Anthropic(
            api_key=settings.api_key, base_url=settings.base_url, max_retries=0
        )

    # ------------------------------------------------------------------------- one request

    def call(self, what: str, fn: Callable[..., Any], **kwargs) -> Any:
        """`fn(**kwargs)` with retries on 429 / 5xx / 529 / connection errors."""
        s = self.settings
        for attempt in range(1, s.max_attempts + 1):
            try:
                return fn(**kwargs)
            except anthropic.APIStatusError as error:
                if error.status_code not in RETRY_STATUSES:
                    raise AnthropicFailed(
                        f"Anthropic refused {what}: HTTP {error.status_code} "
                        f"{redact(error.message)}. "  # an echoed key or URL never reaches logs
                        + (
                            "Check ANTHROPIC_API_KEY."
                            if error.status_code in (401, 403)
                            else "Check the model names (DEVMETRICS_LLM_MODEL_*) and ANTHROPIC_BASE_URL."
                        )
                    ) from error
                reason, wait_at_least = f"HTTP {error.status_code}", retry_after(error)
            except anthropic.APIConnectionError as error:
                reason, wait_at_least = f"connection error ({redact(str(error))})", None
            if attempt == s.max_attempts:
                raise AnthropicFailed(
                    f"{what} failed {attempt} times (last: {reason}); the items enriched so far "
                    "are kept: re-run later to continue"
                )
            backoff = min(s.backoff_seconds * 2 ** (attempt - 1), s.backoff_max_seconds)
            delay = (
                wait_at_least * (1 + 0.1 * random.random())
                if wait_at_least is not None
                else backoff * (0.5 + 0.5 * random.random())
            )
            self.progress(
                f"{reason} for {what}; retrying in {delay:.1f}s ({attempt}/{s.max_attempts})"
            )
            self.sleep(delay)
        raise AssertionError("unreachable")

    def params(
        self, task: Task, model: str, items: list[Item], retry: tuple[str, str] | None = None
    ) -> dict[str, Any]:
        messages: list[dict[str, Any]] = [{"role": "user", "content": task.user_text(items)}]
        if retry:
            previous, error = retry
            messages += [
                {"role": "assistant", "content": previous or "(empty answer)"},
                {
                    "role": "user",
                    "content": f"That answer is invalid: {error}. Answer again, following the "
                    "schema and the instructions exactly.",
                },
            ]
        return {
            "model": model,
            "max_tokens": min(16_000, task.max_tokens * len(items)),
            "system": [
                {"type": "text", "text": task.instructions, "cache_control": {"type": "ephemeral"}}
            ],
            "messages": messages,
            "output_config": {
                "format": {"type": "json_schema", "schema": wire_schema(task.request_schema)}
            },
        }

    # ------------------------------------------------------------------------- settling answers

    def settle(
        self,
        task: Task,
        source: Provenance,
        items: list[Item],
        text: str,
        usage: Usage,
        cost: float,
        tally: Tally,
        carried: Shares | None = None,
    ) -> None:
        """Write the valid answers of one request, retry the invalid ones once, quarantine the
        rest. Usage and cost are shared over the request's items; a retried item also carries
        its share of the first attempt (`carried`), so the rows add up to what was billed."""
        try:
            outcomes = task.answers(json.loads(text), items)
        except (json.JSONDecodeError, InvalidOutput) as error:
            reason = (
                f"invalid JSON: {error}" if isinstance(error, json.JSONDecodeError) else str(error)
            )
            outcomes = {item.key: reason for item in items}
        shares: Shares = {}
        for item, share in zip(items, split(usage, len(items)), strict=True):
            before, before_cost = (carried or {}).get(item.key, (Usage(), 0.0))
            shares[item.key] = (before + share, before_cost + cost / len(items))
        invalid = [item for item in items if isinstance(outcomes[item.key], str)]
        for item in items:
            if item not in invalid:
                self.store.write(
                    task, item, task.columns(outcomes[item.key]), source, *shares[item.key]
                )
                tally.enriched += 1
        if not invalid:
            return
        reasons = "; ".join(f"{i.key}: {outcomes[i.key]}" for i in invalid)
        if carried is not None:
            for item in invalid:
                self.store.quarantine(
                    task,
                    item,
                    f"invalid after one retry: {outcomes[item.key]}",
                    text,
                    source,
                    *shares[item.key],
                )
                tally.quarantined += 1
            return
        log.warning("%s: invalid answer for %s; retrying once", task.name, reasons)
        if not self.request(task, source, invalid, tally, retry=(text, reasons), carried=shares):
            # the spend cap stopped the retry: the costs are recorded in the quarantine, but the
            # items stay due (Store.done skips CAPPED rows), so the next run sends them again
            for item in invalid:
                self.store.quarantine(
                    task, item, f"{CAPPED}: {outcomes[item.key]}", text, source, *shares[item.key]
                )
            tally.remaining += len(invalid)
            tally.capped = True

    def request(
        self,
        task: Task,
        source: Provenance,
        items: list[Item],
        tally: Tally,
        retry: tuple[str, str] | None = None,
        carried: Shares | None = None,
    ) -> bool:
        """One synchronous Messages request for `items`, settled; False when the spend cap
        stopped it before sending."""
        if self.budget.exhausted:
            return False
        what = f"{task.name} {items[0].key}" + (
            f" (+{len(items) - 1} more)" if len(items) > 1 else ""
        )
        message = self.call(
            what, self.client.messages.create, **self.params(task, source.model, items, retry)
        )
        usage = Usage.of(message.usage)
        cost = cost_usd(source.model, usage)
        self.budget.charge(cost)
        tally.requests += 1
        tally.usage += usage
        tally.cost_usd += cost
        text = "".join(block.text for block in message.content if block.type == "text")
        self.settle(task, source, items, text, usage, cost, tally, carried)
        return True

    # ------------------------------------------------------------------------- a task's items

    def enrich(
        self, task: Task, source: Provenance, chunks: list[list[Item]], tally: Tally
    ) -> None:
        if len(chunks) > self.settings.batch_threshold:
            self.submit_batch(task, source, chunks, tally)
            return
        for n, chunk in enumerate(chunks):
            if not self.request(task, source, chunk, tally):
                tally.remaining += sum(len(c) for c in chunks[n:])
                tally.capped = True
                return
            if (n + 1) % 25 == 0:
                self.progress(
                    f"{task.name}: {n + 1}/{len(chunks)} requests, ${self.budget.spent_usd:.4f}"
                )

    # ------------------------------------------------------------------------- Message Batches

    def estimate_usd(self, params: dict[str, Any], model: str) -> float:
        """A request's cost before sending: input from its length, output at a quarter of
        max_tokens, at batch prices."""
        chars = len(json.dumps(params["messages"])) + len(params["system"][0]["text"])
        input_price, output_price = prices(model)
        return (chars / 4 * input_price + params["max_tokens"] / 4 * output_price) / 2e6

    def submit_batch(
        self, task: Task, source: Provenance, chunks: list[list[Item]], tally: Tally
    ) -> None:
        requests, ledger, planned = [], {}, 0.0
        for n, chunk in enumerate(chunks):
            params = self.params(task, source.model, chunk)
            planned += self.estimate_usd(params, source.model)
            if planned > self.budget.remaining():
                tally.remaining += sum(len(c) for c in chunks[n:])
                tally.capped = True
                self.progress(
                    f"{task.name}: spend cap leaves room for {n} of {len(chunks)} batch requests"
                )
                break
            custom_id = f"{task.name}-{n}"
            requests.append({"custom_id": custom_id, "params": params})
            ledger[custom_id] = chunk
        if not requests:
            return
        batch = self.call(
            f"{task.name} batch", self.client.messages.batches.create, requests=requests
        )
        self.store.save_batch(batch.id, task, source, ledger)
        tally.batches.append(batch.id)
        self.progress(f"{task.name}: submitted Message Batch {batch.id} ({len(requests)} requests)")
        self.collect(batch.id, task, source, ledger, tally)

    def collect(
        self,
        batch_id: str,
        task: Task,
        source: Provenance,
        ledger: dict[str, list[Item]],
        tally: Tally,
    ) -> None:
        s = self.settings
        delay, waited = s.batch_poll_seconds, 0.0
        try:
            batch = self.call(
                f"batch {batch_id}",
                self.client.messages.batches.retrieve,
                message_batch_id=batch_id,
            )
        except AnthropicFailed as failed:
            if not isinstance(failed.__cause__, anthropic.NotFoundError):
                raise
            # e.g. submitted with another key's workspace: its items are simply due again
            self.store.batch_collected(batch_id, status="not_found")
            self.progress(f"{task.name}: Message Batch {batch_id} no longer exists; re-sending")
            return
        while batch.processing_status != "ended":
            if waited >= s.batch_max_wait_seconds:
                raise BatchPending(
                    f"Message Batch {batch_id} ({task.name}) is still {batch.processing_status} "
                    f"after {waited:.0f}s; its id is saved in enrichment.llm_batches: re-run "
                    "`devmetrics enrich` later to collect it (nothing is submitted twice)"
                )
            self.sleep(delay)
            waited += delay
            delay = min(delay * 2, s.batch_poll_max_seconds)
            batch = self.call(
                f"batch {batch_id}",
                self.client.messages.batches.retrieve,
                message_batch_id=batch_id,
            )
        results = self.call(
            f"batch {batch_id} results",
            self.client.messages.batches.results,
            message_batch_id=batch_id,
        )
        done = self.store.done(task, source)  # rows a run stopped mid-collection wrote
        for result in results:
            items = ledger[result.custom_id]
            if all((item.key, item.content_hash) in done for item in items):
                continue
            if result.result.type != "succeeded":
                tally.remaining += len(items)  # expired, canceled or errored: a re-run retries
                log.warning("batch %s: %s %s", batch_id, result.custom_id, result.result.type)
                continue
            message = result.result.message
            usage = Usage.of(message.usage)
            cost = cost_usd(source.model, usage, batch=True)
            self.budget.charge(cost)
            tally.requests += 1
            tally.usage += usage
            tally.cost_usd += cost
            text = "".join(block.text for block in message.content if block.type == "text")
            self.settle(task, source, items, text, usage, cost, tally)
        self.store.batch_collected(batch_id)
        self.progress(f"{task.name}: collected Message Batch {batch_id}")
