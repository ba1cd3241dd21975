"""The HTTP front over real sockets: auth, rate limits, ETags, Enterprise paths, faults, stats."""

from __future__ import annotations

import itertools
import time

import httpx
import pytest

from pipelines.github_emulator.faults import parse_profiles
from tests.conftest import TOKEN

SMALL_QUERY = """query($org: String!) {
  organization(login: $org) { repositories(first: 10) { totalCount nodes { name } } }
  rateLimit { cost remaining used limit }
}"""

LARGE_NESTED_QUERY = """query($owner: String!, $name: String!, $n: Int!) {
  repository(owner: $owner, name: $name) {
    pullRequests(first: $n) { nodes { number reviews(first: 100) { totalCount } } }
  }
}"""


def _repo(gh) -> str:
    return next(iter(gh.store.repos))


def _graphql(client: httpx.Client, gh, query: str, **variables) -> httpx.Response:
    variables.setdefault("org", gh.store.org.login)
    return client.post(gh.graphql_url, json={"query": query, "variables": variables})


@pytest.fixture
def client(auth):
    with httpx.Client(headers=auth, timeout=30) as c:
        yield c


def test_rest_requests_spend_one_core_unit_each_and_report_it_in_headers(make_emulator, client):
    gh = make_emulator()
    url = f"{gh.api_url}/repos/{gh.store.org.login}/{_repo(gh)}"
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert first.headers["X-RateLimit-Limit"] == "5000"
    assert first.headers["X-RateLimit-Resource"] == "core"
    assert int(first.headers["X-RateLimit-Remaining"]) - 1 == int(
        second.headers["X-RateLimit-Remaining"]
    )
    assert int(second.headers["X-RateLimit-Used"]) == 2
    assert int(second.headers["X-RateLimit-Reset"]) > time.time()


def test_graphql_spends_its_cost_from_a_separate_budget(make_emulator, client):
    gh = make_emulator()
    client.get(f"{gh.api_url}/orgs/{gh.store.org.login}")  # REST spend must not touch GraphQL
    answer = _graphql(client, gh, SMALL_QUERY)
    assert answer.status_code == 200, answer.text
    rate = answer.json()["data"]["rateLimit"]
    assert rate["cost"] == 1 and rate["used"] == 1 and rate["remaining"] == rate["limit"] - 1
    assert answer.headers["X-RateLimit-Resource"] == "graphql"
    assert answer.headers["X-RateLimit-Remaining"] == str(rate["remaining"])
    limits = client.get(f"{gh.api_url}/rate_limit").json()["resources"]
    assert limits["core"]["used"] == 1 and limits["graphql"]["used"] == 1


def test_conditional_request_answers_304_without_spending_rate_limit(make_emulator, client):
    gh = make_emulator()
    url = f"{gh.api_url}/repos/{gh.store.org.login}/{_repo(gh)}/pulls?state=all"
    first = client.get(url)
    etag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == etag
    assert again.headers["X-RateLimit-Remaining"] == first.headers["X-RateLimit-Remaining"]
    # A change to the data changes the ETag: the same conditional request now gets 200.
    number = next(iter(gh.store.repos[_repo(gh)].pulls))
    gh.mutations.edit_pull_request(_repo(gh), number, title="Retitled by a mutation")
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_enterprise_paths_serve_the_same_data_with_enterprise_urls(emulator, client):
    org, repo = emulator.store.org.login, _repo(emulator)
    cloud = client.get(f"{emulator.api_url}/repos/{org}/{repo}/commits?per_page=5")
    enterprise = client.get(f"{emulator.enterprise_api_url}/repos/{org}/{repo}/commits?per_page=5")
    assert [c["sha"] for c in cloud.json()] == [c["sha"] for c in enterprise.json()]
    assert (
        f"{emulator.enterprise_api_url}/repos/{org}/{repo}/commits?" in enterprise.headers["Link"]
    )
    assert enterprise.json()[0]["url"].startswith(emulator.enterprise_api_url)
    graphql = client.post(
        emulator.enterprise_graphql_url,
        json={"query": SMALL_QUERY, "variables": {"org": org}},
    )
    assert graphql.json()["data"]["organization"]["repositories"]["totalCount"] == len(
        emulator.store.repos
    )


