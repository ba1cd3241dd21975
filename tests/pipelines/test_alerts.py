"""pipelines.alerts: webhook payloads, delivery over real HTTP to a receiver on 127.0.0.1, and
the once-per-threshold-crossing state of stale-review alerts."""

from __future__ import annotations

import socket

import duckdb
import pytest

from pipelines.alerts import (
    AlertError,
    StalePullRequest,
    alert_stale_pull_requests,
    post_webhook,
    read_stale_pull_requests,
    run_failure_payload,
    stale_review_payload,
    web_url_for,
)
from tests.webhook_receiver import webhook_receiver


def stale(pull_request_id: int, title: str = "Add caching", hours: float = 30.0):
    return StalePullRequest(pull_request_id, "acme/api", pull_request_id, title, "ada", hours, 24.0)


def numbers(message: dict) -> list[str]:
    return [line.split("|")[1].split(">")[0] for line in message["text"].splitlines()[1:]]


def test_a_pull_request_is_alerted_once_per_threshold_crossing():
    with webhook_receiver() as hook:
        first = alert_stale_pull_requests([stale(1), stale(2)], [], hook.url)
        again = alert_stale_pull_requests([stale(1), stale(2)], first.alerted, hook.url)
        answered = alert_stale_pull_requests([stale(2)], again.alerted, hook.url)
        stale_again = alert_stale_pull_requests([stale(1), stale(2)], answered.alerted, hook.url)

    assert (first.sent, first.alerted) == ((1, 2), {1, 2})
    assert (again.sent, again.alerted) == ((), {1, 2})
    assert (answered.sent, answered.alerted) == ((), {2})
    assert (stale_again.sent, stale_again.alerted) == ((1,), {1, 2})
    assert [numbers(m) for m in hook.messages] == [["acme/api#1", "acme/api#2"], ["acme/api#1"]]


def test_a_large_backlog_is_split_into_messages_of_twenty():
    with webhook_receiver() as hook:
        outcome = alert_stale_pull_requests([stale(i) for i in range(1, 46)], [], hook.url)
    assert [len(numbers(m)) for m in hook.messages] == [20, 20, 5]
    assert outcome.alerted == set(range(1, 46)) and outcome.error is None


def test_a_rejected_delivery_is_not_recorded_and_is_retried_next_time():
    with webhook_receiver() as hook:
        hook.status = 403
        failed = alert_stale_pull_requests([stale(1)], [], hook.url)
        hook.status = 200
        retried = alert_stale_pull_requests([stale(1)], failed.alerted, hook.url)

    assert failed.alerted == set() and failed.sent == ()
    assert "answered 403" in failed.error and "DEVMETRICS_SLACK_WEBHOOK_URL" in failed.error
    assert "secret" not in failed.error  # the webhook URL is a credential
    assert retried.sent == (1,) and len(hook.messages) == 1


def test_an_unreachable_webhook_fails_naming_the_variable_not_the_url():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/services/T000/B000/secret"
    with pytest.raises(AlertError, match=r"Could not reach the webhook in \$DEVMETRICS") as raised:
        post_webhook(url, {"text": "hello"}, timeout=2)
    assert "secret" not in str(raised.value)


def test_stale_review_payload_links_each_pull_request_and_escapes_titles():
    payload = stale_review_payload([stale(7, "Fix <script> & stuff", 36.4), stale(9, hours=25)])
    lines = payload["text"].splitlines()
    assert lines[0] == "*2 pull requests waiting more than 24 h for a first review*"
    assert lines[1] == (
        "• <https://github.com/acme/api/pull/7|acme/api#7> Fix &lt;script&gt; &amp; stuff"
        " — ada, waiting 36 h"
    )
    assert payload["blocks"][0]["text"] == {"type": "mrkdwn", "text": payload["text"]}


def test_links_point_at_github_or_the_enterprise_host_of_the_api():
    assert web_url_for("") == web_url_for("https://api.github.com/") == "https://github.com"
    assert web_url_for("https://ghe.example.com/api/v3") == "https://ghe.example.com"
    payload = stale_review_payload([stale(7)], web_url_for("https://ghe.example.com/api/v3"))
    assert "<https://ghe.example.com/acme/api/pull/7|acme/api#7>" in payload["text"]


def test_run_failure_payload_names_the_job_and_redacts_secrets():
    payload = run_failure_payload(
        "daily_full_build",
        "0123456789abcdef",
        "GitHub answered 401 for token ghp_abcdefghijklmnopqrstuvwxyz0123456789\nTraceback…",
        "http://127.0.0.1:3000/runs/0123456789abcdef",
    )
    assert payload["text"] == (
        "*DevMetrics run failed*: job `daily_full_build`, "
        "<http://127.0.0.1:3000/runs/0123456789abcdef|run 01234567>\n"
        "GitHub answered 401 for token [REDACTED:github-token]"
    )


def test_read_stale_pull_requests_orders_longest_waiting_first(tmp_path):
    snapshot = tmp_path / "serving.duckdb"
    with duckdb.connect(str(snapshot)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.mart_stale_pull_requests as select * from (values "
            "(11, 'acme/web', 3, 'Slow', 'bob', 30.0, 24.0), "
            "(12, 'acme/api', 8, 'Slower', null, 50.5, 24.0)) as t(pull_request_id, "
            "repository_full_name, pull_request_number, title, author_login, waiting_hours, "
            "stale_review_hours)"
        )
    assert read_stale_pull_requests(snapshot) == [
        StalePullRequest(12, "acme/api", 8, "Slower", None, 50.5, 24.0),
        StalePullRequest(11, "acme/web", 3, "Slow", "bob", 30.0, 24.0),
    ]
