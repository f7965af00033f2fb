"""The CI workflow and the pre-commit configuration: valid, and in step with .ci/run and nox."""

from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"
CI_RUN = ROOT / ".ci" / "run"
NOXFILE = ROOT / "noxfile.py"
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"


def nox_sessions(command: str) -> list[str]:
    """The sessions a shell text asks nox for (``nox -s a b``, ``"${NOX[@]}" --session=a``)."""
    sessions: list[str] = []
    for line in command.splitlines():
        line = line.split(" #", 1)[0].strip()
        # a nox invocation names nox (or a variable holding it) and passes -s / --session
        if line.startswith("#") or not re.search(r"nox", line, re.IGNORECASE):
            continue
        if not re.search(r"(?:^|\s)(?:-s|--sessions?)(?:\s|=|$)", line):
            continue
        try:
            words = shlex.split(line)
        except ValueError:
            words = line.split()
        taking = False
        for word in words:
            if word in ("-s", "--session", "--sessions"):
                taking = True
            elif word.startswith(("--session=", "--sessions=")):
                sessions.extend(word.split("=", 1)[1].split(","))
                taking = False
            elif word.startswith("-") or word in (";", "&&", "||", "|"):
                taking = False
            elif taking:
                sessions.append(word.rstrip(";"))
    return sessions


def noxfile_sessions() -> set[str]:
    """Names of the sessions noxfile.py defines (``@nox.session`` or ``@nox.session(name=…)``)."""
    tree = ast.parse(NOXFILE.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        for deco in node.decorator_list:
            target = deco.func if isinstance(deco, ast.Call) else deco
            if not (isinstance(target, ast.Attribute) and target.attr == "session"):
                continue
            name = node.name
            if isinstance(deco, ast.Call):
                for kw in deco.keywords:
                    if kw.arg == "name" and isinstance(kw.value, ast.Constant):
                        name = str(kw.value.value)
            names.add(name)
    return names


def workflow() -> dict[Any, Any]:
    """The workflow as YAML reads it (note: the key ``on`` reads as the boolean True)."""
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps() -> list[dict[str, Any]]:
    """Every step of every job."""
    return [step for job in workflow()["jobs"].values() for step in job["steps"]]


def test_nox_sessions_parser() -> None:
    """The helper reads the forms nox accepts."""
    assert nox_sessions("nox -s tests") == ["tests"]
    assert nox_sessions("python -m nox --session=check -- -x") == ["check"]
    assert nox_sessions("nox -s tests check --no-venv") == ["tests", "check"]
    assert nox_sessions('exec "${NOX[@]}" -s tests') == ["tests"]
    assert nox_sessions('say "installing nox into $VENV"') == []


def test_workflow_is_valid_yaml_with_triggers() -> None:
    """Runs on every pull request and on pushes to main."""
    data = workflow()
    triggers = data[True]  # YAML 1.1 reads the key `on` as True
    assert "pull_request" in triggers
    assert "main" in triggers["push"]["branches"]


def test_every_job_runs_on_ubuntu_with_python_311() -> None:
    """Each job is an Ubuntu runner that sets up Python 3.11 after checking out the code."""
    for name, job in workflow()["jobs"].items():
        assert str(job["runs-on"]).startswith("ubuntu"), name
        uses = [step.get("uses", "") for step in job["steps"]]
        assert uses[0].startswith("actions/checkout@"), name
        setup = [s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python@")]
        assert setup and str(setup[0]["with"]["python-version"]) == "3.11", name


def test_workflow_runs_every_session_of_ci_run() -> None:
    """Whatever .ci/run checks, a pull request checks too."""
    required = set(nox_sessions(CI_RUN.read_text(encoding="utf-8")))
    assert required, ".ci/run runs no nox session"
    ran = {s for step in steps() for s in nox_sessions(step.get("run", ""))}
    assert required <= ran
    assert {"tests", "check", "build"} <= ran


def test_sessions_exist_in_noxfile() -> None:
    """No step asks nox for a session that noxfile.py does not define."""
    ran = {s for step in steps() for s in nox_sessions(step.get("run", ""))}
    ran |= set(nox_sessions(CI_RUN.read_text(encoding="utf-8")))
    assert ran <= noxfile_sessions()


def test_site_and_pdf_are_uploaded() -> None:
    """The build job attaches build/html and the PDF as artefacts."""
    uploads = [s["with"]["path"] for s in steps()
               if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert "build/html" in uploads
    assert any(str(path).endswith(".pdf") for path in uploads)


def test_scripts_the_workflow_calls_exist() -> None:
    """Every repository script a step runs is in the repository."""
    for step in steps():
        for path in re.findall(r"\b((?:scripts|\.ci)/[\w./-]+)", step.get("run", "")):
            assert (ROOT / path).is_file(), path


def test_pre_commit_config() -> None:
    """pre-commit runs ruff, check-yaml and the registry schema check of the check command."""
    config = yaml.safe_load(PRE_COMMIT.read_text(encoding="utf-8"))
    hooks = {hook["id"]: (repo["repo"], hook) for repo in config["repos"]
             for hook in repo["hooks"]}
    assert {"ruff", "check-yaml", "registry-schema"} <= hooks.keys()
    repo, registry = hooks["registry-schema"]
    assert repo == "local"
    assert registry["entry"].split()[:4] == ["python", "-m", "converters", "check"]
    assert "registry" in registry["entry"]
    assert re.search(registry["files"], "docs/_data/registry.yaml")


def test_repository_yaml_passes_check_yaml() -> None:
    """What the check-yaml hook checks: every YAML file of the repository parses."""
    def skipped(folder: str) -> bool:
        # tool caches and build output, not the repository's own files
        return folder in ("build", "node_modules") or (
            folder.startswith(".") and folder not in (".github", ".ci"))

    files = [p for p in ROOT.rglob("*.y*ml")
             if not any(skipped(part) for part in p.relative_to(ROOT).parts[:-1])]
    assert WORKFLOW in files
    for path in files:
        yaml.safe_load(path.read_text(encoding="utf-8"))
