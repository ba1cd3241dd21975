"""The emulator's HTTP front: authentication, rate limits, ETags, faults, counting, routing.

`Emulator.handle()` is transport-independent (a request in, a response out); `serve()` puts it
behind a real `ThreadingHTTPServer` on 127.0.0.1, and `run_emulator()` does that in-process as a
context manager for tests, the demo and benchmarks. Paths follow both api.github.com
(`/repos/...`, `/graphql`) and GitHub Enterprise (`/api/v3/repos/...`, `/api/graphql`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .faults import (
    GRAPHQL_TIMEOUT_MESSAGE,
    SECONDARY_LIMIT_DOCS,
    SECONDARY_LIMIT_MESSAGE,
    FaultInjector,
    parse_profiles,
)
from .floor import pagination_floor
from .model import Store, iso
from .ratelimit import Budget, RateLimiter, identity_of
from .rest_serializers import rate_limit_body
from .stats import RequestStats

log = logging.getLogger(__name__)

ENTERPRISE_REST_PREFIX = "/api/v3"
GRAPHQL_PATHS = ("/graphql", "/api/graphql")
RATE_LIMIT_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"


@dataclass(frozen=True)
class EmulatorConfig:
    """Everything a run of the emulator can be told. None means "GitHub's value"."""

    scale: float = 1.0
    seed: int = 42
    end: datetime | None = None
    org: str | None = None  # synthetic default "acme-corp"; recorded data keeps its owner
    load_dir: Path | None = None
    faults: frozenset[str] = frozenset()
    fault_rate: float = 0.05
    large_page: int = 50  # graphql-502-large-pages: largest nested page that still succeeds
    core_limit: int | None = None  # REST requests per window (GitHub: 5000)
    graphql_limit: int | None = None  # GraphQL points per window (GitHub: 5000)
    anonymous_limit: int = 60
    reset_seconds: float | None = None  # window length (GitHub: 3600)
    tokens: frozenset[str] | None = None  # accepted tokens; None accepts any token
    forbidden_repos: frozenset[str] = frozenset()  # repository names answering 403

    def limits(self) -> tuple[int, int, float]:
        """(core, graphql, window): the fault profiles shrink budgets and windows."""
        core = self.core_limit or (100 if "exhausted" in self.faults else 5000)
        graphql = self.graphql_limit or (
            20
            if "graphql-rate-limited" in self.faults
            else 100
            if "exhausted" in self.faults
            else 5000
        )
        short = self.faults & {"exhausted", "graphql-rate-limited"}
        window = self.reset_seconds or (2.0 if short else 3600.0)
        return core, graphql, window


@dataclass
class Request:
    method: str
    target: str  # path and query string, as on the request line
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""
    client: str = "127.0.0.1"
    host: str = "127.0.0.1"

    @property
    def token(self) -> str | None:
        value = self.headers.get("authorization", "")
        scheme, _, credential = value.partition(" ")
        if scheme.lower() in {"token", "bearer"} and credential.strip():
            return credential.strip()
        return None


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # close the connection without answering

    @classmethod
    def json(cls, status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
        body = json.dumps(payload, separators=(",", ":")).encode()
        return cls(
            status, body, {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        )


def _message(message: str, docs: str = "https://docs.github.com/rest") -> dict[str, str]:
    return {"message": message, "documentation_url": docs}


class Emulator:
    """A GitHub API over one in-memory organisation."""

    def __init__(self, config: EmulatorConfig, store: Store | None = None) -> None:
        from .graphql_api import GraphQLAPI
        from .rest_api import RestAPI

        self.config = config
        self.store = store if store is not None else build_store(config)
        self.graphql = GraphQLAPI(self.store)
        self.rest = RestAPI(self.store)
        core, graphql, window = config.limits()
        self.limiter = RateLimiter(core, graphql, config.anonymous_limit, window)
        self.faults = FaultInjector(
            config.faults, config.seed, config.fault_rate, config.large_page
        )
        self.stats = RequestStats()
        self._mutations = None

    @property
    def mutations(self):
        """Python calls that change the organisation (see mutations.Mutations)."""
        if self._mutations is None:
            from .mutations import Mutations

            self._mutations = Mutations(self.store)
        return self._mutations

    # -------------------------------------------------------------------- dispatch
    def handle(self, request: Request) -> Response:
        url = urlsplit(request.target)
        path = url.path.rstrip("/") or "/"
        if path.startswith("/_emulator"):
            return self._control(request, path)
        if path in GRAPHQL_PATHS:
            kind, endpoint = "graphql", "POST /graphql"
        else:
            rest_path = path.removeprefix(ENTERPRISE_REST_PREFIX) or "/"
            kind, endpoint = "rest", self.rest.endpoint(request.method, rest_path)
        response = self._authenticate(request)
        if response is None:
            fault = self.faults.draw()
            if fault is not None:
                self.stats.record_fault(fault.kind)
                response = self._fault_response(fault, kind)
        if response is None:
            if kind == "graphql":
                response = self._graphql(request)
            else:
                response, endpoint = self._rest(request, url.path, url.query)
        response.headers.setdefault("X-GitHub-Request-Id", self.stats.next_request_id())
        self.stats.record(kind, endpoint, 0 if response.drop else response.status)
        return response

    def _authenticate(self, request: Request) -> Response | None:
        allowed = self.config.tokens
        if allowed is not None and request.token is not None and request.token not in allowed:
            return Response.json(401, _message("Bad credentials"))
        return None

    def _fault_response(self, fault, kind: str) -> Response:
        if fault.kind == "drop-connections":
            return Response(0, drop=True)
        if fault.kind == "secondary-rate-limit":
            return Response.json(
                fault.status,
                _message(SECONDARY_LIMIT_MESSAGE, SECONDARY_LIMIT_DOCS),
                {"Retry-After": str(fault.retry_after)},
            )
        if kind == "graphql" and fault.status == 502:
            return Response.json(502, {"data": None, "errors": [{"message": "Bad gateway"}]})
        return Response.json(fault.status, _message("Server Error"))

    # -------------------------------------------------------------------- GraphQL
    def _graphql(self, request: Request) -> Response:
        if request.method != "POST":
            return Response.json(404, _message("Not Found"))
        token = request.token
        if token is None:
            return Response.json(
                401,
                _message(
                    "This endpoint requires you to be authenticated.",
                    "https://docs.github.com/graphql/guides/forming-calls-with-graphql"
                    "#authenticating-with-graphql",
                ),
            )
        try:
            payload = json.loads(request.body or b"{}")
            query = payload["query"]
        except (ValueError, KeyError, TypeError):
            return Response.json(400, _message("Problems parsing JSON"))
        variables = payload.get("variables") or None
        identity = identity_of(token, request.client)
        with self.store.lock:
            prepared = self.graphql.prepare(
                query, variables=variables, operation_name=payload.get("operationName")
            )
            if prepared.errors:
                budget = self.limiter.budget(identity, "graphql")
                return Response.json(200, {"errors": prepared.errors}, budget.headers("graphql"))
            if self.faults.rejects_large_page(prepared.max_nested_page):
                self.stats.record_fault("graphql-502-large-pages")
                message = GRAPHQL_TIMEOUT_MESSAGE.format(request_id=self.stats.next_request_id())
                return Response.json(502, {"data": None, "errors": [{"message": message}]})
            cost = 0 if prepared.dry_run else prepared.cost  # rateLimit(dryRun: true) is free
            ok, budget = self.limiter.try_charge(identity, "graphql", cost)
            if not ok:
                return self._graphql_exhausted(budget)
            rate_limit = {
                "cost": prepared.cost,
                "limit": budget.limit,
                "remaining": budget.remaining,
                "used": budget.used,
                "resetAt": iso(int(budget.reset_at)),
                "nodeCount": prepared.node_count,
            }
            self.stats.record_graphql_cost(cost)
            result = self.graphql.execute(prepared, variables, rate_limit)
        return Response.json(200, result, budget.headers("graphql"))

    def _graphql_exhausted(self, budget: Budget) -> Response:
        headers = budget.headers("graphql")
        message = "API rate limit exceeded for user ID 1."
        if "graphql-rate-limited" in self.config.faults:
            # The shape GitHub's GraphQL API answers with: HTTP 200 and a typed error.
            return Response.json(
                200, {"errors": [{"type": "RATE_LIMITED", "message": message}]}, headers
            )
        return Response.json(403, _message(message, RATE_LIMIT_DOCS), headers)

    # -------------------------------------------------------------------- REST
    def _rest(self, request: Request, raw_path: str, query_string: str) -> tuple[Response, str]:
        path, api_base = raw_path, f"http://{request.host}"
        if path.startswith(ENTERPRISE_REST_PREFIX + "/") or path == ENTERPRISE_REST_PREFIX:
            path = path[len(ENTERPRISE_REST_PREFIX) :] or "/"
            api_base += ENTERPRISE_REST_PREFIX
        identity = identity_of(request.token, request.client)
        query = parse_qs(query_string, keep_blank_values=True)
        if path.rstrip("/") == "/rate_limit":
            return self._rate_limit_body(identity), "GET /rate_limit"
        budget = self.limiter.budget(identity, "core")
        endpoint = self.rest.endpoint(request.method, path)
        if budget.remaining == 0:
            message = f"API rate limit exceeded for {identity.split(':')[0]}."
            return Response.json(403, _message(message, RATE_LIMIT_DOCS), budget.headers("core")), (
                endpoint
            )
        forbidden = self._forbidden_repo(path)
        with self.store.lock:
            if forbidden:
                result = None
                response = Response.json(
                    403,
                    _message(
                        "Resource not accessible by personal access token",
                        "https://docs.github.com/rest/repos/repos#get-a-repository",
                    ),
                )
            else:
                result = self.rest.handle(request.method, path, query, api_base)
                response = Response.json(result.status, result.body, dict(result.headers))
                endpoint = result.endpoint
        if result is not None and request.method == "GET" and result.status == 200:
            etag = 'W/"' + hashlib.sha256(response.body).hexdigest()[:40] + '"'
            response.headers["ETag"] = etag
            response.headers["Cache-Control"] = "private, max-age=60, s-maxage=60"
            if etag in _etags(request.headers.get("if-none-match", "")) and request.token:
                # GitHub: a 304 to an authorised conditional request costs no rate limit.
                headers = {"ETag": etag, **budget.headers("core")}
                return Response(304, b"", headers), endpoint
        _, budget = self.limiter.try_charge(identity, "core", 1)
        response.headers.update(budget.headers("core"))
        return response, endpoint

    def _forbidden_repo(self, path: str) -> bool:
        parts = path.strip("/").split("/")
        return len(parts) >= 3 and parts[0] == "repos" and parts[2] in self.config.forbidden_repos

    def _rate_limit_body(self, identity: str) -> Response:
        core = self.limiter.budget(identity, "core")
        graphql = self.limiter.budget(identity, "graphql")
        body = rate_limit_body(core.snapshot(), graphql.snapshot())
        return Response.json(200, body, core.headers("core"))

    # -------------------------------------------------------------------- control plane
    def _control(self, request: Request, path: str) -> Response:
        if path == "/_emulator/stats" and request.method == "GET":
            return Response.json(200, self.snapshot())
        if path == "/_emulator/stats/reset" and request.method == "POST":
            self.stats.reset()
            return Response.json(200, {"ok": True})
        if path == "/_emulator/mutate" and request.method == "POST":
            return self._mutate(request)
        return Response.json(404, _message("Not Found"))

    def _mutate(self, request: Request) -> Response:
        """Out-of-process mutations: {"method": "merge_pull_request", "args": {...}}."""
        try:
            payload = json.loads(request.body or b"{}")
            method = payload["method"]
            if method.startswith("_") or not hasattr(self.mutations, method):
                raise AttributeError(method)
            result = getattr(self.mutations, method)(**payload.get("args", {}))
        except (ValueError, KeyError, TypeError, AttributeError, LookupError) as exc:
            return Response.json(422, {"message": f"mutation failed: {exc!r}"})
        return Response.json(200, {"ok": True, "result": _describe(result)})

    def snapshot(self) -> dict[str, Any]:
        """Request counts and the organisation's ground truth (also at /_emulator/stats)."""
        return {
            **self.stats.snapshot(),
            "ground_truth": self.store.ground_truth(per_repository=True),
            "floor": pagination_floor(self.store),
            "organization": self.store.org.login,
            "faults": sorted(self.config.faults),
        }


