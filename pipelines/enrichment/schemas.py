"""The JSON schemas every answer must follow, and their validation.

One definition per task serves twice: `wire_schema()` is what the Messages API's structured
output receives (numeric ranges and length limits move into the description, which the
constrained decoder does not enforce), and `validate()` checks an answer against the full
schema, ranges included, so an out-of-range value never reaches the enrichment tables.
"""

from __future__ import annotations

import copy
import math
from typing import Any

CATEGORIES = ["feature", "bugfix", "refactor", "docs", "test", "chore", "security", "performance"]
COMPLEXITIES = ["low", "medium", "high"]
CONVENTIONAL_TYPES = [
    "feat",
    "fix",
    "docs",
    "style",
    "refactor",
    "perf",
    "test",
    "build",
    "ci",
    "chore",
    "revert",
]
DIGEST_FIGURES = [
    "active_developers",
    "prs_merged",
    "cycle_time_p50_hours",
    "cycle_time_p90_hours",
    "pickup_time_p50_hours",
    "review_coverage_percent",
    "merged_without_approval_percent",
    "open_prs_at_week_end",
    "story_points_completed",
]

_STRINGS = {"type": "array", "items": {"type": "string", "maxLength": 300}, "maxItems": 10}

PULL_REQUEST_INSIGHT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "category": {"type": "string", "enum": CATEGORIES},
        "risk_score": {"type": "integer", "minimum": 0, "maximum": 100},
        "complexity": {"type": "string", "enum": COMPLEXITIES},
        "summary": {"type": "string", "maxLength": 300},
        "potential_bugs": _STRINGS,
        "security_concerns": _STRINGS,
        "suggestions": _STRINGS,
        "estimated_review_minutes": {"type": "integer", "minimum": 1, "maximum": 480},
    },
    "required": [
        "category",
        "risk_score",
        "complexity",
        "summary",
        "potential_bugs",
        "security_concerns",
        "suggestions",
        "estimated_review_minutes",
    ],
    "additionalProperties": False,
}

COMMIT_CLASSIFICATION: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "conventional_type": {"type": "string", "enum": CONVENTIONAL_TYPES},
        "summary": {"type": "string", "maxLength": 300},
        "tags": _STRINGS,
        "sentiment": {"type": "number", "minimum": -1, "maximum": 1},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "entities": _STRINGS,
    },
    "required": [
        "id",
        "conventional_type",
        "summary",
        "tags",
        "sentiment",
        "confidence",
        "entities",
    ],
    "additionalProperties": False,
}

COMMIT_CLASSIFICATIONS: dict[str, Any] = {
    "type": "object",
    "properties": {"commits": {"type": "array", "items": COMMIT_CLASSIFICATION}},
    "required": ["commits"],
    "additionalProperties": False,
}

WEEKLY_DIGEST: dict[str, Any] = {
    "type": "object",
    "properties": {
        "digest": {"type": "string", "maxLength": 1200},
        "quoted_figures": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "enum": DIGEST_FIGURES},
                    "value": {"type": "number"},
                },
                "required": ["name", "value"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["digest", "quoted_figures"],
    "additionalProperties": False,
}

ASK_SQL: dict[str, Any] = {
    "type": "object",
    "properties": {
        "sql": {"type": "string", "maxLength": 4000},
        "explanation": {"type": "string", "maxLength": 600},
    },
    "required": ["sql", "explanation"],
    "additionalProperties": False,
}

ASK_ANSWER: dict[str, Any] = {
    "type": "object",
    "properties": {"answer": {"type": "string", "maxLength": 1500}},
    "required": ["answer"],
    "additionalProperties": False,
}


class InvalidOutput(ValueError):
    """An answer that does not follow its schema; the message says where and why."""


_LIMITS = {"minimum": "at least", "maximum": "at most", "maxLength": "at most characters:"}


def wire_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` as structured output accepts it: limits moved into descriptions."""
    schema = copy.deepcopy(schema)

    def strip(node: Any) -> None:
        if isinstance(node, dict):
            notes = [f"{_LIMITS[k]} {node.pop(k)}" for k in list(node) if k in _LIMITS]
            node.pop("maxItems", None)
            if notes:
                node["description"] = "; ".join(notes)
            for value in node.values():
                strip(value)
        elif isinstance(node, list):
            for value in node:
                strip(value)

    strip(schema)
    return schema


def validate(value: Any, schema: dict[str, Any], path: str = "$") -> None:
    """Raise InvalidOutput at the first place `value` breaks `schema` (the subset used here)."""
    kind = schema.get("type")
    checks = {
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        # json.loads accepts NaN and Infinity, which no range check would catch
        "number": lambda v: (
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
        ),
    }
    if kind and not checks[kind](value):
        raise InvalidOutput(f"{path}: expected {kind}, got {type(value).__name__} {value!r:.60}")
    if "enum" in schema and value not in schema["enum"]:
        raise InvalidOutput(f"{path}: {value!r:.60} is not one of {schema['enum']}")
    if "minimum" in schema and value < schema["minimum"]:
        raise InvalidOutput(f"{path}: {value} is below the minimum {schema['minimum']}")
    if "maximum" in schema and value > schema["maximum"]:
        raise InvalidOutput(f"{path}: {value} is above the maximum {schema['maximum']}")
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        raise InvalidOutput(f"{path}: longer than {schema['maxLength']} characters")
    if kind == "array":
        if len(value) > schema.get("maxItems", len(value)):
            raise InvalidOutput(f"{path}: more than {schema['maxItems']} items")
        for i, item in enumerate(value):
            validate(item, schema.get("items", {}), f"{path}[{i}]")
    if kind == "object":
        properties = schema.get("properties", {})
        missing = [k for k in schema.get("required", []) if k not in value]
        if missing:
            raise InvalidOutput(f"{path}: missing {', '.join(missing)}")
        extra = [k for k in value if k not in properties]
        if extra and schema.get("additionalProperties") is False:
            raise InvalidOutput(f"{path}: unexpected {', '.join(extra)}")
        for key, item in value.items():
            if key in properties:
                validate(item, properties[key], f"{path}.{key}")
