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
        if name == "deploy":
            continue  # publishes the build job's artefact: no checkout, no Python
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


def test_jobs_lint_check_tests_build_and_deploy() -> None:
    """lint, check, tests and build run; build needs check; deploy publishes on main only."""
    jobs = workflow()["jobs"]
    assert {"lint", "check", "tests", "build", "deploy"} <= jobs.keys()
    assert "lint" in nox_sessions("\n".join(s.get("run", "") for s in jobs["lint"]["steps"]))
    needs = jobs["build"]["needs"]
    assert "check" in ([needs] if isinstance(needs, str) else needs)
    deploy = jobs["deploy"]
    assert "refs/heads/main" in deploy["if"] and "push" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])
    build = jobs["build"]["steps"]
    pages = next(s for s in build if s.get("uses", "").startswith(
        "actions/upload-pages-artifact@"))
    assert pages["with"]["path"] == "build/html" and "refs/heads/main" in pages["if"]
    # the PDF and the EPUB go into the published site
    copy = next(s["run"] for s in build if "cp build/latex/edition.pdf" in s.get("run", ""))
    assert "build/epub/edition.epub" in copy and copy.strip().endswith("build/html/")
    assert build.index(next(s for s in build if s.get("run") == copy)) < build.index(pages)


def test_pull_request_preview_in_job_summary() -> None:
    """A pull request's reviewers get the site as an artefact, linked from the job summary."""
    build = workflow()["jobs"]["build"]["steps"]
    site = next(s for s in build if s.get("id") == "site")
    assert site["uses"].startswith("actions/upload-artifact@")
    assert site["with"]["path"] == "build/html"
    summary = next(s for s in build if "GITHUB_STEP_SUMMARY" in s.get("run", ""))
    assert "steps.site.outputs.artifact-url" in summary["env"]["SITE_URL"]
    assert "$SITE_URL" in summary["run"]


def test_actionlint_accepts_the_workflows(tmp_path: Path) -> None:
    """actionlint (a real parser and checker of GitHub Actions) passes every workflow, and
    refuses a broken one (a job that needs a job that does not exist)."""
    import shutil
    import subprocess
    import sys

    beside = Path(sys.executable).parent / "actionlint"  # the test environment's own
    actionlint = str(beside) if beside.is_file() else shutil.which("actionlint")
    assert actionlint, "actionlint is missing: pip install -e '.[test]'"
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    run = subprocess.run([actionlint, "-no-color", *map(str, workflows)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("needs: check",
                                                                   "needs: chek"),
                      encoding="utf-8")
    run = subprocess.run([actionlint, "-no-color", str(broken)], capture_output=True,
                         text=True, check=False)
    assert run.returncode == 1 and "chek" in run.stdout


def test_zizmor_finds_nothing_in_the_workflows() -> None:
    """zizmor (GitHub Actions security linter, offline audits) reports no finding: actions
    pinned to commits, no credentials persisted, no template injection, least permissions."""
    import shutil
    import subprocess
    import sys

    beside = Path(sys.executable).parent / "zizmor"
    zizmor = str(beside) if beside.is_file() else shutil.which("zizmor")
    assert zizmor, "zizmor is missing: pip install -e '.[test]'"
    run = subprocess.run(
        [zizmor, "--offline", "--no-progress", str(ROOT / ".github" / "workflows")],
        capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


def test_pull_requests_run_without_secrets_or_write_access() -> None:
    """The workflow's build of a pull request has read access only and no secret."""
    text = WORKFLOW.read_text(encoding="utf-8")
    data = workflow()
    assert data["permissions"] == {"contents": "read"}
    assert "pull_request_target" not in text and "secrets." not in text
    for name, job in data["jobs"].items():
        if name != "deploy":
            assert "permissions" not in job, name


def test_setup_script_plan_per_distribution(tmp_path: Path) -> None:
    """Debian installs its chromium; Ubuntu (and its derivatives) take Playwright's Chromium."""
    import subprocess

    def plan(os_release: str) -> dict[str, str]:
        file = tmp_path / "os-release"
        file.write_text(os_release, encoding="utf-8")
        run = subprocess.run(["bash", str(ROOT / "scripts" / "setup-system.sh"), "--plan"],
                             env={"PATH": "/usr/bin:/bin", "EDITION_OS_RELEASE": str(file)},
                             capture_output=True, text=True, check=True)
        return dict(line.split(": ", 1) for line in run.stdout.strip().split("\n"))

    debian = plan('PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nID=debian\n')
    ubuntu = plan('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\n')
    mint = plan('NAME="Linux Mint"\nID=linuxmint\nID_LIKE="ubuntu debian"\n')
    assert debian["distribution"] == "debian" and debian["browser"] == "debian"
    assert "chromium" in debian["packages"].split()
    for other in (ubuntu, mint):
        assert other["distribution"] == "ubuntu" and other["browser"] == "playwright"
        assert "chromium" not in other["packages"].split()
        assert set(other["packages"].split()) == set(debian["packages"].split()) - {"chromium"}
    # the Ubuntu branch installs the browser with its libraries through the tests' Python
    script = (ROOT / "scripts" / "setup-system.sh").read_text(encoding="utf-8")
    assert '"$EDITION_PYTHON" -m playwright install --with-deps chromium' in script


def test_scripts_the_workflow_calls_exist() -> None:
    """Every repository script a step runs is in the repository."""
    for step in steps():
        for path in re.findall(r"\b((?:scripts|\.ci)/[\w./-]+)", step.get("run", "")):
            assert (ROOT / path).is_file(), path


def test_pre_commit_config() -> None:
    """pre-commit runs ruff, check-yaml and the registry schema check of the check command."""
    import subprocess
    import sys
    import tomllib

    run = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config",
                          str(PRE_COMMIT)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    config = yaml.safe_load(PRE_COMMIT.read_text(encoding="utf-8"))
    hooks = {hook["id"]: (repo["repo"], hook) for repo in config["repos"]
             for hook in repo["hooks"]}
    # hooks that run anywhere: their own environments, with the project's dependencies
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for repo, hook in hooks.values():
        if repo == "local":
            assert hook["language"] == "python", hook["id"]
            assert sorted(hook["additional_dependencies"]) == sorted(project["dependencies"])
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
