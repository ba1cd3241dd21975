"""Counts of every request the emulator serves, by kind, endpoint and status, for benchmarks."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any


class RequestStats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sequence = 0
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._by_key: Counter[tuple[str, str, int]] = Counter()
            self._faults: Counter[str] = Counter()
            self._graphql_cost = 0

    def next_request_id(self) -> str:
        with self._lock:
            self._sequence += 1
            return f"E{self._sequence:08X}:EMULATOR"

    def record(self, kind: str, endpoint: str, status: int) -> None:
        """status 0 means the connection was dropped without an answer."""
        with self._lock:
            self._by_key[(kind, endpoint, status)] += 1

    def record_fault(self, profile: str) -> None:
        with self._lock:
            self._faults[profile] += 1

    def record_graphql_cost(self, cost: int) -> None:
        with self._lock:
            self._graphql_cost += cost

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            by_kind: Counter[str] = Counter({"graphql": 0, "rest": 0})
            by_status: Counter[str] = Counter()
            by_endpoint: dict[str, dict[str, int]] = {}
            for (kind, endpoint, status), n in sorted(self._by_key.items()):
                by_kind[kind] += n
                by_status[str(status)] += n
                statuses = by_endpoint.setdefault(f"{kind} {endpoint}", {})
                statuses[str(status)] = statuses.get(str(status), 0) + n
            return {
                "requests": {
                    "total": sum(by_kind.values()),
                    "by_kind": dict(by_kind),
                    "by_status": dict(by_status),
                    "by_endpoint": by_endpoint,
                    "not_modified": by_status.get("304", 0),
                },
                "faults_injected": dict(self._faults),
                "graphql_points": self._graphql_cost,
            }
