"""GitHub's published GraphQL schema (`@octokit/graphql-schema` on npm), fetched once and cached.

The emulator's own schema (schema.graphql) is a subset of this one; the fidelity tests and the
extractor's query checks compare against it. Fetching uses only the npm registry over HTTPS
(no node/npm needed): registry metadata -> tarball -> `package/schema.graphql`, written to
`<repo root>/.cache/github-graphql-schema/<version>/schema.graphql`, or under
`$DEVMETRICS_CACHE_DIR/github-graphql-schema/<version>/` when that variable is set.

Run `python -m pipelines.github_emulator.github_schema` to fetch it and print the cached path.
"""

from __future__ import annotations

import io
import json
import os
import tarfile
import urllib.error
import urllib.request
from functools import lru_cache
from pathlib import Path

from graphql import GraphQLSchema, build_schema

PACKAGE = "@octokit/graphql-schema"
VERSION = "15.26.1"
REGISTRY_URL = "https://registry.npmjs.org/@octokit%2fgraphql-schema"
MEMBER = "package/schema.graphql"
TIMEOUT_SECONDS = 60


class GitHubSchemaUnavailable(RuntimeError):
    """GitHub's published schema is neither cached nor downloadable; the message says how to fix it."""


def cache_path(version: str = VERSION) -> Path:
    """Where the schema file of `version` is (or will be) cached."""
    override = os.environ.get("DEVMETRICS_CACHE_DIR")
    root = Path(override) if override else Path(__file__).resolve().parents[2] / ".cache"
    return root / "github-graphql-schema" / version / "schema.graphql"


def _unavailable(step: str, error: object, target: Path) -> GitHubSchemaUnavailable:
    return GitHubSchemaUnavailable(
        f"GitHub's GraphQL schema ({PACKAGE}@{VERSION}) is not cached and could not be "
        f"downloaded: {step} failed: {error}. Fix: allow HTTPS access to registry.npmjs.org and "
        f"run `python -m pipelines.github_emulator.github_schema`, or run "
        f"`npm pack {PACKAGE}@{VERSION}` elsewhere and copy the tarball's {MEMBER} to {target} "
        f"(set DEVMETRICS_CACHE_DIR to cache somewhere else)."
    )


def _get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "devmetrics-schema-fetch"})
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
        return response.read()


def fetch_github_schema(version: str = VERSION) -> Path:
    """Return the cached schema file, downloading it from the npm registry first if needed."""
    target = cache_path(version)
    if target.is_file() and target.stat().st_size > 0:
        return target
    try:
        metadata = json.loads(_get(REGISTRY_URL))
        tarball_url = metadata["versions"][version]["dist"]["tarball"]
    except (urllib.error.URLError, OSError, ValueError, KeyError) as error:
        raise _unavailable(f"reading {REGISTRY_URL}", repr(error), target) from error
    try:
        with tarfile.open(fileobj=io.BytesIO(_get(tarball_url)), mode="r:gz") as archive:
            member = archive.extractfile(MEMBER)
            if member is None:
                raise KeyError(MEMBER)
            sdl = member.read()
    except (urllib.error.URLError, OSError, tarfile.TarError, KeyError) as error:
        raise _unavailable(
            f"extracting {MEMBER} from {tarball_url}", repr(error), target
        ) from error
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_bytes(sdl)
    partial.replace(target)
    return target


@lru_cache(maxsize=2)
def load_github_schema(version: str = VERSION) -> GraphQLSchema:
    """GitHub's schema as a graphql-core schema (its SDL repeats some definitions, hence
    `assume_valid_sdl`)."""
    sdl = fetch_github_schema(version).read_text(encoding="utf-8")
    return build_schema(sdl, assume_valid_sdl=True)


if __name__ == "__main__":
    print(fetch_github_schema())
