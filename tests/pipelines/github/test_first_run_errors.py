"""The mistakes of a first run explain themselves: a missing token, a misspelt organisation and an
unreachable API each end the run with what to do next, and `devmetrics extract` prints that
message and exits non-zero without a traceback."""

from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.extract import run_extract

CLEAN_ENV = {  # nothing from the developer's shell may configure these runs
    "GITHUB_TOKEN": None,
    "GITHUB_API_URL": None,
    "GITHUB_GRAPHQL_URL": None,
    "SOURCES__GITHUB__ACCESS_TOKEN": None,
    "SOURCES__GITHUB__ORG": None,
    "DEVMETRICS_GITHUB_ORG": None,
    "DEVMETRICS_GITHUB_REPOS": None,
}


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No token or organisation in the environment, and no .dlt/ folder in the working directory."""
    for name in CLEAN_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _extract_cli(warehouse, *args: str, token: str | None = "t"):
    env = {**CLEAN_ENV, "GITHUB_TOKEN": token}
    command = ["extract", *args, "--warehouse", str(warehouse), "--max-wait", "3"]
    return CliRunner().invoke(main, command, env=env)


def _assert_clean_exit(outcome) -> None:
    assert outcome.exit_code != 0
    assert isinstance(outcome.exception, SystemExit), outcome.exception
    assert "Traceback" not in outcome.output


def test_misspelt_organisation_stops_the_run_saying_to_check_the_org_and_token_scope(
    make_emulator, tmp_path, clean_env
):
    gh = make_emulator()
    result = run_extract(
        tmp_path / "w.duckdb", org="acme-crop", tokens="t", api_url=gh.api_url, progress=print
    )
    assert not result.report.ok and result.report.repositories == 0
    stopped = result.report.stopped
    assert "404" in stopped and "'acme-crop'" in stopped
    assert "DEVMETRICS_GITHUB_ORG" in stopped and "read:org" in stopped


def test_extract_command_with_a_misspelt_organisation_prints_what_to_check_and_exits_1(
    make_emulator, tmp_path, clean_env
):
    gh = make_emulator()
    outcome = _extract_cli(tmp_path / "w.duckdb", "--org", "acme-crop", "--api-url", gh.api_url)
    _assert_clean_exit(outcome)
    assert outcome.exit_code == 1
    assert "STOPPED could not list the repositories of acme-crop" in outcome.output
    assert "check the spelling of --org / DEVMETRICS_GITHUB_ORG" in outcome.output
    assert "raw table" not in outcome.output  # no table of zeros before the message


def test_extract_command_without_a_token_says_to_set_github_token_before_any_request(
    make_emulator, tmp_path, clean_env
):
    gh = make_emulator()
    outcome = _extract_cli(
        tmp_path / "w.duckdb", "--org", gh.store.org.login, "--api-url", gh.api_url, token=None
    )
    _assert_clean_exit(outcome)
    assert "set GITHUB_TOKEN" in outcome.output and "devmetrics demo" in outcome.output
    assert gh.stats()["requests"]["total"] == 0


def test_run_without_a_token_is_answered_401_and_says_no_token_was_sent(
    make_emulator, tmp_path, clean_env
):
    gh = make_emulator()
    result = run_extract(
        tmp_path / "w.duckdb", org=gh.store.org.login, api_url=gh.api_url, progress=print
    )
    stopped = result.report.stopped
    assert "401" in stopped and "no token was sent: set GITHUB_TOKEN" in stopped
    assert result.row_counts["pull_requests"] == 0


def test_unreachable_api_stops_the_run_saying_to_check_the_api_url_and_network(tmp_path, clean_env):
    url = f"http://127.0.0.1:{_closed_port()}"
    result = run_extract(
        tmp_path / "w.duckdb",
        org="acme-corp",
        tokens="t",
        api_url=url,
        max_wait_seconds=3,
        progress=print,
    )
    stopped = result.report.stopped
    assert url in stopped and "GITHUB_API_URL" in stopped and "network" in stopped
    assert "add tokens" not in stopped  # not mistaken for a rate limit


def test_extract_command_against_an_unreachable_api_prints_what_to_check_and_exits_1(
    tmp_path, clean_env
):
    url = f"http://127.0.0.1:{_closed_port()}"
    outcome = _extract_cli(tmp_path / "w.duckdb", "--org", "acme-corp", "--api-url", url)
    _assert_clean_exit(outcome)
    assert outcome.exit_code == 1
    assert "STOPPED could not list the repositories of acme-corp: GitHub kept failing" in (
        outcome.output
    )
    assert "check the API URL (GITHUB_API_URL or --api-url" in outcome.output
