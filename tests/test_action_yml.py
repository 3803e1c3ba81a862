"""action.yml, the code and the README agree: every input read and documented, and the reverse."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.action import INPUTS, OUTPUTS, read_inputs
from bot.settings import Settings

ROOT = Path(__file__).parent.parent
ACTION: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_table(heading: str) -> set[str]:
    """First-column names of the table under ``## heading`` in README.md."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, f"README.md has no '## {heading}' section"
    return set(re.findall(r"^\| `([a-z0-9-]+)` \|", match.group(1), re.M))


def test_every_input_has_a_description_and_a_default() -> None:
    for name, spec in ACTION["inputs"].items():
        assert spec.get("description"), name
        assert "default" in spec, name
        assert not spec.get("required"), f"{name}: docbot's inputs all have defaults"
    assert ACTION["inputs"]["github-token"]["default"] == "${{ github.token }}"


def test_every_input_is_read_by_the_code_and_the_reverse() -> None:
    assert set(ACTION["inputs"]) == set(INPUTS)
    assert set(INPUTS.values()) <= set(Settings.model_fields)


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_each_input_is_read_under_the_runners_name_and_the_underscore_one(name: str) -> None:
    hyphen = f"INPUT_{name.upper()}"
    underscore = f"INPUT_{name.upper().replace('-', '_')}"
    assert read_inputs({hyphen: " v "}) == {name: "v"}
    assert read_inputs({underscore: "v"}) == {name: "v"}
    assert read_inputs({hyphen: ""}) == {}


def test_every_output_is_declared_and_written() -> None:
    assert set(ACTION["outputs"]) == set(OUTPUTS)
    for name, spec in ACTION["outputs"].items():
        assert spec.get("description"), name


def test_readme_documents_every_input_and_output_and_nothing_else() -> None:
    assert readme_table("Action inputs") == set(ACTION["inputs"])
    assert readme_table("Action outputs") == set(ACTION["outputs"])


def test_the_action_runs_in_docker_from_the_dockerfile_or_a_released_image() -> None:
    runs = ACTION["runs"]
    assert runs["using"] == "docker"
    assert runs["image"] == "Dockerfile" or runs["image"].startswith("docker://ghcr.io/")


def test_the_image_bakes_in_tiktoken_encodings_and_pins_dependencies() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    assert "TIKTOKEN_CACHE_DIR=/opt/tiktoken" in dockerfile
    assert "o200k_base" in dockerfile and "cl100k_base" in dockerfile
    assert 'ENTRYPOINT ["docbot", "action"]' in dockerfile
    assert "--constraint constraints.txt" in dockerfile
    pins = {
        line.split("==")[0].lower()
        for line in (ROOT / "docker/constraints.txt").read_text().splitlines()
        if "==" in line
    }
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"]:
        name = re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0].lower()
        assert name in pins, f"{name} is not pinned in docker/constraints.txt"


def test_a_release_publishes_the_image_and_points_the_tag_at_it() -> None:
    text = (ROOT / ".github/workflows/release.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    assert workflow[True] == {"release": {"types": ["published"]}}  # yaml reads `on:` as True
    assert workflow["permissions"] == {"contents": "write", "packages": "write"}
    assert "ghcr.io/${owner}/docbot:" in text
    assert "image: docker://${IMAGE}" in text
    assert 'git push -f origin "refs/tags/${TAG}"' in text
