"""The docs that are generated from the code are up to date."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO


def test_cli_reference_is_generated_from_the_commands_help():
    done = subprocess.run(
        [sys.executable, str(REPO / "docs" / "cli_reference.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_architecture_doc_draws_every_layer_of_the_contracts():
    import re

    tomllib = pytest.importorskip("tomllib", reason="Python 3.11+ reads pyproject.toml with tomllib")

    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    [layers] = [c["layers"] for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    modules = {name for layer in layers for name in re.split(r"[|:]", layer)}
    assert len(modules) >= 15
    for module in modules:
        assert module.strip() in text, f"docs/architecture.md does not show {module.strip()}"
