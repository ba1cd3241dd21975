"""Enrichment benchmark: API requests, tokens and list-price cost per item, and the calls a
no-change re-run makes, against the local fake Anthropic API.

    devmetrics bench enrich --scale 1 [--seed 42]
    python -m benchmarks.enrich --scale 1

1. Extracts a synthetic organisation of the given scale from the emulator and builds the marts
   with dbt (as the demo does).
2. Enriches pull requests, commits and weekly digests through the Anthropic code path (the
   real `anthropic` SDK) against pipelines.enrichment.fake_anthropic, whose usage numbers are
   deterministic (one token per 4 characters; the cached instructions count as cache reads).
3. Re-runs the enrichment with nothing changed and counts the API calls it makes.
4. Prints one JSON object as the last line of stdout (keys in benchmarks/README.md), with the
   targets: at most 50 requests per 1,000 commits, at most 1 per PR, 0 calls on a re-run.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from pipelines.enrichment.fake_anthropic import run_fake_anthropic
from pipelines.enrichment.prompts import parse_user_message
from pipelines.enrichment.run import run_enrichment
from pipelines.enrichment.settings import EnrichmentSettings
from pipelines.extract import run_extract
from pipelines.github_emulator import run_emulator
from pipelines.github_emulator.generator import DEFAULT_END
from pipelines.transform import build

TAGS = {"pull_request": "pull_requests", "commits": "commits", "week": "digests"}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def requests_by_task(fake) -> dict[str, int]:
    counts = dict.fromkeys(TAGS.values(), 0)
    for request in fake.calls():
        tag, _ = parse_user_message(request["body"]["messages"][0]["content"])
        counts[TAGS[tag]] += 1
    return counts


def per_item(con: duckdb.DuckDBPyConnection, table: str) -> tuple[int, float, float, float]:
    count, tokens_in, tokens_out, usd = con.execute(
        f"select count(*), sum(input_tokens), sum(output_tokens), sum(cost_usd) from enrichment.{table}"
    ).fetchone()
    count = count or 1
    return count, (tokens_in or 0) / count, (tokens_out or 0) / count, (usd or 0) / count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        warehouse = Path(tmp) / "warehouse.duckdb"
        log(f"extracting a scale-{args.scale} organisation and building the marts…")
        with run_emulator(scale=args.scale, seed=args.seed) as gh:
            run_extract(
                warehouse, org=gh.store.org.login, tokens="t", api_url=gh.api_url, progress=log
            )
        build(
            warehouse, vars={"as_of": DEFAULT_END.strftime("%Y-%m-%d %H:%M:%S")}, unit_tests=False
        )
        with run_fake_anthropic() as fake:
            settings = EnrichmentSettings(
                provider="anthropic",
                api_key="bench",
                base_url=fake.base_url,
                max_usd=1_000.0,
                batch_threshold=10**9,
            )
            enrich_started = time.perf_counter()
            run_enrichment(warehouse, settings, progress=log)
            enrich_s = time.perf_counter() - enrich_started
            requests = requests_by_task(fake)
            before = len(fake.requests)
            run_enrichment(warehouse, settings, progress=log)
            rerun_calls = len(fake.requests) - before
        with duckdb.connect(str(warehouse), read_only=True) as con:
            prs, pr_in, pr_out, pr_usd = per_item(con, "pull_request_insights")
            commits, c_in, c_out, c_usd = per_item(con, "commit_insights")
            digests, _, _, d_usd = per_item(con, "weekly_digests")
    result = {
        "scale": args.scale,
        "seed": args.seed,
        "pull_requests": prs,
        "commits": commits,
        "digests": digests,
        "requests": requests,
        "requests_per_1000_commits": round(requests["commits"] / commits * 1000, 1),
        "requests_per_1000_prs": round(requests["pull_requests"] / prs * 1000, 1),
        "rerun_calls": rerun_calls,
        "input_tokens_per_pr": round(pr_in, 1),
        "output_tokens_per_pr": round(pr_out, 1),
        "input_tokens_per_commit": round(c_in, 1),
        "output_tokens_per_commit": round(c_out, 1),
        "usd_per_1000_prs": round(pr_usd * 1000, 4),
        "usd_per_1000_prs_batch_api": round(pr_usd * 500, 4),
        "usd_per_1000_commits": round(c_usd * 1000, 4),
        "usd_per_digest": round(d_usd, 5),
        "models": settings.models,
        "enrich_s": round(enrich_s, 1),
        "benchmark_wall_s": round(time.perf_counter() - started, 1),
    }
    result["targets_met"] = {
        "requests_per_1000_commits<=50": result["requests_per_1000_commits"] <= 50,
        "requests_per_pr<=1": result["requests_per_1000_prs"] <= 1000,
        "rerun_calls==0": rerun_calls == 0,
    }
    print(json.dumps(result))
    return 0 if all(result["targets_met"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