def test_graphql_requires_a_token_and_anonymous_rest_gets_60_requests(make_emulator):
    gh = make_emulator()
    with httpx.Client(timeout=30) as anonymous:
        answer = anonymous.post(gh.graphql_url, json={"query": SMALL_QUERY})
        assert answer.status_code == 401
        assert "requires you to be authenticated" in answer.json()["message"]
        rest = anonymous.get(f"{gh.api_url}/orgs/{gh.store.org.login}")
        assert rest.headers["X-RateLimit-Limit"] == "60"


def test_unknown_token_is_refused_when_tokens_are_restricted(make_emulator):
    gh = make_emulator(tokens=frozenset({"good"}))
    with httpx.Client(timeout=30) as c:
        bad = c.get(
            f"{gh.api_url}/orgs/{gh.store.org.login}", headers={"Authorization": "token bad"}
        )
        good = c.get(
            f"{gh.api_url}/orgs/{gh.store.org.login}", headers={"Authorization": "token good"}
        )
    assert bad.status_code == 401 and bad.json()["message"] == "Bad credentials"
    assert good.status_code == 200


def test_forbidden_repository_answers_403_and_names_the_cause(make_emulator, client):
    probe = make_emulator()
    forbidden, allowed = list(probe.store.repos)[:2]
    gh = make_emulator(forbidden_repos=frozenset({forbidden}))
    org = gh.store.org.login
    answer = client.get(f"{gh.api_url}/repos/{org}/{forbidden}/pulls")
    assert answer.status_code == 403
    assert "not accessible" in answer.json()["message"]
    assert client.get(f"{gh.api_url}/repos/{org}/{allowed}/pulls").status_code == 200


def test_exhausted_profile_blocks_until_reset_then_recovers(make_emulator, client):
    gh = make_emulator(faults="exhausted", core_limit=5, reset_seconds=1.5)
    url = f"{gh.api_url}/orgs/{gh.store.org.login}"
    statuses = [client.get(url).status_code for _ in range(5)]
    blocked = client.get(url)
    assert statuses == [200] * 5
    assert blocked.status_code == 403
    assert blocked.headers["X-RateLimit-Remaining"] == "0"
    assert "rate limit exceeded" in blocked.json()["message"]
    reset = int(blocked.headers["X-RateLimit-Reset"])
    time.sleep(max(reset - time.time(), 0) + 0.6)
    assert client.get(url).status_code == 200


