"""A GitHub API client that spends as few calls as possible and survives GitHub's limits.

- Separate budgets per token for REST (`core`) and GraphQL, read from `X-RateLimit-*` headers.
- Several tokens rotate only when the one in use is exhausted; when all are, the client waits
  for the earliest reset, bounded by `max_wait_seconds` over the client's life.
- `Retry-After` and secondary limits are honoured; 5xx and dropped connections are retried
  with exponential backoff and jitter.
- GraphQL 502/504 (GitHub's answer to a query that timed out) raise `PageTooLarge` so the
  caller can halve its page size.
- Conditional REST requests: pass the last `ETag`; a 304 comes back as `not_modified`.
- Tokens never appear in exceptions or logs: errors name the URL path, never headers.
"""

from __future__ import annotations

import logging
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.github.com"
SECONDARY_LIMIT_DEFAULT_WAIT = 60.0  # GitHub: wait at least a minute when no Retry-After
NO_TOKEN_HINT = (
    "no token was sent: set GITHUB_TOKEN (comma-separated for several) or dlt's "
    "SOURCES__GITHUB__ACCESS_TOKEN, with read access to the repositories and read:org"
)


class GitHubError(RuntimeError):
    """An API failure that retrying will not fix; the message says what to do next."""


class GitHubAccessError(GitHubError):
    def __init__(self, status: int, resource: str, detail: str = "", hint: str = "") -> None:
        self.status = status
        self.resource = resource
        hint = hint or {
            401: "the token is invalid or expired: check GITHUB_TOKEN",
            403: "the token lacks access: check its scopes (repo, read:org) and the "
            "organisation's SSO/PAT policy",
            404: "it does not exist or the token cannot see it: check the name and the "
            "token's repository access",
        }.get(status, "see GitHub's message")
        super().__init__(f"GitHub answered {status} for {resource}: {hint}. {detail}".strip())


class RateLimitWaitExceeded(GitHubError):
    pass


class PageTooLarge(GitHubError):
    """GitHub timed out on a GraphQL query; ask again with smaller pages."""


@dataclass
class _Budget:
    remaining: int | None = None  # None: not yet known
    reset_at: float = 0.0

    def available(self, now: float) -> bool:
        return self.remaining is None or self.remaining > 0 or now >= self.reset_at


@dataclass
class _Token:
    value: str = field(repr=False)
    budgets: dict[str, _Budget] = field(
        default_factory=lambda: {"core": _Budget(), "graphql": _Budget()}
    )
    revoked: bool = False


@dataclass
class RestPage:
    status: int
    data: Any
    headers: httpx.Headers
    url: str

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("ETag")

    @property
    def next_url(self) -> str | None:
        return parse_link_header(self.headers.get("Link", "")).get("next")


