"""Resource "alerts": where alerts go. Read from the environment (`.env`):
DEVMETRICS_SLACK_WEBHOOK_URL (unset: nothing is ever sent) and DEVMETRICS_DAGSTER_URL (the
Dagster UI's address, for links to failed runs; optional)."""

from __future__ import annotations

import dagster as dg


class AlertSettings(dg.ConfigurableResource):
    webhook_url: str = ""
    dagster_url: str = ""

    def run_url(self, run_id: str) -> str | None:
        return f"{self.dagster_url.rstrip('/')}/runs/{run_id}" if self.dagster_url else None


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "alerts": AlertSettings(
                webhook_url=dg.EnvVar("DEVMETRICS_SLACK_WEBHOOK_URL").get_value(""),
                dagster_url=dg.EnvVar("DEVMETRICS_DAGSTER_URL").get_value(""),
            )
        }
    )
