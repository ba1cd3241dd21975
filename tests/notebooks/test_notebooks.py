"""Every analyst notebook runs headless against a freshly published serving snapshot without a
cell error, and its charts are saved as PNG files under build/notebooks/ to be looked at.
Notebooks are committed without outputs."""

from __future__ import annotations

import base64
import functools
import os
import shutil
from pathlib import Path

import matplotlib.image
import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHARTS = ROOT / "build" / "notebooks"
# Charts each notebook draws on the test snapshot (enrichment_provider is 'none' there, so the
# category and risk charts of people_and_insights are replaced by a sentence on how to fill them).
EXPECTED_CHARTS = {"team_flow": 6, "dora": 4, "people_and_insights": 3}


def test_the_three_analyst_notebooks_exist():
    assert {path.stem for path in NOTEBOOKS} >= set(EXPECTED_CHARTS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_has_no_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    dirty = [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; clear them before committing"


@functools.cache
def _execute(path: Path, serving: Path) -> nbformat.NotebookNode:
    """Run the notebook once in a fresh kernel reading `serving`; CellExecutionError, naming the
    cell, on any error."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute(env={**os.environ, "DEVMETRICS_SERVING_PATH": str(serving)})
    return notebook


def _outputs(notebook: nbformat.NotebookNode, mime: str) -> list[str]:
    return [
        output["data"][mime]
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if mime in output.get("data", {})
    ]


def _save_charts(notebook: nbformat.NotebookNode, name: str) -> list[Path]:
    CHARTS.mkdir(parents=True, exist_ok=True)
    for stale in CHARTS.glob(f"{name}-*.png"):
        stale.unlink()
    saved = []
    for number, encoded in enumerate(_outputs(notebook, "image/png"), start=1):
        target = CHARTS / f"{name}-{number}.png"
        target.write_bytes(base64.b64decode(encoded))
        saved.append(target)
    return saved


def _assert_readable(chart: Path) -> None:
    pixels = matplotlib.image.imread(chart)
    height, width = pixels.shape[:2]
    assert width >= 400 and height >= 250, f"{chart.name} is {width}x{height}"
    assert chart.stat().st_size > 10_000, f"{chart.name} is nearly empty"
    assert pixels[..., :3].std() > 0.05, f"{chart.name} is a blank image"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_headless_and_renders_its_charts(path, snapshot):
    notebook = _execute(path, snapshot.path)
    saved = _save_charts(notebook, path.stem)
    assert len(saved) >= EXPECTED_CHARTS.get(path.stem, 1)
    for chart in saved:
        _assert_readable(chart)


def test_people_notebook_says_how_to_fill_the_enrichment_while_provider_is_none(snapshot):
    notebook = _execute(ROOT / "notebooks" / "people_and_insights.ipynb", snapshot.path)
    said = "\n".join(_outputs(notebook, "text/markdown"))
    assert "No pull request is enriched yet" in said and "No weekly digest yet" in said
    assert "devmetrics enrich" in said


@pytest.mark.slow
def test_people_notebook_charts_categories_risk_and_digests_once_enriched(snapshot, tmp_path):
    from pipelines.enrichment import EnrichmentSettings, refresh_insight_marts, run_enrichment
    from pipelines.serving import publish

    warehouse = tmp_path / "devmetrics.duckdb"
    shutil.copy(snapshot.warehouse, warehouse)
    settings = EnrichmentSettings.from_env(provider="heuristic")
    run_enrichment(warehouse, settings, progress=lambda message: None)
    refresh_insight_marts(warehouse)
    serving = Path(publish(warehouse, tmp_path / "serving.duckdb")["path"])

    notebook = _execute(ROOT / "notebooks" / "people_and_insights.ipynb", serving)
    saved = _save_charts(notebook, "people_and_insights-enriched")
    assert len(saved) == EXPECTED_CHARTS["people_and_insights"] + 1  # categories and risk
    for chart in saved:
        _assert_readable(chart)
    said = "\n".join(_outputs(notebook, "text/markdown"))
    assert "enriched, by `heuristic`" in said and "week of" in said
    assert "No pull request is enriched yet" not in said
