"""The project environment's lock (tools/requirements.txt): every pin of pyproject.toml at its version, every
package of the resolved set pinned with hashes, and the running environment (.venv, as `build.py test` made it)
holding exactly those versions."""

from __future__ import annotations

import re

from tools.environment import REQUIREMENTS, locked_requirements, missing_requirements
from tools.project import read_pyproject


def _name(requirement: str) -> str:
    return re.split(r"[=<>!~\[;\s]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_the_lock_holds_every_pin_of_pyproject_at_its_version():
    project = read_pyproject()["project"]
    pinned = [*project["dependencies"], *(r for extra in project["optional-dependencies"].values() for r in extra)]
    locked = {_name(r): r.split("==", 1)[1] for r in locked_requirements()}
    assert {"mkdocs", "mkdocs-material", "pytest", "playwright", "pydantic"} <= {_name(r) for r in pinned}
    for requirement in pinned:
        assert "==" in requirement, f"{requirement} is not pinned"
        name, version = _name(requirement), requirement.split("==", 1)[1]
        assert locked.get(name) == version, f"tools/requirements.txt has {name} {locked.get(name)}, pyproject {version}"


def test_every_locked_package_carries_its_hashes():
    text = REQUIREMENTS.read_text()
    entries = re.findall(r"^([A-Za-z0-9][\w.-]*==\S+)((?:\s*\\\n\s+--hash=sha256:[0-9a-f]{64})+)", text, re.M)
    assert len(entries) == len(locked_requirements()) > 20
    assert "--index-url" not in text and "--find-links" not in text, "the lock names no package source"


def test_the_environment_running_the_tests_is_the_locked_one():
    assert missing_requirements(locked_requirements()) == []
