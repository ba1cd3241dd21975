"""Resources shared by every asset, passed by parameter name (`settings: DevMetricsSettings`)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg


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


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "settings": DevMetricsSettings(
                warehouse=dg.EnvVar("DEVMETRICS_WAREHOUSE").get_value("data/devmetrics.duckdb"),
                serving_path=dg.EnvVar("DEVMETRICS_SERVING_PATH").get_value(""),
            )
        }
    )
