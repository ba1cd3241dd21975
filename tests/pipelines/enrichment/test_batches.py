"""Message Batches for backfills: submit, poll with backoff, collect at half price, and resume
after an interruption without paying twice or writing duplicates."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pipelines.enrichment import run_enrichment
from pipelines.enrichment.pricing import Usage, cost_usd
from pipelines.enrichment.store import Store
from tests.pipelines.enrichment.warehouse import keep_pull_requests, query


def test_batch_path_submits_polls_with_backoff_and_collects_at_half_price(warehouse, fake, claude):
    fake.batch_polls_until_ended = 3
    sleeps: list[float] = []
    settings = replace(claude, batch_threshold=5, commits_per_request=40)
    report = run_enrichment(warehouse, settings, tasks=["commits"], sleep=sleeps.append)
    (commits,) = report.tasks
    assert len(fake.calls("/v1/messages/batches")) == 1 and fake.calls() == []
    assert sleeps == [0.01, 0.02]  # polled until ended, doubling up to batch_poll_max_seconds
    assert commits.tally.enriched == commits.items == 797 and len(commits.tally.batches) == 1
    assert query(warehouse, "select status from enrichment.llm_batches") == [("collected",)]
    billed = sum(
        (
            Usage(**r["result"]["message"]["usage"])
            for r in next(iter(fake.batches.values()))["results"]
        ),
        Usage(),
    )
    (stored,) = query(warehouse, "select sum(cost_usd) from enrichment.commit_insights")[0]
    assert stored == pytest.approx(cost_usd("claude-haiku-4-5", billed) / 2)


def test_interrupted_batch_is_collected_by_the_next_run_without_resubmitting(
    warehouse, fake, claude
):
    fake.batch_polls_until_ended = 10**6
    settings = replace(claude, batch_threshold=5, batch_max_wait_seconds=0.02)
    first = run_enrichment(warehouse, settings, tasks=["commits"])
    assert first.stopped and "msgbatch_fake_" in first.stopped and "re-run" in first.stopped
    assert query(warehouse, "select count(*) from enrichment.commit_insights") == [(0,)]
    assert query(warehouse, "select status from enrichment.llm_batches") == [("pending",)]
    fake.batch_polls_until_ended = 0
    second = run_enrichment(warehouse, settings, tasks=["commits"])
    assert second.stopped is None and second.tasks[0].cached == 797
    assert len(fake.calls("/v1/messages/batches")) == 1  # collected, never resubmitted
    assert query(warehouse, "select count(*) from enrichment.commit_insights") == [(797,)]


def test_a_run_stopped_in_the_middle_of_collecting_a_batch_writes_no_duplicates(
    warehouse, fake, claude, monkeypatch
):
    settings = replace(claude, batch_threshold=5)

    def killed(self, batch_id, status="collected"):
        raise KeyboardInterrupt("killed after writing the rows, before closing the batch")

    with monkeypatch.context() as patch:
        patch.setattr(Store, "batch_collected", killed)
        with pytest.raises(KeyboardInterrupt):
            run_enrichment(warehouse, settings, tasks=["commits"])
    assert query(warehouse, "select status from enrichment.llm_batches") == [("pending",)]
    second = run_enrichment(warehouse, settings, tasks=["commits"])
    assert second.tasks[0].cached == 797 and second.tasks[0].tally.requests == 0
    assert query(
        warehouse, "select count(*), count(distinct commit_id) from enrichment.commit_insights"
    ) == [(797, 797)]
    assert query(warehouse, "select status from enrichment.llm_batches") == [("collected",)]
    assert len(fake.calls("/v1/messages/batches")) == 1


def test_a_pending_batch_the_api_no_longer_knows_is_closed_and_its_items_sent_again(
    warehouse, fake, claude
):
    keep_pull_requests(warehouse, 2)
    query(
        warehouse,
        "insert into enrichment.llm_batches values "
        "('msgbatch_gone', 'pull_requests', 'claude-sonnet-5-5', 'pr-v1', '{}', 'pending', now(), null)",
    )
    report = run_enrichment(warehouse, claude, tasks=["pull_requests"])
    assert report.stopped is None and report.tasks[0].tally.enriched == 2
    assert query(warehouse, "select status from enrichment.llm_batches") == [("not_found",)]
