"""A local fake of the Anthropic API on 127.0.0.1 for tests, the benchmark and demos.

It serves what DevMetrics uses: `POST /v1/messages` and the Message Batches endpoints
(create, retrieve, results). Every request is recorded (`fake.requests`, with the `usage` answered). Unless told
otherwise it answers plausibly by running the offline heuristic provider on the item in the
prompt, with structured-output JSON as the text. Usage is deterministic: one token per 4
characters (rounded up) of the user turn and of the answer. Like the real API, a system prompt
is cached only when its block carries `cache_control` and reaches the model's minimum
cacheable length (`cache_minimum_tokens`): then it counts as a cache write the first time a
model sees it and as a cache read afterwards; otherwise as plain input.

Scripting: `fake.enqueue(Reply.status(429, retry_after=0.1), Reply.invalid_json(), ...)`;
each queued reply answers the next `POST /v1/messages`. `fake.batch_polls_until_ended` sets
how many retrieves a batch stays `in_progress` (a large number keeps it pending).

    with run_fake_anthropic() as fake:
        client = anthropic.Anthropic(api_key="test", base_url=fake.base_url)
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from . import heuristic
from .prompts import parse_user_message

ERROR_TYPES = {
    400: "invalid_request_error",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}
DEFAULT_SQL = (
    "select team_slug, week_start_date, pickup_time_p50 from marts.mart_team_weekly "
    "order by pickup_time_p50 desc nulls last limit 5"
)


# minimum cacheable prompt length per model (Anthropic, "Prompt caching"); others: 1,024
CACHE_MINIMUM_TOKENS = {"claude-haiku-4-5": 4096, "claude-opus-4-5": 4096, "claude-opus-4-6": 4096}


def tokens(text: str) -> int:
    return math.ceil(len(text) / 4)


@dataclass(frozen=True)
class Reply:
    """One scripted answer to the next `POST /v1/messages`."""

    status: int = 200
    text: str | None = None  # the answer text; None: a plausible answer
    headers: dict[str, str] = field(default_factory=dict)
    mutate: str | None = None  # "out_of_range": a plausible answer with values out of range

    @classmethod
    def error(cls, status: int, retry_after: float | None = None) -> Reply:
        headers = {"retry-after": f"{retry_after:g}"} if retry_after is not None else {}
        return cls(status=status, headers=headers)

    @classmethod
    def output(cls, answer: Any) -> Reply:
        return cls(text=json.dumps(answer))

    @classmethod
    def invalid_json(cls) -> Reply:
        return cls(text='{"category": "feature", "risk_score": ')

    @classmethod
    def out_of_range(cls) -> Reply:
        return cls(mutate="out_of_range")


def _out_of_range(answer: dict[str, Any]) -> dict[str, Any]:
    if "risk_score" in answer:
        return {**answer, "risk_score": 250}
    if "commits" in answer:
        return {"commits": [{**c, "sentiment": 3.5, "confidence": -1} for c in answer["commits"]]}
    if "quoted_figures" in answer:
        return {**answer, "digest": answer["digest"] + " Also 9999 deployments."}
    return answer


def plausible_answer(user_text: str) -> dict[str, Any]:
    """What a well-behaved model would answer to a DevMetrics prompt."""
    tag, data = parse_user_message(user_text)
    if tag == "pull_request":
        return heuristic.pull_request(data)
    if tag == "commits":
        return {"commits": [heuristic.commit(commit) for commit in data]}
    if tag == "week":
        return heuristic.digest(data)
    if tag == "question":
        return {"sql": DEFAULT_SQL, "explanation": "Teams by median pickup time, slowest first."}
    if tag == "result":
        rows = data.get("rows") or []
        return {
            "answer": f"The query returned {len(rows)} rows; the first is {rows[0] if rows else 'none'}."
        }
    raise ValueError(f"unknown prompt tag {tag}")


class FakeAnthropic:
    """The fake's state: recorded requests, scripted replies, batches, seen cache prefixes."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.replies: deque[Reply] = deque()
        self.batches: dict[str, dict[str, Any]] = {}
        self.batch_polls_until_ended = 1
        self.cache_minimum_tokens: int | None = None  # None: CACHE_MINIMUM_TOKENS per model
        self.usage_totals = {
            "input_tokens": 0,
            "output_tokens": 0,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
        }
        self._cached: set[tuple[str, str]] = set()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.base_url = ""

    def enqueue(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def calls(self, path: str = "/v1/messages", method: str = "POST") -> list[dict[str, Any]]:
        return [r for r in self.requests if r["path"] == path and r["method"] == method]

    def reset(self) -> None:
        self.requests.clear()
        self.replies.clear()

    # -- answers

    def message(self, body: dict[str, Any], reply: Reply | None) -> dict[str, Any]:
        system = "".join(block.get("text", "") for block in body.get("system") or [])
        turns = body.get("messages") or []
        user_text = "".join(
            block["text"] if isinstance(block, dict) else str(block)
            for turn in turns
            for block in (
                turn["content"] if isinstance(turn["content"], list) else [turn["content"]]
            )
        )
        first_user = turns[0]["content"] if turns else ""
        if isinstance(first_user, list):
            first_user = "".join(block.get("text", "") for block in first_user)
        if reply and reply.text is not None:
            text = reply.text
        else:
            answer = plausible_answer(first_user)
            text = json.dumps(_out_of_range(answer) if reply and reply.mutate else answer)
        model = body.get("model", "")
        minimum = self.cache_minimum_tokens
        minimum = CACHE_MINIMUM_TOKENS.get(model, 1024) if minimum is None else minimum
        marked = any("cache_control" in block for block in body.get("system") or [])
        cacheable = marked and tokens(system) >= minimum
        with self._lock:
            cached = (model, system) in self._cached
            if cacheable:
                self._cached.add((model, system))
        usage = {
            "input_tokens": tokens(user_text) + (0 if cacheable else tokens(system)),
            "output_tokens": tokens(text),
            "cache_creation_input_tokens": tokens(system) if cacheable and not cached else 0,
            "cache_read_input_tokens": tokens(system) if cacheable and cached else 0,
        }
        with self._lock:
            for key, value in usage.items():
                self.usage_totals[key] += value
        return {
            "id": f"msg_fake_{next(self._ids):06d}",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": usage,
        }

    def batch_object(self, batch: dict[str, Any]) -> dict[str, Any]:
        ended = batch["polls"] >= self.batch_polls_until_ended
        count = len(batch["results"])
        return {
            "id": batch["id"],
            "type": "message_batch",
            "processing_status": "ended" if ended else "in_progress",
            "request_counts": {
                "processing": 0 if ended else count,
                "succeeded": count if ended else 0,
                "errored": 0,
                "canceled": 0,
                "expired": 0,
            },
            "created_at": batch["created_at"],
            "expires_at": batch["expires_at"],
            "ended_at": batch["created_at"] if ended else None,
            "archived_at": None,
            "cancel_initiated_at": None,
            "results_url": f"{self.base_url}/v1/messages/batches/{batch['id']}/results"
            if ended
            else None,
        }

    def create_batch(self, body: dict[str, Any]) -> dict[str, Any]:
        now = datetime.now(UTC)
        batch_id = f"msgbatch_fake_{next(self._ids):06d}"
        results = [
            {
                "custom_id": request["custom_id"],
                "result": {"type": "succeeded", "message": self.message(request["params"], None)},
            }
            for request in body["requests"]
        ]
        batch = {
            "id": batch_id,
            "results": results,
            "polls": 0,
            "created_at": now.isoformat(),
            "expires_at": (now + timedelta(hours=24)).isoformat(),
        }
        self.batches[batch_id] = batch
        return self.batch_object(batch)

    # -- HTTP

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes):
        """(status, headers, body bytes) for one request; records it first."""
        parsed = json.loads(body) if body else None
        record = {
            "method": method,
            "path": path,
            "headers": headers,
            "body": parsed,
            "raw": body.decode(errors="replace"),
        }
        self.requests.append(record)
        if not (headers.get("x-api-key") or headers.get("authorization", "").startswith("Bearer ")):
            return self._error(401, "authentication_error", "an API key is required")
        if method == "POST" and path == "/v1/messages":
            reply = self.replies.popleft() if self.replies else None
            if reply and reply.status != 200:
                return self._error(
                    reply.status,
                    ERROR_TYPES.get(reply.status, "api_error"),
                    "scripted",
                    reply.headers,
                )
            answer = self.message(parsed, reply)
            record["usage"] = answer["usage"]
            return self._json(answer)
        if method == "POST" and path == "/v1/messages/batches":
            return self._json(self.create_batch(parsed))
        parts = path.strip("/").split("/")
        if method == "GET" and parts[:3] == ["v1", "messages", "batches"] and len(parts) >= 4:
            batch = self.batches.get(parts[3])
            if batch is None:
                return self._error(404, "not_found_error", f"no batch {parts[3]}")
            if len(parts) == 4:
                batch["polls"] += 1
                return self._json(self.batch_object(batch))
            lines = "".join(json.dumps(result) + "\n" for result in batch["results"])
            return 200, {"content-type": "application/binary"}, lines.encode()
        return self._error(404, "not_found_error", f"{method} {path} is not served by the fake")

    @staticmethod
    def _json(data: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None):
        return (
            status,
            {"content-type": "application/json", **(headers or {})},
            json.dumps(data).encode(),
        )

    def _error(self, status: int, kind: str, message: str, headers: dict[str, str] | None = None):
        return self._json(
            {"type": "error", "error": {"type": kind, "message": message}}, status, headers
        )


def serve(fake: FakeAnthropic, port: int = 0) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, out_headers, payload = fake.handle(
                self.command, self.path.split("?")[0], headers, body
            )
            self.send_response(status)
            for key, value in out_headers.items():
                self.send_header(key, value)
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _answer

        def log_message(self, *args) -> None:  # requests are recorded, not logged
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    host, bound = server.server_address[:2]
    fake.base_url = f"http://{host}:{bound}"
    return server


@contextlib.contextmanager
def run_fake_anthropic(port: int = 0) -> Iterator[FakeAnthropic]:
    """Serve a FakeAnthropic on 127.0.0.1 in a background thread for the block."""
    fake = FakeAnthropic()
    server = serve(fake, port)
    thread = threading.Thread(target=server.serve_forever, name="fake-anthropic", daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