def parse_link_header(value: str) -> dict[str, str]:
    links = {}
    for part in value.split(","):
        url, _, params = part.partition(";")
        rel = params.strip().removeprefix('rel="').removesuffix('"')
        if url.strip().startswith("<") and rel:
            links[rel] = url.strip()[1:-1]
    return links


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class GitHubClient:
    def __init__(
        self,
        tokens: Sequence[str] | str | None,
        api_url: str = DEFAULT_API_URL,
        graphql_url: str | None = None,
        max_wait_seconds: float = 900.0,
        max_retries: int = 6,
        timeout: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if isinstance(tokens, str):
            tokens = [t.strip() for t in tokens.split(",")]
        self._tokens = [_Token(t) for t in (tokens or []) if t]
        self.api_url = api_url.rstrip("/")
        self.graphql_url = graphql_url or default_graphql_url(self.api_url)
        self.max_wait_seconds = max_wait_seconds
        self.max_retries = max_retries
        self._sleep = sleep
        self._clock = clock
        self._current = 0
        self.waited_seconds = 0.0
        self.requests: Counter[str] = Counter()  # by kind: rest, graphql, not_modified, retried
        self._http = httpx.Client(
            timeout=timeout,
            headers={"Accept": "application/vnd.github+json", "User-Agent": "devmetrics"},
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ public API
    def rest(
        self, path_or_url: str, params: dict[str, Any] | None = None, etag: str | None = None
    ) -> RestPage:
        url = path_or_url if "://" in path_or_url else f"{self.api_url}{path_or_url}"
        headers = {"If-None-Match": etag} if etag else {}
        response = self._send("core", "GET", url, params=params, headers=headers)
        self.requests["not_modified" if response.status_code == 304 else "rest"] += 1
        data = None if response.status_code == 304 or not response.content else response.json()
        return RestPage(response.status_code, data, response.headers, str(response.url))

    def rest_pages(self, path: str, params: dict[str, Any] | None = None) -> Iterator[RestPage]:
        """Every page of a REST list, following `Link: rel="next"` (100 items per page)."""
        page = self.rest(path, {"per_page": 100, **(params or {})})
        yield page
        while page.next_url:
            page = self.rest(page.next_url)
            yield page

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run a query; returns `data`. Raises GitHubAccessError on NOT_FOUND/FORBIDDEN."""
        data, errors = self.graphql_partial(query, variables)
        for error in errors:
            if error.get("type") in {"NOT_FOUND", "FORBIDDEN"}:
                raise _graphql_error([error])
        if errors:
            log.warning("GitHub GraphQL returned partial data: %s", errors[0].get("message"))
        return data

    def graphql_partial(
        self, query: str, variables: dict[str, Any] | None = None
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Run a query; returns (data, errors) when GitHub answered with (partial) data."""
        body = {"query": query, "variables": variables or {}}
        for _ in range(self.max_retries + 1):
            response = self._send("graphql", "POST", self.graphql_url, json=body)
            self.requests["graphql"] += 1
            payload = response.json()
            errors = payload.get("errors") or []
            if any(e.get("type") == "RATE_LIMITED" for e in errors):
                self._exhausted("graphql", response)
                continue
            if payload.get("data") is None:
                raise _graphql_error(errors or [{"message": "no data in GitHub's answer"}])
            return payload["data"], errors
        raise GitHubError("GitHub's GraphQL API kept answering RATE_LIMITED; re-run later.")

    # ------------------------------------------------------------------ transport
    def _send(self, resource: str, method: str, url: str, **kwargs: Any) -> httpx.Response:
        attempt = 0
        while True:
            token = self._pick_token(resource)
            headers = dict(kwargs.pop("headers", None) or {})
            if token is not None:
                headers["Authorization"] = f"Bearer {token.value}"
            try:
                response = self._http.request(method, url, headers=headers, **kwargs)
            except httpx.TransportError as exc:
                attempt = self._backoff(attempt, f"{type(exc).__name__} reaching {_host(url)}")
                kwargs["headers"] = {k: v for k, v in headers.items() if k != "Authorization"}
                continue
            kwargs["headers"] = {k: v for k, v in headers.items() if k != "Authorization"}
            if token is not None:
                self._observe(token, resource, response)
            status = response.status_code
            if status < 400 or status == 304:
                return response
            if status in (403, 429) and self._is_rate_limited(response):
                self._rate_limited(resource, response)
                continue
            if status == 401 and token is not None and len(self._live_tokens()) > 1:
                token.revoked = True
                log.warning("a GitHub token was rejected (401); continuing with the others")
                continue
            if resource == "graphql" and status in (502, 504):
                raise PageTooLarge(f"GitHub timed out ({status}) on a GraphQL query")
            if status >= 500:
                attempt = self._backoff(attempt, f"{status} on {_path(url)}")
                continue
            detail = _message(response)
            hint = NO_TOKEN_HINT if status == 401 and token is None else ""
            raise GitHubAccessError(status, _path(url).split("?")[0], detail, hint)

    def _backoff(self, attempt: int, what: str) -> int:
        delay = min(2**attempt, 30) * (0.5 + random.random() / 2)
        # Out of retries, or of the run's wait budget: either way the advice is about the
        # URL and the network, not about rate limits.
        if attempt >= self.max_retries or self.waited_seconds + delay > self.max_wait_seconds:
            raise GitHubError(
                f"GitHub kept failing ({what}) after {attempt} retries: check the API URL "
                "(GITHUB_API_URL or --api-url; GitHub Enterprise: https://HOST/api/v3, and "
                "GITHUB_GRAPHQL_URL if it differs) and the network (proxy, firewall), "
                "or re-run later."
            )
        log.info("retrying after %s in %.1fs", what, delay)
        self.requests["retried"] += 1
        self._wait(delay, what)
        return attempt + 1

    # ------------------------------------------------------------------ budgets
    def _live_tokens(self) -> list[_Token]:
        return [t for t in self._tokens if not t.revoked]

    def _pick_token(self, resource: str) -> _Token | None:
        tokens = self._live_tokens()
        if not tokens:
            if self._tokens:
                raise GitHubAccessError(401, self.api_url, "Every configured token was rejected.")
            return None
        now = self._clock()
        current = self._tokens[self._current]
        if not current.revoked and current.budgets[resource].available(now):
            return current
        for index, token in enumerate(self._tokens):
            if not token.revoked and token.budgets[resource].available(now):
                self._current = index
                log.info("rotating to GitHub token #%d for %s", index + 1, resource)
                return token
        soonest = min(tokens, key=lambda t: t.budgets[resource].reset_at)
        wait = max(soonest.budgets[resource].reset_at - now, 0) + 1
        self._wait(wait, f"{resource} rate limit of every token")
        self._current = self._tokens.index(soonest)
        soonest.budgets[resource].remaining = None
        return soonest

    def _observe(self, token: _Token, resource: str, response: httpx.Response) -> None:
        remaining = response.headers.get("X-RateLimit-Remaining")
        reset = response.headers.get("X-RateLimit-Reset")
        kind = response.headers.get("X-RateLimit-Resource", resource)
        if remaining is None or kind not in token.budgets:
            return
        budget = token.budgets[kind]
        budget.remaining = int(remaining)
        budget.reset_at = float(reset or 0)

    @staticmethod
    def _is_rate_limited(response: httpx.Response) -> bool:
        if (
            response.headers.get("Retry-After")
            or response.headers.get("X-RateLimit-Remaining") == "0"
        ):
            return True
        return "rate limit" in _message(response).lower()

    def _rate_limited(self, resource: str, response: httpx.Response) -> None:
        retry_after = response.headers.get("Retry-After")
        # The primary limit: nothing left, or too little left for this query's cost (GitHub
        # then still reports the remainder, with its "API rate limit exceeded" message).
        primary = (
            response.headers.get("X-RateLimit-Remaining") == "0"
            or "api rate limit exceeded" in _message(response).lower()
        )
        if primary and not retry_after:
            self._exhausted(resource, response)
            return
        wait = float(retry_after) if retry_after else SECONDARY_LIMIT_DEFAULT_WAIT
        self._wait(wait, "GitHub's secondary rate limit")

    def _exhausted(self, resource: str, response: httpx.Response) -> None:
        token = self._tokens[self._current] if self._tokens else None
        if token is None:
            reset = float(response.headers.get("X-RateLimit-Reset") or self._clock() + 60)
            self._wait(max(reset - self._clock(), 0) + 1, f"{resource} rate limit (no token)")
            return
        budget = token.budgets[resource]
        budget.remaining = 0
        reset = response.headers.get("X-RateLimit-Reset")
        budget.reset_at = float(reset) if reset else self._clock() + 60

    def _wait(self, seconds: float, why: str) -> None:
        if self.waited_seconds + seconds > self.max_wait_seconds:
            raise RateLimitWaitExceeded(
                f"waiting {seconds:.0f}s more for {why} would exceed the {self.max_wait_seconds:.0f}s "
                "wait budget: add tokens (comma-separated GITHUB_TOKEN) or re-run later; "
                "everything loaded so far is kept."
            )
        self.waited_seconds += seconds
        self._sleep(seconds)


def default_graphql_url(api_url: str) -> str:
    """api.github.com -> /graphql; GitHub Enterprise `https://HOST/api/v3` -> `/api/graphql`."""
    api_url = api_url.rstrip("/")
    if api_url.endswith("/api/v3"):
        return api_url[: -len("/v3")] + "/graphql"
    return f"{api_url}/graphql"


def _message(response: httpx.Response) -> str:
    try:
        payload = response.json()
    except ValueError:
        return ""
    if isinstance(payload, dict):
        if "message" in payload:
            return str(payload["message"])
        errors = payload.get("errors") or []
        if errors:
            return str(errors[0].get("message", ""))
    return ""


def _graphql_error(errors: list[dict[str, Any]]) -> GitHubError:
    first = errors[0]
    kind = first.get("type")
    where = ".".join(str(p) for p in first.get("path") or []) or "query"
    if kind == "NOT_FOUND":
        return GitHubAccessError(404, where, first.get("message", ""))
    if kind == "FORBIDDEN":
        return GitHubAccessError(403, where, first.get("message", ""))
    return GitHubError(
        f"GitHub GraphQL error ({kind or 'error'}) at {where}: {first.get('message')}"
    )
