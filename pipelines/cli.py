"""The `devmetrics` command line.

devmetrics demo                      run DevMetrics end to end against the local emulator
devmetrics emulator serve ...        serve a local GitHub API (GraphQL + REST)
devmetrics bench extract --scale N   benchmark the extraction (JSON on the last line)
    devmetrics bench transform --scale N benchmark the dbt build, full and incremental
devmetrics enrich                    enrich PRs, commits and weekly digests (Claude or heuristics)
devmetrics ask "QUESTION"            answer a question from the marts with read-only SQL
devmetrics publish                   copy the marts into the read-only serving snapshot
devmetrics bench enrich --scale N    benchmark the enrichment's requests, tokens and cost
devmetrics backfill --from 2026-01 --to 2026-03   load past months (Dagster job github_backfill)
"""

from __future__ import annotations

import json
import logging
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import click

from pipelines.github_emulator.faults import PROFILES, parse_profiles


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages to stderr.")
def main(verbose: bool) -> None:
    """DevMetrics: an engineering-metrics warehouse built from GitHub activity.

    Start with `devmetrics demo`; it needs no token and no network. Against a real
    organisation: `GITHUB_TOKEN=… devmetrics extract --org ORG`, then `devmetrics transform`.
    Each command's own --help lists its options and the environment variables it reads.
    """
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not verbose:  # one line per HTTP request is noise outside debugging
        logging.getLogger("httpx").setLevel(logging.WARNING)


# ----------------------------------------------------------------------------- emulator


def warehouse_option(help: str, envvar: str | None = "DEVMETRICS_WAREHOUSE"):
    """--warehouse: the DuckDB file a command reads or writes ($DEVMETRICS_WAREHOUSE, as in .env)."""
    return click.option(
        "--warehouse",
        default="data/devmetrics.duckdb",
        show_default=True,
        envvar=envvar,
        type=click.Path(path_type=Path),
        help=help,
    )


@main.group()
def emulator() -> None:
    """A local GitHub API for demos, tests and benchmarks (no token, no network)."""


