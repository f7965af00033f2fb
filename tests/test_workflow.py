"""The CI workflow and the pre-commit configuration: valid, and in step with .ci/run and nox."""

from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
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


# --------------------------------------------------------------------------- locked dependencies

CANARY = ROOT / ".github" / "workflows" / "canary.yml"
TOOLS_IN = ROOT / ".ci" / "tools.in"
TOOLS = ROOT / ".ci" / "tools.txt"
LOCK = ROOT / "uv.lock"


def noxfile_constant(name: str) -> Any:
    """A constant assigned at the top of noxfile.py."""
    for node in ast.parse(NOXFILE.read_text(encoding="utf-8")).body:
        if (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == name):
            return ast.literal_eval(node.value)
    raise AssertionError(f"noxfile.py assigns no {name}")


def session_calls(name: str) -> list[str]:
    """The names of the functions a nox session's function calls, in order."""
    for node in ast.walk(ast.parse(NOXFILE.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return [call.func.id for call in ast.walk(node)
                    if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)]
    raise AssertionError(f"noxfile.py has no function {name}")


def uv_binary() -> str:
    """The uv of the test environment (the test extra has it), or the one on PATH."""
    import shutil
    import sys

    beside = Path(sys.executable).parent / "uv"
    found = str(beside) if beside.is_file() else shutil.which("uv")
    assert found, "uv is missing: pip install -e '.[test]'"
    return found


def test_the_lock_matches_pyproject() -> None:
    """uv.lock resolves exactly what pyproject.toml asks for (``uv lock`` after each change)."""
    import subprocess

    run = subprocess.run([uv_binary(), "lock", "--check", "--offline"], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    lock = LOCK.read_text(encoding="utf-8")
    # every distribution of the lock is pinned by its hash
    assert lock.count('hash = "sha256:') > 100
    # the edition's own floors are what the lock holds, or below it
    assert 'name = "sphinx"\nversion = "9.' in lock


def test_every_toolkit_session_installs_the_lock_into_one_environment() -> None:
    """The toolkit sessions share .nox/toolkit, synced from uv.lock with --locked; only the
    two sessions that test other versions resolve afresh, each into an environment of its own."""
    source = NOXFILE.read_text(encoding="utf-8")
    assert '"sync", "--locked", "--all-extras"' in source
    assert "session.install(" not in source  # nox's own environment per session: none
    assert noxfile_constant("UV_VERSION")
    resolving = {"tests_oldest": "lowest-direct", "tests_latest": "highest"}
    tree = ast.parse(source)
    sessions = [node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
                and any("session" in ast.unparse(d) for d in node.decorator_list)]
    assert {"build", "tests", "tests_fast", "check", "lint", *resolving} <= set(sessions)
    for name in sessions:
        calls = session_calls(name)
        if name in resolving:
            assert "toolkit" not in calls and calls[0] == "resolved_environment", name
            body = ast.unparse(next(n for n in ast.walk(tree)
                                    if isinstance(n, ast.FunctionDef) and n.name == name))
            assert f"'--resolution', '{resolving[name]}'" in body, name
        else:
            assert calls[0] == "toolkit", name


def test_the_sessions_needing_system_packages_are_the_ones_the_readme_names() -> None:
    """README says which sessions run scripts/setup-system.sh: exactly those that do."""
    names = {"tests_latest": "tests-latest", "tests_fast": "tests-fast",
             "tests_oldest": "tests-oldest"}
    tree = ast.parse(NOXFILE.read_text(encoding="utf-8"))
    sessions = [node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
                and any("session" in ast.unparse(d) for d in node.decorator_list)]
    needing = {names.get(s, s) for s in sessions if "system_packages" in session_calls(s)}
    assert needing == {"build", "tests", "tests-latest", "bench"}
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    said = re.search(r"\*\*System packages\.\*\* (.*?) run `scripts/setup-system.sh`", readme)
    assert said is not None
    assert set(re.findall(r"`nox -s ([\w-]+)`", said.group(1))) == needing


def test_ci_installs_pinned_tools_and_runs_nox() -> None:
    """Every job (and .ci/run) installs nox and uv from .ci/tools.txt, hashes required; the uv
    pinned there is the one noxfile.py installs when a machine has none, and uv.lock is its."""
    pins = dict(line.split("==") for line in TOOLS_IN.read_text(encoding="utf-8").splitlines()
                if line and not line.startswith("#"))
    assert pins["uv"] == noxfile_constant("UV_VERSION")
    tools = TOOLS.read_text(encoding="utf-8")
    for name, version in pins.items():
        assert re.search(rf"^{name}=={re.escape(version)} \\$", tools, re.M), name
    requirements = [line for line in tools.splitlines() if re.match(r"^[a-z]", line)]
    assert requirements and all(line.endswith("\\") for line in requirements)  # each hashed
    install = "python -m pip install --require-hashes -r .ci/tools.txt"
    for path in (WORKFLOW, CANARY):
        jobs = yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"]
        for name, job in jobs.items():
            runs = [step.get("run", "") for step in job.get("steps", [])]
            if any(nox_sessions(run) for run in runs):
                assert install in runs, (path.name, name)
                assert runs.index(install) < next(i for i, run in enumerate(runs)
                                                  if nox_sessions(run)), (path.name, name)
    assert "--require-hashes" in CI_RUN.read_text(encoding="utf-8")
    assert "-r .ci/tools.txt" in CI_RUN.read_text(encoding="utf-8")


def test_the_declared_minima_are_tested_on_pull_requests() -> None:
    """A job runs tests-oldest (the fast suite on the floors of pyproject.toml)."""
    ran = {s for step in steps() for s in nox_sessions(step.get("run", ""))}
    assert "tests-oldest" in ran and "tests-oldest" in noxfile_sessions()


def test_the_upgrade_canary_runs_weekly_and_only_reads() -> None:
    """canary.yml: a weekly run of the whole suite on the newest releases; it may read the
    repository and nothing else (no issue or pull request opened: a red run is the signal)."""
    data = yaml.safe_load(CANARY.read_text(encoding="utf-8"))
    triggers = data[True]
    cron = triggers["schedule"][0]["cron"].split()
    assert len(cron) == 5 and cron[2] == cron[3] == "*" and cron[4] not in ("*",)  # weekly
    assert data["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in data["jobs"].values())
    sessions = [s for job in data["jobs"].values() for step in job["steps"]
                for s in nox_sessions(step.get("run", ""))]
    assert sessions == ["tests-latest"]
    assert "tests-latest" in noxfile_sessions()
    text = CANARY.read_text(encoding="utf-8")
    assert "secrets." not in text and "github-script" not in text and "issues" not in text


# --------------------------------------------------------------------------- the job, replayed


#: The fast suite's markers, as noxfile.py's tests-fast selects them.
FAST = noxfile_constant("FAST_MARKERS")


def runner_steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    """The job's steps as the replay meets them: ``uses`` steps it knows, ``run`` steps."""
    known = ("actions/checkout@", "actions/setup-python@")
    out = []
    for step in job["steps"]:
        uses = step.get("uses", "")
        assert not uses or uses.startswith(known), f"the replay cannot run {uses}"
        out.append(step)
    return out


def checkout(clone: Path) -> None:
    """actions/checkout with fetch-depth 0: a clone with its history, plus this working tree's
    uncommitted changes (the replay tests what is here)."""
    import shutil
    import subprocess

    subprocess.run(["git", "clone", "--quiet", "--no-local", str(ROOT), str(clone)],
                   check=True, timeout=600)
    changed = subprocess.run(["git", "ls-files", "-m", "-o", "--exclude-standard", "-z"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in filter(None, changed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)


@pytest.mark.slow
def test_the_tests_job_replayed_with_ci_and_no_corpus(tmp_path: Path) -> None:
    """The workflow's tests job, step by step, here: a clone (checkout), a fresh Python with pip
    and nothing else (setup-python), every run step as written, with CI=true and no corpus
    (EDITION_CORPUS names a folder that does not exist). Only the nox step is given the fast
    markers: the whole suite is what the job runs, and this test is part of it. The job passes,
    and its summary says that the corpus tests were skipped, and why."""
    import os
    import shutil
    import subprocess
    import sys

    job = workflow()["jobs"]["tests"]
    clone, runner = tmp_path / "clone", tmp_path / "runner"
    summary, nowhere = tmp_path / "summary.md", tmp_path / "no-corpus"
    base = getattr(sys, "_base_executable", sys.executable)
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep)
            if p and ".nox" not in p and not p.startswith(str(Path(sys.executable).parent))]
    env = {key: value for key, value in os.environ.items()
           if key not in ("VIRTUAL_ENV", "PYTHONPATH", "UV", "EDITION_REQUIRE_CORPUS")}
    env.update({str(k): str(v) for k, v in (workflow().get("env") or {}).items()})
    env.update({str(k): str(v) for k, v in (job.get("env") or {}).items()})
    env.update({"CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary),
                "EDITION_CORPUS": str(nowhere),
                "PATH": os.pathsep.join([str(runner / "bin"), *path])})
    ran = []
    for step in runner_steps(job):
        uses = step.get("uses", "")
        if uses.startswith("actions/checkout@"):
            assert (step.get("with") or {}).get("fetch-depth") == 0
            checkout(clone)
        elif uses.startswith("actions/setup-python@"):
            wanted = str(step["with"]["python-version"])
            python = base if f"{sys.version_info[0]}.{sys.version_info[1]}" == wanted else (
                shutil.which(f"python{wanted}"))
            if python is None:
                pytest.skip(f"the workflow's Python {wanted} is not on this machine")
            subprocess.run([python, "-m", "venv", str(runner)], check=True)
        else:
            script = step["run"]
            if nox_sessions(script) == ["tests"]:
                script = script.replace(
                    "nox -s tests", f'nox -s tests -- -q -p no:cacheprovider -m "{FAST}"')
            result = subprocess.run(
                ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", script],
                cwd=clone, env={**env, **{k: str(v) for k, v in (step.get("env") or {}).items()}},
                capture_output=True, text=True, check=False, timeout=3600)
            assert result.returncode == 0, f"{step.get('name')}:\n{result.stdout[-6000:]}" \
                                           f"\n{result.stderr[-6000:]}"
            ran.append(step.get("name", script))
    assert len(ran) >= 3, ran  # system packages, tools, tests
    written = summary.read_text(encoding="utf-8")
    assert "extra corpus: its tests were skipped" in written
    assert f"the extra corpus is not at {nowhere}" in written
    assert not nowhere.exists()



def test_a_deprecation_met_by_the_project_fails_its_test() -> None:
    """pyproject.toml's filterwarnings: a (pending) deprecation warning attributed to a module
    of converters/ or edition/ is an error; one attributed to another package stays a warning."""
    import warnings

    modules = ("edition", "edition.citation.citable", "converters", "converters.readers.caixin")
    for module in modules:
        for category in (DeprecationWarning, PendingDeprecationWarning):
            with pytest.raises(category):
                warnings.warn_explicit("an old API", category, "x.py", 1, module=module)
    for module in ("sphinx_book_theme._transforms", "editions", "myconverters.x"):
        with pytest.warns(DeprecationWarning):
            warnings.warn_explicit("an old API", DeprecationWarning, "x.py", 1, module=module)
