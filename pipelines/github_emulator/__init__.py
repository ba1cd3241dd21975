"""A local GitHub API (GraphQL + REST) over a synthetic or recorded organisation.

    from pipelines.github_emulator import run_emulator
    with run_emulator(scale=0.2, seed=7, faults="5xx") as gh:
        gh.api_url, gh.graphql_url          # http://127.0.0.1:PORT, .../graphql
        gh.enterprise_api_url               # .../api/v3 (GitHub Enterprise paths)
        gh.mutations.merge_pull_request("api", 12)
        gh.stats()["ground_truth"]

Layout: model.py (records and Store), generator.py (synthetic org), recorded.py (--load DIR),
mutations.py + builders.py (changes), graphql_api.py + schema.graphql, rest_api.py +
rest_serializers.py, server.py (HTTP, auth, rate limits, ETags, faults), ratelimit.py,
faults.py, stats.py, github_schema.py (GitHub's published GraphQL schema, for fidelity checks).
"""

from .faults import PROFILES as FAULT_PROFILES
from .server import Emulator, EmulatorConfig, RunningEmulator, run_emulator

__all__ = ["FAULT_PROFILES", "Emulator", "EmulatorConfig", "RunningEmulator", "run_emulator"]
