"""Deterministic changed-file lists for commits and pull requests (REST `files[]`).

The model keeps only a commit's totals (additions, deletions, changed files); REST clients also
read the per-file breakdown. `files_for_commit` derives one from the sha so that the same commit
always lists the same files, `len(files) == changed_files` and the per-file additions and
deletions sum exactly to the commit's.
"""

from __future__ import annotations

import hashlib
import random

from .model import Commit, fake_sha

_PACKAGES = ("api", "core", "billing", "auth", "metrics", "storage", "web", "jobs", "utils")
_MODULES = (
    "client",
    "models",
    "handlers",
    "service",
    "schema",
    "views",
    "tasks",
    "config",
    "cache",
    "errors",
    "routes",
    "serializers",
    "validators",
    "events",
)
_DOCS = ("README.md", "CHANGELOG.md", "docs/architecture.md", "docs/setup.md", "docs/api.md")
_CONFIG = (
    "pyproject.toml",
    "requirements.txt",
    ".github/workflows/ci.yml",
    "Dockerfile",
    "docker-compose.yml",
    "Makefile",
    ".pre-commit-config.yaml",
    "setup.cfg",
)


def _filename(rng: random.Random) -> str:
    roll = rng.random()
    package, module = rng.choice(_PACKAGES), rng.choice(_MODULES)
    if roll < 0.55:
        return f"src/{package}/{module}.py"
    if roll < 0.8:
        return f"tests/{package}/test_{module}.py"
    if roll < 0.9:
        return rng.choice(_DOCS)
    return rng.choice(_CONFIG)


def _unique_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = _filename(rng)
        if name in seen:  # fall back to numbered modules once the pools run dry
            name = f"src/{rng.choice(_PACKAGES)}/{rng.choice(_MODULES)}_{len(names)}.py"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _split(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """Split `total` into len(weights) non-negative parts proportional to weights, exactly."""
    scale = sum(weights) or 1.0
    parts = [int(total * w / scale) for w in weights]
    for i in sorted(range(len(parts)), key=lambda _: rng.random())[: total - sum(parts)]:
        parts[i] += 1
    return parts


def split_files(seed: str, additions: int, deletions: int, changed_files: int) -> list[dict]:
    """Per-file entries (filename, status, additions, deletions, changes, sha) for given totals.

    A malformed recorded total (not an int) counts as 0 here; the commit's own stats still
    carry the recorded value."""
    additions, deletions, changed_files = (
        v if isinstance(v, int) else 0 for v in (additions, deletions, changed_files)
    )
    if changed_files <= 0:
        return []
    rng = random.Random(int(hashlib.sha1(seed.encode()).hexdigest()[:16], 16))
    names = _unique_names(rng, changed_files)
    weights = [rng.lognormvariate(0, 1) for _ in names]
    # every file changes at least one line when the totals allow it
    floor = changed_files if additions + deletions >= changed_files else 0
    floor_adds = min(additions, floor)
    floor_dels = floor - floor_adds
    adds = _split(rng, additions - floor_adds, weights)
    dels = _split(rng, deletions - floor_dels, [w * rng.uniform(0.3, 1.7) for w in weights])
    for i in range(floor_adds):
        adds[i] += 1
    for i in range(floor_adds, floor_adds + floor_dels):
        dels[i] += 1
    files = []
    for name, add, rem in zip(names, adds, dels, strict=True):
        if rem == 0 and add > 0 and rng.random() < 0.3:
            status = "added"
        elif add == 0 and rem > 0 and rng.random() < 0.3:
            status = "removed"
        else:
            status = "modified"
        files.append(
            {
                "sha": None if status == "removed" else fake_sha(seed, name),
                "filename": name,
                "status": status,
                "additions": add,
                "deletions": rem,
                "changes": add + rem,
            }
        )
    return files


def files_for_commit(commit: Commit) -> list[dict]:
    """The commit's changed files, deterministic in its sha; sums match the commit's stats."""
    return split_files(commit.sha, commit.additions, commit.deletions, commit.changed_files)


def patch_for(entry: dict) -> str:
    """A small unified-diff hunk consistent with the entry's line counts (capped for size)."""
    adds, dels = min(entry["additions"], 20), min(entry["deletions"], 20)
    lines = [f"@@ -1,{entry['deletions']} +1,{entry['additions']} @@"]
    lines += [f"-old line {i}" for i in range(1, dels + 1)]
    lines += [f"+new line {i}" for i in range(1, adds + 1)]
    return "\n".join(lines)