def _faults_option(value: str | None) -> frozenset[str]:
    try:
        return parse_profiles(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


def _date(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not an ISO date such as 2026-06-30") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@emulator.command("serve")
@click.option(
    "--port", default=8765, show_default=True, help="Port on 127.0.0.1 (0: any free port)."
)
@click.option(
    "--scale",
    default=1.0,
    show_default=True,
    help="Organisation size: 1 ≈ 8 repositories, 30 people, 6 months; 0.1 is tiny, 100 is huge.",
)
@click.option(
    "--seed",
    default=42,
    show_default=True,
    help="Random seed: the same seed gives the same organisation.",
)
@click.option(
    "--org",
    default=None,
    help="Organisation login (synthetic default: acme-corp; recorded data keeps its owner).",
)
@click.option(
    "--end",
    default=None,
    help="Last day of synthetic activity (ISO date). Default: a fixed date, so runs are reproducible.",
)
@click.option(
    "--faults", default=None, help=f"Comma-separated fault profiles: {', '.join(PROFILES)}."
)
@click.option(
    "--fault-rate",
    default=0.05,
    show_default=True,
    help="Share of requests a random fault profile hits.",
)
@click.option(
    "--load",
    "load_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Serve recorded GitHub REST objects from this folder instead of synthetic data.",
)
@click.option(
    "--rate-limit",
    default=None,
    type=int,
    help="REST requests and GraphQL points per window and token (default GitHub's 5000).",
)
@click.option(
    "--reset-seconds",
    default=None,
    type=float,
    help="Rate-limit window length (default GitHub's 3600).",
)
@click.option(
    "--tokens",
    default=None,
    help="Comma-separated tokens to accept (others get 401). Default: any token.",
)
def emulator_serve(
    port, scale, seed, org, end, faults, fault_rate, load_dir, rate_limit, reset_seconds, tokens
) -> None:
    """Serve the emulator until interrupted. Prints its URLs, then one JSON line `{"ready": ...}`."""
    from pipelines.github_emulator.server import Emulator, EmulatorConfig, serve

    config = EmulatorConfig(
        scale=scale,
        seed=seed,
        end=_date(end),
        org=org,
        load_dir=load_dir,
        faults=_faults_option(faults),
        fault_rate=fault_rate,
        core_limit=rate_limit,
        graphql_limit=rate_limit,
        reset_seconds=reset_seconds,
        tokens=frozenset(t for t in tokens.split(",") if t) if tokens else None,
    )
    started = time.perf_counter()
    source = (
        f"recorded data in {load_dir}"
        if load_dir
        else f"synthetic organisation (scale {scale}, seed {seed})"
    )
    click.echo(f"Building {source}…", err=True)
    emu = Emulator(config)
    truth = emu.store.ground_truth()
    click.echo(
        f"Ready in {time.perf_counter() - started:.1f}s: {truth['repositories']} repositories, "
        f"{truth['commits']} commits, {truth['pull_requests']} pull requests, {truth['issues']} issues.",
        err=True,
    )
    server = serve(emu, port=port)
    host, bound = server.server_address[:2]
    base = f"http://{host}:{bound}"
    click.echo(
        f"REST      {base}   (Enterprise style: {base}/api/v3)\n"
        f"GraphQL   {base}/graphql   (Enterprise style: {base}/api/graphql)\n"
        f"Stats     {base}/_emulator/stats\n"
        f"Faults    {', '.join(sorted(config.faults)) or 'none'}\n"
        "Press Ctrl-C to stop.",
        err=True,
    )
    click.echo(
        json.dumps({"ready": {"api_url": base, "graphql_url": f"{base}/graphql", "pid": _pid()}})
    )
    sys.stdout.flush()
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _pid() -> int:
    import os

    return os.getpid()


# ----------------------------------------------------------------------------- extract


@main.command()
@click.option(
    "--org",
    default=None,
    envvar="DEVMETRICS_GITHUB_ORG",
    help="Organisation whose repositories to load ($DEVMETRICS_GITHUB_ORG; or dlt's sources.github.org).",
)
@click.option(
    "--repo",
    "repos",
    multiple=True,
    envvar="DEVMETRICS_GITHUB_REPOS",
    help="A repository OWNER/NAME to load (repeatable; $DEVMETRICS_GITHUB_REPOS, space-separated); instead of --org.",
)
@click.option(
    "--since",
    default=None,
    help="Load only activity from this ISO date on (a backfill window; cursors untouched).",
)
@click.option("--until", default=None, help="End of the backfill window (ISO date, exclusive).")
@warehouse_option("DuckDB file; raw tables go to its github_raw schema.")
@click.option(
    "--destination",
    type=click.Choice(["duckdb", "postgres"]),
    default="duckdb",
    show_default=True,
    envvar="DEVMETRICS_DESTINATION",
    help="Load into the DuckDB --warehouse, or PostgreSQL ($DEVMETRICS_PG_HOST/PORT/USER/PASSWORD/DATABASE).",
)
@click.option(
    "--api-url",
    default=None,
    help="REST base URL (default $GITHUB_API_URL or https://api.github.com; GitHub Enterprise: https://HOST/api/v3).",
)
@click.option(
    "--graphql-url",
    default=None,
    help="GraphQL URL (default $GITHUB_GRAPHQL_URL, else derived from the API URL).",
)
@click.option(
    "--max-wait",
    default=900.0,
    show_default=True,
    help="Most seconds to spend waiting for rate limits in one run.",
)
def extract(
    org, repos, since, until, warehouse, destination, api_url, graphql_url, max_wait
) -> None:
    """Extract GitHub activity into the warehouse, incrementally from the last run.

    Needs GITHUB_TOKEN (several tokens comma-separated; they rotate when one runs out), or
    dlt's SOURCES__GITHUB__ACCESS_TOKEN / .dlt/secrets.toml.
    """
    import os

    from pipelines.extract import run_extract

    if org and repos:
        raise click.UsageError("Give either --org ORG or one or more --repo OWNER/NAME, not both.")
    if not org and not repos and not _dlt_config_names_a_target():
        raise click.UsageError(
            "Say what to load: --org ORG, or --repo OWNER/NAME (repeatable), or dlt's "
            "sources.github.org / sources.github.repositories in .dlt/config.toml or the environment."
        )
    bad = [r for r in repos if r.count("/") != 1 or not all(r.split("/"))]
    if bad:
        raise click.BadParameter(f"{', '.join(bad)}: expected OWNER/NAME", param_hint="--repo")
    if not (
        os.environ.get("GITHUB_TOKEN")
        or os.environ.get("SOURCES__GITHUB__ACCESS_TOKEN")
        or Path(".dlt/secrets.toml").exists()
    ):
        raise click.UsageError(
            "No GitHub token: set GITHUB_TOKEN (a fine-grained or classic token with read access "
            "to the repositories and read:org), or run `devmetrics demo` to try DevMetrics without one."
        )
    result = run_extract(
        warehouse=warehouse,
        org=org,
        repositories=list(repos),
        api_url=api_url,
        graphql_url=graphql_url,
        since=since,
        until=until,
        max_wait_seconds=max_wait,
        progress=lambda message: click.echo(message, err=True),
        destination=destination,
    )
    if destination == "postgres":
        from pipelines.extract import postgres_settings

        pg = postgres_settings()
        warehouse = f"postgresql://{pg['user']}@{pg['host']}:{pg['port']}/{pg['database']}"
    if any(result.row_counts.values()):  # a first run that failed has only zeros to show
        _print_counts(result.row_counts)
    report = result.report
    click.echo(
        f"{len(report.extracted)} repositories extracted, {len(report.unchanged)} unchanged since the last run, "
        f"{len(report.failures)} failed. Warehouse: {warehouse}"
    )
    for repo, message in sorted(report.failures.items()):
        click.echo(f"FAILED {repo}: {message}", err=True)
    if report.stopped:
        click.echo(f"STOPPED {report.stopped}", err=True)
    if not report.ok:
        sys.exit(1)


def _dlt_config_names_a_target() -> bool:
    import dlt

    for key in ("sources.github.org", "sources.github.repositories"):
        try:
            if dlt.config[key]:
                return True
        except KeyError:
            continue
    return False


def _print_counts(counts: dict[str, int]) -> None:
    width = max(len(t) for t in counts)
    click.echo(f"{'raw table':<{width}}  {'rows':>9}")
    for table, count in counts.items():
        click.echo(f"{table:<{width}}  {count:>9,}")


# ----------------------------------------------------------------------------- bench


@main.group()
def bench() -> None:
    """Reproducible benchmarks; each prints one JSON object as its last line of stdout."""


@bench.command("extract")
@click.option("--scale", default=1.0, show_default=True, help="Size of the synthetic organisation.")
@click.option(
    "--seed", default=42, show_default=True, help="Random seed of the synthetic organisation."
)
def bench_extract(scale: float, seed: int) -> None:
    """Full load and no-change incremental run against the emulator: API requests vs the
    pagination floor, records per extractor CPU-second, peak RSS (see benchmarks/README.md)."""
    from benchmarks.extract import main as bench_main

    sys.exit(bench_main(["--scale", str(scale), "--seed", str(seed)]))


@bench.command("transform")
@click.option("--scale", default=1.0, show_default=True, help="Size of the synthetic organisation.")
@click.option("--seed", default=42, show_default=True, help="Random seed of the organisation.")
def bench_transform(scale: float, seed: int) -> None:
    """Full dbt build, then an incremental build after ~1% new activity: seconds, peak RSS,
    rows per mart (JSON on the last line; see benchmarks/README.md)."""
    from benchmarks.transform import main as bench_main

    sys.exit(bench_main(["--scale", str(scale), "--seed", str(seed)]))


@bench.command("enrich")
@click.option("--scale", default=1.0, show_default=True, help="Size of the synthetic organisation.")
@click.option("--seed", default=42, show_default=True, help="Random seed of the organisation.")
def bench_enrich(scale: float, seed: int) -> None:
    """Enrichment against the local fake Anthropic API: requests per 1,000 commits and PRs,
    tokens and list-price cost per item, calls on a no-change re-run (JSON on the last line)."""
    from benchmarks.enrich import main as bench_main

    sys.exit(bench_main(["--scale", str(scale), "--seed", str(seed)]))


# ----------------------------------------------------------------------------- enrichment


@main.command()
@warehouse_option("DuckDB warehouse built by `devmetrics transform`.")
@click.option(
    "--provider",
    type=click.Choice(["auto", "anthropic", "heuristic"]),
    default=None,
    help="auto (default, $DEVMETRICS_LLM_PROVIDER): Claude when ANTHROPIC_API_KEY is set, else heuristics.",
)
@click.option(
    "--max-usd",
    type=float,
    default=None,
    help="Spend cap of this run ($DEVMETRICS_LLM_MAX_USD, 5).",
)
@click.option(
    "--only",
    multiple=True,
    type=click.Choice(["pull_requests", "commits", "digests"]),
    help="Enrich only these (repeatable); default all three.",
)
@click.option("--no-marts", is_flag=True, help="Do not rebuild the insight marts afterwards.")
def enrich(warehouse: Path, provider, max_usd, only, no_marts: bool) -> None:
    """Enrich new or changed pull requests and commits and write weekly team digests, then
    rebuild the insight marts. Unchanged items are never sent twice."""
    from pipelines.enrichment import EnrichmentSettings, refresh_insight_marts, run_enrichment
    from pipelines.transform import TransformError

    if not warehouse.exists():
        raise click.UsageError(f"{warehouse} does not exist: run `devmetrics demo` or `devmetrics extract` + `devmetrics transform` first.")  # fmt: skip
    try:
        settings = EnrichmentSettings.from_env(provider=provider, max_usd=max_usd)
        settings.resolved_provider  # noqa: B018 - fails early when anthropic has no key
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    report = run_enrichment(
        warehouse, settings, tasks=only or None, progress=lambda m: click.echo(m, err=True)
    )
    for line in report.lines():
        click.echo(line)
    if not no_marts:
        try:
            refresh_insight_marts(warehouse)
        except TransformError as error:
            click.echo(f"FAILED rebuilding the insight marts: {error}", err=True)
            sys.exit(1)
        click.echo("Insight marts rebuilt: marts.mart_pull_request_insights, mart_commit_insights, mart_weekly_digest.")  # fmt: skip
    if report.stopped:
        sys.exit(1)


@main.command()
@click.argument("question")
@warehouse_option("DuckDB warehouse (used when there is no serving snapshot).")
@click.option(
    "--serving",
    default=None,
    envvar="DEVMETRICS_SERVING_PATH",
    type=click.Path(path_type=Path),
    help="Serving snapshot to query (default serving.duckdb beside the warehouse, when it exists).",
)
@click.option("--sql", default=None, help="Run this SQL under the guards instead of asking Claude.")
@click.option("--max-rows", default=200, show_default=True, help="Rows fetched at most.")
@click.option(
    "--timeout", default=10.0, show_default=True, help="Seconds before the query is stopped."
)
def ask(question: str, warehouse: Path, serving, sql, max_rows: int, timeout: float) -> None:
    """Answer QUESTION from the marts: Claude writes read-only SQL, which runs under guards
    (one SELECT, marts only, no files or network, row and time limits); prints the SQL, the
    rows and the answer. A rejected query is explained, not run."""
    from pipelines.enrichment.ask import ask as ask_question

    serving = serving or warehouse.parent / "serving.duckdb"
    if not warehouse.exists() and not serving.exists():
        raise click.UsageError(f"neither {serving} nor {warehouse} exists: run `devmetrics demo` first.")  # fmt: skip
    try:
        answer = ask_question(question, warehouse, serving, sql=sql, row_limit=max_rows, timeout_seconds=timeout)  # fmt: skip
    except RuntimeError as error:
        raise click.UsageError(str(error)) from error
    click.echo(f"-- {answer.explanation}\n{answer.sql.strip()}\n")
    if answer.rejected:
        click.echo(f"REJECTED, not run: {answer.rejected}")
        sys.exit(2)
    click.echo(" | ".join(answer.columns))
    for row in answer.rows:
        click.echo(" | ".join("" if v is None else str(v) for v in row))
    more = (
        f" (first {len(answer.rows)}; more were cut off by --max-rows)" if answer.truncated else ""
    )
    click.echo(f"({len(answer.rows)} rows from {answer.database}{more})")
    if answer.answer:
        click.echo(f"\n{answer.answer}\n(cost ${answer.cost_usd:.4f})")


# ----------------------------------------------------------------------------- transform


@main.command()
@warehouse_option("DuckDB warehouse holding github_raw (target duckdb).")
@click.option(
    "--target",
    default="duckdb",
    show_default=True,
    type=click.Choice(["duckdb", "postgres"]),
    envvar="DEVMETRICS_DBT_TARGET",
    help="dbt target in dbt_project/profiles.yml (postgres reads DEVMETRICS_PG_*).",
)
@click.option("--full-refresh", is_flag=True, help="Rebuild incremental models from scratch.")
def transform(warehouse: Path, target: str, full_refresh: bool) -> None:
    """Build the dbt project: staging views, intermediate models, marts, and all their tests."""
    from pipelines.transform import TransformError, build

    if target == "duckdb" and not warehouse.exists():
        raise click.UsageError(
            f"{warehouse} does not exist: run `devmetrics extract` (or the demo) first."
        )
    try:
        build(warehouse, target=target, full_refresh=full_refresh)
    except TransformError as error:
        click.echo(f"FAILED {error}", err=True)
        sys.exit(1)
    click.echo(f"dbt build passed on {warehouse if target == 'duckdb' else target}.")


# ----------------------------------------------------------------------------- publish


@main.command()
@warehouse_option("DuckDB warehouse whose marts to publish.")
@click.option(
    "--serving",
    default=None,
    type=click.Path(path_type=Path),
    help="Snapshot to replace (default $DEVMETRICS_SERVING_PATH, else serving.duckdb beside the warehouse).",
)
def publish(warehouse: Path, serving: Path | None) -> None:
    """Copy the marts into the read-only serving snapshot, replaced atomically (what the Dagster
    asset serving_snapshot does after each build)."""
    from pipelines.serving import ServingError, serving_path_for
    from pipelines.serving import publish as publish_marts

    serving = serving or serving_path_for(warehouse)
    try:
        result = publish_marts(warehouse, serving)
    except ServingError as error:
        raise click.UsageError(str(error)) from error
    click.echo(
        f"Published {result['tables']} tables ({result['rows']:,} rows, {result['bytes']:,} bytes) "
        f"to {result['path']} in {result['seconds']} s."
    )


# ----------------------------------------------------------------------------- backfill


@main.command()
@click.option("--from", "first", required=True, help="First month to load (YYYY-MM).")
@click.option("--to", "last", required=True, help="Last month to load, included (YYYY-MM).")
def backfill(first: str, last: str) -> None:
    """Load past months from GitHub through the Dagster job `github_backfill`, then rebuild the
    marts once. Each month is an explicit window: the incremental cursors stay as they are.

    Reads the same environment as `dagster dev` (.env: DEVMETRICS_GITHUB_ORG or
    DEVMETRICS_GITHUB_REPOS, GITHUB_TOKEN, DEVMETRICS_WAREHOUSE); with DAGSTER_HOME set the
    runs are recorded there and show in the UI.
    """
    # The CLI is the entry point: Dagster is imported here only, never by the rest of pipelines/.
    from orchestration.lib.extraction import month_partition_keys
    from orchestration.run import load_definitions, run_backfill

    try:
        keys = month_partition_keys(first, last)
    except ValueError as error:
        raise click.BadParameter(f"{error} (expected YYYY-MM)") from error
    click.echo(f"Back-filling {len(keys)} months: {keys[0][:7]} to {keys[-1][:7]}", err=True)
    results = run_backfill(load_definitions(), keys)
    for key, result in zip(keys, results, strict=False):
        click.echo(f"{key[:7]}  {'ok' if result.success else 'FAILED'}  run {result.run_id}")
    if len(results) < len(keys) or not results[-1].success:
        failure = next(r for r in results if not r.success)
        for event in failure.all_events:
            if event.is_step_failure:
                error = event.step_failure_data.error
                click.echo(f"FAILED {event.step_key}: {error.message if error else ''}", err=True)
        click.echo(
            "Fix the cause and re-run the same command: months merge on their keys.", err=True
        )
        sys.exit(1)


# ----------------------------------------------------------------------------- demo


@main.command()
@warehouse_option("DuckDB file the demo writes.", envvar=None)
@click.option("--scale", default=1.0, show_default=True, help="Size of the synthetic organisation.")
@click.option(
    "--seed", default=42, show_default=True, help="Random seed of the synthetic organisation."
)
def demo(warehouse: Path, scale: float, seed: int) -> None:
    """Run DevMetrics against a local emulated GitHub organisation (no token, no network): the
    same Dagster asset graph `dagster dev` serves, materialised in this process."""
    from orchestration.run import materialize_against
    from pipelines.demo import run_demo

    sys.exit(
        run_demo(
            warehouse=warehouse,
            scale=scale,
            seed=seed,
            materialize=materialize_against,
            echo=click.echo,
        )
    )


if __name__ == "__main__":
    main()
