"""`devmetrics demo`: DevMetrics end to end against the local emulator, no token, no network.

Today it starts the emulator in-process, shows the organisation it serves and walks the same
APIs the extractor uses (GraphQL and REST, with rate-limit and ETag behaviour). Each later
stage (extraction, marts, enrichment, Dagster) extends this one path.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx

from pipelines.github_emulator import run_emulator

DEMO_TOKEN = "demo-token-not-a-secret"

REPOSITORIES_QUERY = """
query Repositories($org: String!) {
  organization(login: $org) {
    repositories(first: 100, orderBy: {field: NAME, direction: ASC}) {
      totalCount
      nodes {
        name
        pushedAt
        pullRequests(first: 1) { totalCount }
        issues(first: 1) { totalCount }
      }
    }
  }
  rateLimit { cost remaining resetAt }
}
"""


def run_demo(warehouse: Path, scale: float, seed: int, echo: Callable[[str], None] = print) -> int:
    started = time.perf_counter()
    echo(f"[1/3] Generating a synthetic GitHub organisation (scale {scale}, seed {seed})…")
    with run_emulator(scale=scale, seed=seed) as gh:
        truth = gh.store.ground_truth()
        echo(
            f"      {truth['repositories']} repositories, {truth['users']} people and bots, "
            f"{truth['teams']} teams, ready in {time.perf_counter() - started:.1f}s"
        )
        echo(f"[2/3] Serving GitHub's API on {gh.api_url} (GraphQL at {gh.graphql_url})")
        headers = {"Authorization": f"Bearer {DEMO_TOKEN}"}
        with httpx.Client(headers=headers, timeout=30) as client:
            org = gh.store.org.login
            answer = client.post(
                gh.graphql_url, json={"query": REPOSITORIES_QUERY, "variables": {"org": org}}
            )
            answer.raise_for_status()
            data = answer.json()["data"]
            echo(f"      {'repository':<24}{'pull requests':>14}{'issues':>8}  last push")
            for repo in data["organization"]["repositories"]["nodes"]:
                echo(
                    f"      {repo['name']:<24}{repo['pullRequests']['totalCount']:>14}"
                    f"{repo['issues']['totalCount']:>8}  {repo['pushedAt']}"
                )
            rate = data["rateLimit"]
            echo(f"      GraphQL cost {rate['cost']} point(s), {rate['remaining']} remaining")
            first = data["organization"]["repositories"]["nodes"][0]["name"]
            url = f"{gh.api_url}/repos/{org}/{first}/pulls?state=all&per_page=100"
            page = client.get(url)
            again = client.get(url, headers={"If-None-Match": page.headers["ETag"]})
            echo(
                f"      REST {first} pulls: {page.status_code}, {len(page.json())} items; "
                f"repeated with its ETag: {again.status_code} "
                f"(REST budget {again.headers['X-RateLimit-Remaining']} left, unchanged by the 304)"
            )
        echo("[3/3] Ground truth the emulator reports (GET /_emulator/stats):")
        width = max(len(k) for k in truth)
        for kind, count in truth.items():
            echo(f"      {kind:<{width}}  {count:>8,}")
    echo(
        f"\nDone in {time.perf_counter() - started:.1f}s. Serve it yourself with "
        "`devmetrics emulator serve --scale 1` and point any GitHub client at it."
        f"\n(The warehouse {warehouse} is written once extraction lands; see README.)"
    )
    return 0
