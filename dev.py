#!/usr/bin/env python3
"""One-command set-up and entry points for a fresh machine that has only Python 3.11 and pip.

    python dev.py demo    # create .venv, install DevMetrics, run the demo
    python dev.py test    # create .venv, install DevMetrics with dev extras, run the tests
    python dev.py lint    # ruff + sqlfluff, as CI runs them

The virtual environment lives in `.venv/` and is reinstalled only when pyproject.toml changes.
`uv` (from PyPI) is used for speed when it installs; otherwise plain pip does the work.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".devmetrics-installed"


def _run(cmd: list[str], **kwargs) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run(cmd, check=True, **kwargs)


def ensure_env() -> None:
    """Create .venv and install the project (with dev extras) if pyproject.toml changed."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and PY.exists():
        return
    if not PY.exists():
        print(f"Creating virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    target = [f"{ROOT}[dev]"]
    try:
        _run([str(PY), "-m", "pip", "install", "--quiet", "uv"])
        # --compile-bytecode: pip writes .pyc files at install time, uv only when asked. Without
        # them every dbt/Dagster process compiles its imports again where PYTHONDONTWRITEBYTECODE
        # is set (as on this workplace's machines).
        uv_install = [str(BIN / "uv"), "pip", "install", "--python", str(PY), "--quiet"]
        _run([*uv_install, "--compile-bytecode", "-e", *target])
    except subprocess.CalledProcessError:
        print("uv was not usable; installing with pip (slower)", flush=True)
        _run([str(PY), "-m", "pip", "install", "--quiet", "-e", *target])
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "lint", "setup"}:
        print(__doc__)
        return 2
    ensure_env()
    command, rest = argv[0], argv[1:]
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if command == "setup":
        return 0
    if command == "demo":
        return subprocess.call([str(BIN / "devmetrics"), "demo", *rest], cwd=ROOT, env=env)
    if command == "test":
        if os.environ.get("CI") == "true" and "-m" not in rest:
            rest = ["-m", "slow or not slow", *rest]  # CI runs the slow tests as well
        return subprocess.call([str(PY), "-m", "pytest", *rest], cwd=ROOT, env=env)
    # lint
    status = subprocess.call([str(PY), "-m", "ruff", "check", "."], cwd=ROOT, env=env)
    status |= subprocess.call([str(PY), "-m", "ruff", "format", "--check", "."], cwd=ROOT, env=env)
    sql_dirs = [d for d in ("dbt_project/models", "dbt_project/macros") if (ROOT / d).exists()]
    if sql_dirs:
        status |= subprocess.call([str(PY), "-m", "sqlfluff", "lint", *sql_dirs], cwd=ROOT, env=env)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
