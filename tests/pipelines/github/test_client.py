"""The extractor's GitHub client against the emulator over real HTTP: budgets, rotation, retries."""

from __future__ import annotations

import logging

import pytest

from pipelines.github.client import (
    GitHubAccessError,
    GitHubClient,
    PageTooLarge,
    RateLimitWaitExceeded,
    default_graphql_url,
)
from pipelines.github_emulator.ratelimit import identity_of

TOKEN_A = "ghp_clienttestAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
TOKEN_B = "ghp_clienttestBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"

NESTED = """query($owner: String!, $name: String!, $n: Int!) {
  repository(owner: $owner, name: $name) {
    pullRequests(first: $n) { nodes { number reviews(first: 100) { totalCount } } }
  }
}"""


def _used(gh, token: str, resource: str = "core") -> int:
    return gh.emulator.limiter.budget(identity_of(token, "127.0.0.1"), resource).used


def _org_path(gh) -> str:
    return f"/orgs/{gh.store.org.login}"


def test_tokens_rotate_only_when_the_one_in_use_is_exhausted(make_emulator):
    gh = make_emulator(core_limit=3, reset_seconds=60)
    with GitHubClient([TOKEN_A, TOKEN_B], api_url=gh.api_url) as client:
        statuses = [client.rest(_org_path(gh)).status for _ in range(5)]
    assert statuses == [200] * 5
    assert _used(gh, TOKEN_A) == 3  # A is used to exhaustion first …
    assert _used(gh, TOKEN_B) == 2  # … and only then B


def test_client_waits_for_reset_when_every_token_is_exhausted(make_emulator):
    gh = make_emulator(core_limit=2, reset_seconds=1.0)
    with GitHubClient([TOKEN_A], api_url=gh.api_url, max_wait_seconds=30) as client:
        statuses = [client.rest(_org_path(gh)).status for _ in range(4)]
        assert client.waited_seconds > 0
    assert statuses == [200] * 4


def test_total_wait_is_bounded_and_the_error_says_what_to_do(make_emulator):
    gh = make_emulator(core_limit=1, reset_seconds=3600)
    with GitHubClient([TOKEN_A], api_url=gh.api_url, max_wait_seconds=5) as client:
        client.rest(_org_path(gh))
        with pytest.raises(RateLimitWaitExceeded, match="add tokens"):
            client.rest(_org_path(gh))


@pytest.mark.parametrize("profile", ["5xx", "secondary-rate-limit", "drop-connections"])
def test_transient_faults_are_retried_until_every_request_succeeds(make_emulator, profile):
    gh = make_emulator(faults=profile, fault_rate=0.25, seed=11)
    sleeps: list[float] = []
    with GitHubClient([TOKEN_A], api_url=gh.api_url, sleep=sleeps.append) as client:
        pages = [client.rest(_org_path(gh)) for _ in range(25)]
    assert all(page.status == 200 for page in pages)
    assert gh.stats()["faults_injected"].get(profile, 0) > 0
    assert sleeps, "faults must have caused waits"
    if profile == "secondary-rate-limit":
        assert all(s == 1.0 for s in sleeps)  # Retry-After: 1 honoured exactly


def test_graphql_timeout_on_large_pages_raises_page_too_large(make_emulator):
    gh = make_emulator(faults="graphql-502-large-pages")
    variables = {"owner": gh.store.org.login, "name": next(iter(gh.store.repos))}
    with GitHubClient([TOKEN_A], api_url=gh.api_url) as client:
        with pytest.raises(PageTooLarge):
            client.graphql(NESTED, {**variables, "n": 100})
        data = client.graphql(NESTED, {**variables, "n": 50})
    assert data["repository"]["pullRequests"]["nodes"]


def test_graphql_rate_limited_errors_wait_for_reset_then_succeed(make_emulator):
    gh = make_emulator(faults="graphql-rate-limited", graphql_limit=1, reset_seconds=1.0)
    query = "query { rateLimit { cost remaining } }"
    with GitHubClient([TOKEN_A], api_url=gh.api_url, max_wait_seconds=30) as client:
        answers = [client.graphql(query) for _ in range(3)]
        assert client.waited_seconds > 0
    assert all(a["rateLimit"]["cost"] == 1 for a in answers)


def test_conditional_request_returns_not_modified_and_spends_nothing(make_emulator):
    gh = make_emulator()
    path = f"/repos/{gh.store.org.login}/{next(iter(gh.store.repos))}/pulls"
    with GitHubClient([TOKEN_A], api_url=gh.api_url) as client:
        first = client.rest(path)
        again = client.rest(path, etag=first.etag)
    assert first.status == 200 and again.not_modified and again.data is None
    assert _used(gh, TOKEN_A) == 1


def test_missing_repository_error_names_it_and_the_fix(make_emulator):
    gh = make_emulator()
    with (
        GitHubClient([TOKEN_A], api_url=gh.api_url) as client,
        pytest.raises(GitHubAccessError) as caught,
    ):
        client.rest(f"/repos/{gh.store.org.login}/no-such-repo")
    assert caught.value.status == 404
    assert "no-such-repo" in str(caught.value) and "check the name" in str(caught.value)


def test_token_never_appears_in_errors_or_logs(make_emulator, caplog):
    gh = make_emulator(faults="5xx", fault_rate=0.3, tokens=frozenset({TOKEN_B}))
    caplog.set_level(logging.DEBUG)
    client = GitHubClient([TOKEN_A], api_url=gh.api_url, sleep=lambda s: None)
    with client, pytest.raises(GitHubAccessError) as caught:
        client.rest(_org_path(gh))
    assert caught.value.status == 401
    assert TOKEN_A not in str(caught.value) and TOKEN_A not in caplog.text


def test_enterprise_api_url_implies_api_graphql_endpoint():
    assert (
        default_graphql_url("https://ghe.example.com/api/v3")
        == "https://ghe.example.com/api/graphql"
    )
    assert default_graphql_url("https://api.github.com/") == "https://api.github.com/graphql"


def test_unreachable_api_error_names_the_host_and_what_to_check():
    from pipelines.github.client import GitHubError

    client = GitHubClient(
        [TOKEN_A], api_url="http://127.0.0.1:9", max_retries=1, sleep=lambda s: None
    )
    with client, pytest.raises(GitHubError) as caught:
        client.rest("/orgs/acme")
    assert "http://127.0.0.1:9" in str(caught.value) and "GITHUB_API_URL" in str(caught.value)
