"""Binder / repo2docker: the files repo2docker reads (the settings `make lab`'s server serves: tests/test_lab.py).

repo2docker cannot run here (no Docker), so these tests check its inputs by its own rules (repo2docker 2026.4:
`buildpacks/` detection, `jupyter-repo2docker --no-build --debug .` shows the Dockerfile they make).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import REPO
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

SETTINGS = REPO / "lab-settings" / "overrides.json"
SCHEMAS = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"
NOTIFICATION = "@jupyterlab/apputils-extension:notification"
# repo2docker reads only binder/ or .binder/ when one exists; these files pick a buildpack before conda's
SHADOWING = ["binder", ".binder", "Dockerfile", "Project.toml", "JuliaProject.toml", "REQUIRE", "default.nix",
             "install.R", "DESCRIPTION", "runtime.txt"]


def _pins(lines: list[str]) -> dict[str, str]:
    """Exact pins (`name==version`) among requirement lines; options (-r, -e, --index-url) are not pins."""
    pins = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        requirement = Requirement(line)
        specs = list(requirement.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"expected an exact pin name==version, got {line!r}"
        pins[canonicalize_name(requirement.name)] = specs[0].version
    return pins


def test_repo2docker_builds_environment_yml_then_postbuild():
    """repo2docker picks the conda buildpack (environment.yml at the root) and runs an executable postBuild."""
    shadowing = [name for name in SHADOWING if (REPO / name).exists()]
    assert not shadowing, f"expected repo2docker to read the repository root, but {shadowing} changes what it reads"
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    assert isinstance(env, dict) and isinstance(env.get("dependencies"), list), (
        f"expected environment.yml to be a mapping with a dependencies list, got {env!r}")
    post_build = REPO / "postBuild"
    assert os.access(post_build, os.X_OK), "expected postBuild to be executable (repo2docker runs ./postBuild)"
    assert post_build.read_text().startswith("#!/usr/bin/env bash\n"), "expected postBuild to start with a bash shebang"
    syntax = subprocess.run(["bash", "-n", str(post_build)], check=False, capture_output=True, text=True)
    assert syntax.returncode == 0, f"expected postBuild to be valid bash, bash -n says: {syntax.stderr}"


def test_postbuild_names_what_exists():
    """postBuild enables extensions that are installed and copies settings that JupyterLab's schemas accept."""
    script = (REPO / "postBuild").read_text()
    labextensions = re.findall(r"labextension enable --level=sys_prefix (\S+)", script)
    missing = [name for name in labextensions if not (Path(sys.prefix) / "share/jupyter/labextensions" / name).is_dir()]
    assert labextensions and not missing, f"expected installed JupyterLab extensions in postBuild, got {labextensions}"
    server_extensions = re.findall(r"server extension enable --sys-prefix (\S+)", script)
    assert server_extensions, "expected postBuild to enable nbgrader's validate_assignment server extension"
    for module in server_extensions:  # looked up as a file: importing nbgrader takes seconds
        path = Path(sysconfig.get_paths()["purelib"], *module.split("."))
        assert path.with_suffix(".py").is_file() or (path / "__init__.py").is_file(), (
            f"expected postBuild's server extension {module} installed, found no {path}.py")
    assert SETTINGS.is_file(), f"expected the course's JupyterLab settings in {SETTINGS}, found no file"
    assert SETTINGS.relative_to(REPO).as_posix() in script, f"expected postBuild to install {SETTINGS.name}"
    for plugin, values in json.loads(SETTINGS.read_text()).items():
        package, name = plugin.split(":")
        schema = json.loads((SCHEMAS / package / f"{name}.json").read_text())
        try:
            jsonschema.validate(values, schema)
        except jsonschema.ValidationError as error:
            pytest.fail(f"expected {SETTINGS.name}'s {plugin} to fit JupyterLab's schema: {error.message}")


def test_environment_yml_pins_what_requirements_txt_pins():
    """environment.yml installs requirements.txt on Python 3.11 and pins nothing to another version."""
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = [dep for dep in env["dependencies"] if isinstance(dep, str)]
    pip = next((dep["pip"] for dep in env["dependencies"] if isinstance(dep, dict) and "pip" in dep), [])
    assert "-r requirements.txt" in pip, f"expected environment.yml's pip section to include -r requirements.txt: {pip}"
    assert "-e ." in [line.split("#")[0].strip() for line in pip], "expected environment.yml to install the course (-e .)"
    required = _pins((REPO / "requirements.txt").read_text().splitlines())
    pinned = _pins(pip)
    for dep in conda:  # conda's spec is name=version or name==version; a bare name pins nothing
        name, _, version = dep.partition("=")
        if version:
            pinned[canonicalize_name(name)] = version.lstrip("=")
    python = pinned.pop("python", None)
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert python == running, f"expected environment.yml to pin python={running} (what .venv runs), got {python}"
    requires = SpecifierSet(re.search(r'requires-python = "(.+)"', (REPO / "pyproject.toml").read_text())[1])
    assert python in requires, f"expected python={python} to satisfy pyproject's requires-python {requires}"
    differing = {name: (version, required.get(name)) for name, version in pinned.items()
                 if required.get(name) != version}
    assert not differing, f"expected environment.yml's pins to equal requirements.txt's, (yml, txt): {differing}"
