"""Resources shared by every asset, passed by parameter name: `settings` (where the warehouse and
its serving snapshot live), `github` (what to extract and how to reach the API), `dbt` (the dbt
CLI on dbt_project/) and `dlt` (dagster-dlt's runner). Everything is read from the environment
(`.env`, see .env.example); the GitHub token stays an `EnvVar`, resolved only inside the run and
never shown in the UI, the run config or the logs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_dlt import DagsterDltResource

from orchestration.lib.dbt_project import DBT_EXECUTABLE, DBT_PROJECT


class DevMetricsSettings(dg.ConfigurableResource):
    """Where the warehouse and its serving snapshot live. Read from the environment (`.env`):
    DEVMETRICS_WAREHOUSE (default data/devmetrics.duckdb) and DEVMETRICS_SERVING_PATH (default
    serving.duckdb beside the warehouse)."""

    warehouse: str = "data/devmetrics.duckdb"
    serving_path: str = ""

    @property
    def warehouse_path(self) -> Path:
        return Path(self.warehouse).resolve()

    @property
    def serving_file(self) -> Path:
        if self.serving_path:
            return Path(self.serving_path).resolve()
        return self.warehouse_path.parent / "serving.duckdb"


class GitHubSettings(dg.ConfigurableResource):
    """What to extract and from where: DEVMETRICS_GITHUB_ORG or DEVMETRICS_GITHUB_REPOS (owner/name,
    comma- or space-separated), GITHUB_TOKEN (several comma-separated), GITHUB_API_URL and
    GITHUB_GRAPHQL_URL. Unset values fall back to dlt's own configuration (SOURCES__GITHUB__…,
    .dlt/config.toml, .dlt/secrets.toml), as `devmetrics extract` does."""

    org: str = ""
    repositories: str = ""
    tokens: str | None = None
    api_url: str = ""
    graphql_url: str = ""

    def repository_names(self) -> list[str]:
        return [name for name in self.repositories.replace(",", " ").split() if name]

    def extract_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `run_extract` / `github_source` (only what is set)."""
        kwargs: dict[str, Any] = {}
        if self.org:
            kwargs["org"] = self.org
        if self.repository_names():
            kwargs["repositories"] = self.repository_names()
        if self.tokens:
            kwargs["tokens"] = self.tokens
        if self.api_url:
            kwargs["api_url"] = self.api_url
        if self.graphql_url:
            kwargs["graphql_url"] = self.graphql_url
        return kwargs


def github_from_env() -> GitHubSettings:
    # An EnvVar only when the variable is set: an unset EnvVar fails every run, while None lets
    # dlt resolve sources.github.access_token from its own secrets.
    return GitHubSettings(
        org=dg.EnvVar("DEVMETRICS_GITHUB_ORG").get_value("") or "",
        repositories=dg.EnvVar("DEVMETRICS_GITHUB_REPOS").get_value("") or "",
        tokens=dg.EnvVar("GITHUB_TOKEN") if os.environ.get("GITHUB_TOKEN") else None,
        api_url=dg.EnvVar("GITHUB_API_URL").get_value("") or "",
        graphql_url=dg.EnvVar("GITHUB_GRAPHQL_URL").get_value("") or "",
    )


def settings_from_env() -> DevMetricsSettings:
    return DevMetricsSettings(
        warehouse=dg.EnvVar("DEVMETRICS_WAREHOUSE").get_value("data/devmetrics.duckdb")
        or "data/devmetrics.duckdb",
        serving_path=dg.EnvVar("DEVMETRICS_SERVING_PATH").get_value("") or "",
    )


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=DBT_PROJECT, dbt_executable=DBT_EXECUTABLE)


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "settings": settings_from_env(),
            "github": github_from_env(),
            "dbt": dbt_resource(),
            "dlt": DagsterDltResource(),
        }
    )
