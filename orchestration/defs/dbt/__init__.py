"""dbt assets: every seed and model of dbt_project/, dbt tests as asset checks."""