def _etags(header: str) -> set[str]:
    values = {v.strip() for v in header.split(",") if v.strip()}
    return values | {v.removeprefix("W/") for v in values} | {f"W/{v}" for v in values}


def _describe(result: Any) -> Any:
    if isinstance(result, list):
        return [_describe(r) for r in result]
    for key in ("number", "sha", "id"):
        if hasattr(result, key):
            return {key: getattr(result, key)}
    return None


def build_store(config: EmulatorConfig) -> Store:
    if config.load_dir is not None:
        from .recorded import load_recorded

        return load_recorded(Path(config.load_dir), org_login=config.org)
    from .generator import generate_organization

    return generate_organization(
        scale=config.scale, seed=config.seed, end=config.end, org_login=config.org or "acme-corp"
    )


# ------------------------------------------------------------------------ HTTP transport


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "GitHub.com"
    sys_version = ""
    emulator: Emulator  # set on the subclass made by serve()

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Request(
            method=self.command,
            target=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            client=self.client_address[0],
            host=self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2]),
        )
        try:
            response = self.emulator.handle(request)
        except Exception:  # a bug in the emulator must answer 500, not hang the client
            log.exception("emulator failed on %s %s", self.command, urlsplit(self.path).path)
            response = Response.json(500, _message("Server Error (emulator bug; see its log)"))
        if response.drop:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = _dispatch

    def log_message(self, format: str, *args: Any) -> None:  # no tokens, no noise
        log.debug("%s %s", self.command, urlsplit(self.path).path)


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(emulator: Emulator, port: int = 0, host: str = "127.0.0.1") -> EmulatorServer:
    handler = type("Handler", (_Handler,), {"emulator": emulator})
    return EmulatorServer((host, port), handler)