def test_graphql_rate_limited_profile_answers_200_with_rate_limited_error(make_emulator, client):
    gh = make_emulator(faults="graphql-rate-limited", graphql_limit=2, reset_seconds=30)
    answers = [_graphql(client, gh, SMALL_QUERY) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert "data" in answers[0].json() and "errors" not in answers[0].json()
    assert answers[2].json()["errors"][0]["type"] == "RATE_LIMITED"
    assert answers[2].headers["X-RateLimit-Remaining"] == "0"


def test_graphql_502_on_large_nested_pages_and_success_on_smaller_ones(make_emulator, client):
    gh = make_emulator(faults="graphql-502-large-pages")
    variables = {"owner": gh.store.org.login, "name": _repo(gh)}
    large = _graphql(client, gh, LARGE_NESTED_QUERY, n=100, **variables)
    small = _graphql(client, gh, LARGE_NESTED_QUERY, n=50, **variables)
    assert large.status_code == 502
    assert "timeout" in large.json()["errors"][0]["message"]
    assert small.status_code == 200 and "errors" not in small.json()


def _status_sequence(gh, client, n=60) -> list[int]:
    url = f"{gh.api_url}/orgs/{gh.store.org.login}"
    return [client.get(url).status_code for _ in range(n)]


def test_5xx_profile_injects_reproducible_bursts(make_emulator, client):
    first = _status_sequence(make_emulator(faults="5xx", fault_rate=0.2, seed=3), client)
    second = _status_sequence(make_emulator(faults="5xx", fault_rate=0.2, seed=3), client)
    assert first == second  # same seed, same faults in request order
    assert {s for s in first if s >= 500} <= {500, 502, 503}
    assert any(s >= 500 for s in first) and first.count(200) > len(first) // 2
    runs = [a >= 500 and b >= 500 for a, b in itertools.pairwise(first)]
    assert any(runs), "5xx faults come in bursts of consecutive failures"


def test_secondary_rate_limit_profile_sends_retry_after(make_emulator, client):
    gh = make_emulator(faults="secondary-rate-limit", fault_rate=0.3)
    url = f"{gh.api_url}/orgs/{gh.store.org.login}"
    limited = [r for r in (client.get(url) for _ in range(40)) if r.status_code != 200]
    assert limited, "a 30% fault rate over 40 requests must hit at least once"
    assert {r.status_code for r in limited} <= {403, 429}
    assert all(r.headers["Retry-After"] == "1" for r in limited)
    assert all("secondary rate limit" in r.json()["message"] for r in limited)


def test_drop_connections_profile_closes_sockets_without_an_answer(make_emulator):
    gh = make_emulator(faults="drop-connections", fault_rate=0.3)
    url = f"{gh.api_url}/orgs/{gh.store.org.login}"
    dropped = 0
    for _ in range(30):
        with httpx.Client(headers={"Authorization": f"token {TOKEN}"}, timeout=10) as c:
            try:
                assert c.get(url).status_code == 200
            except httpx.TransportError:
                dropped += 1
    assert 0 < dropped < 30
    assert gh.stats()["faults_injected"]["drop-connections"] == dropped


def test_fault_profiles_combine_and_unknown_names_are_rejected():
    assert parse_profiles("5xx, drop-connections") == {"5xx", "drop-connections"}
    with pytest.raises(ValueError, match="unknown fault profile"):
        parse_profiles("5xx,teapot")


def test_stats_count_requests_by_kind_endpoint_and_status(make_emulator, client):
    gh = make_emulator()
    org, repo = gh.store.org.login, _repo(gh)
    client.get(f"{gh.api_url}/repos/{org}/{repo}/pulls")
    client.get(f"{gh.api_url}/repos/{org}/does-not-exist/pulls")
    _graphql(client, gh, SMALL_QUERY)
    stats = client.get(f"{gh.api_url}/_emulator/stats").json()
    requests = stats["requests"]
    assert requests["by_kind"] == {"graphql": 1, "rest": 2}
    assert requests["by_endpoint"]["rest GET /repos/{owner}/{repo}/pulls"] == {"200": 1, "404": 1}
    assert requests["by_endpoint"]["graphql POST /graphql"] == {"200": 1}
    assert stats["ground_truth"]["pull_requests"] == sum(
        len(r.pulls) for r in gh.store.repos.values()
    )
    assert set(stats["ground_truth"]["per_repository"]) == {
        r.full_name for r in gh.store.repos.values()
    }


def test_mutation_over_http_shows_up_in_rest_and_graphql(make_emulator, client):
    gh = make_emulator()
    org, repo = gh.store.org.login, _repo(gh)
    before = len(client.get(f"{gh.api_url}/repos/{org}/{repo}/pulls?state=all&per_page=100").json())
    made = client.post(
        f"{gh.api_url}/_emulator/mutate",
        json={"method": "open_pull_request", "args": {"repo": repo, "title": "Mutated"}},
    )
    assert made.status_code == 200, made.text
    number = made.json()["result"]["number"]
    rest = client.get(f"{gh.api_url}/repos/{org}/{repo}/pulls/{number}").json()
    assert rest["title"] == "Mutated" and rest["state"] == "open"
    query = "query($o:String!,$n:String!,$num:Int!){repository(owner:$o,name:$n){pullRequest(number:$num){title}}}"
    graphql = _graphql(client, gh, query, o=org, n=repo, num=number).json()
    assert graphql["data"]["repository"]["pullRequest"]["title"] == "Mutated"
    after = client.get(f"{gh.api_url}/repos/{org}/{repo}/pulls?state=all&per_page=100").json()
    assert len(after) == min(before + 1, 100)