@dataclass
class RunningEmulator:
    """What `run_emulator()` yields: URLs for clients plus the emulator for assertions."""

    emulator: Emulator
    host: str
    port: int

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def graphql_url(self) -> str:
        return f"{self.api_url}/graphql"

    @property
    def enterprise_api_url(self) -> str:
        return f"{self.api_url}{ENTERPRISE_REST_PREFIX}"

    @property
    def enterprise_graphql_url(self) -> str:
        return f"{self.api_url}/api/graphql"

    @property
    def store(self) -> Store:
        return self.emulator.store

    @property
    def mutations(self):
        return self.emulator.mutations

    def stats(self) -> dict[str, Any]:
        return self.emulator.snapshot()


@contextlib.contextmanager
def run_emulator(
    config: EmulatorConfig | None = None, store: Store | None = None, port: int = 0, **overrides
) -> Iterator[RunningEmulator]:
    """Serve an emulator on 127.0.0.1 in a background thread for the duration of the block.

    `overrides` are EmulatorConfig fields, e.g. run_emulator(scale=0.2, faults="5xx").
    """
    if "faults" in overrides:
        overrides["faults"] = parse_profiles(overrides["faults"])
    config = config or EmulatorConfig(**overrides)
    emulator = Emulator(config, store=store)
    server = serve(emulator, port=port)
    thread = threading.Thread(target=server.serve_forever, name="github-emulator", daemon=True)
    thread.start()
    try:
        host, bound_port = server.server_address[:2]
        yield RunningEmulator(emulator, host, bound_port)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
