"""The GitHub workflows, run as a maintainer's first deployment would run them.

The `run:` steps of `.github/workflows/pages.yml` are executed in order in a fresh copy of
the repository (tests/support/workflow.py), with the actions around them simulated:
`configure-pages` gives the base URL of a project site, a user site or a custom domain,
`actions/cache` keeps `.cache/` between runs in a folder, `upload-pages-artifact` records
what it would upload. Both workflow files are validated against GitHub's schema.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from support import REPO
from support.site import article
from support.workflow import JobRun, evaluate, run_job

from gazette.model.config import load_config

WORKFLOWS = REPO / ".github" / "workflows"
PAGES = WORKFLOWS / "pages.yml"
BUILT_FILES = ("index.html", "404.html", "feed.xml", "sitemap.xml", "robots.txt", ".nojekyll", "search/index.html",
               "pagefind/manifest.json", ".gazette-build.json")


@pytest.mark.parametrize("workflow", ["pages.yml", "test.yml"])
def test_workflows_are_valid_for_github(workflow):
    checker = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run([str(checker), "--builtin-schema", "vendor.github-workflows", str(WORKFLOWS / workflow)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_test_workflow_runs_what_ci_runs():
    import yaml

    job = yaml.safe_load((WORKFLOWS / "test.yml").read_text())["jobs"]["test"]
    assert job["container"].startswith("python:") and "bookworm" in job["container"]  # Debian's chromium
    assert [step.get("run") for step in job["steps"] if "run" in step] == [".ci/run"]


def test_expressions_compare_and_combine_like_github():
    context = {"steps": {"changes": {"outputs": {"changed": "true"}}}, "github": {"event_name": "schedule"}}
    assert evaluate("steps.changes.outputs.changed == 'true'", context) == "true"
    assert evaluate("steps.missing.outputs.changed == 'true'", context) == "false"
    assert evaluate("github.event_name != 'schedule' || steps.changes.outputs.changed == 'true'", context) == "true"
    assert evaluate("github.event_name != 'schedule' && 'x'", context) == "false"
    with pytest.raises(ValueError):
        evaluate("fromJSON(steps)", context)


# --------------------------------------------------------------------------------------------
# Running pages.yml
# --------------------------------------------------------------------------------------------


def fresh_copy(destination: Path) -> Path:
    """The repository as a fresh clone of this working tree has it: tracked and new files,
    nothing ignored (no public/, .cache/ or virtual environment)."""
    if not (REPO / ".git").exists():  # a source tree without git: leave out what .gitignore names
        ignored = shutil.ignore_patterns(".git", ".venv", "node_modules", "public", ".public.*", ".cache", "__pycache__",
                                         ".pytest_cache", ".hypothesis", "*.egg-info", "build", "dist")
        shutil.copytree(REPO, destination, ignore=ignored)
        return destination
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


@pytest.fixture(scope="module")
def runner_path(tmp_path_factory) -> str:
    """PATH for the job: a new virtual environment's `python` first, as setup-python's is.
    It sees the packages this test run has (so `pip install .` downloads nothing but its
    build tools) and gets Gazette itself from the step that installs it."""
    venv = tmp_path_factory.mktemp("runner") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    site_packages = subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                   capture_output=True, text=True, check=True).stdout.strip()
    Path(site_packages, "test-run-packages.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return f"{venv / 'bin'}:/usr/bin:/bin"


class Actions:
    """The actions pages.yml uses, played on this machine."""

    def __init__(self, base_url: str, cache_store: Path):
        self.base_url = base_url
        self.cache_store = cache_store  # what actions/cache keeps between runs
        self.uploaded: list[Path] = []

    def simulations(self) -> Mapping[str, object]:
        return {
            "actions/checkout": lambda inputs, project: {},
            "actions/setup-python": lambda inputs, project: {},
            "actions/configure-pages": self.configure_pages,
            "actions/cache/restore": self.restore_cache,
            "actions/cache/save": self.save_cache,
            "actions/upload-pages-artifact": self.upload,
        }

    def configure_pages(self, inputs, project):
        parts = urlsplit(self.base_url)
        return {"base_url": self.base_url, "origin": f"{parts.scheme}://{parts.netloc}", "host": parts.netloc,
                "base_path": parts.path}

    def restore_cache(self, inputs, project):
        assert inputs["path"] == ".cache" and inputs["key"].startswith("gazette-")
        restored = self.cache_store.is_dir()
        if restored:
            shutil.copytree(self.cache_store, project / ".cache")
        return {"cache-primary-key": inputs["key"], "cache-hit": "false", "cache-matched-key": "gazette-" if restored else ""}

    def save_cache(self, inputs, project):
        assert inputs["path"] == ".cache" and inputs["key"].startswith("gazette-")
        shutil.rmtree(self.cache_store, ignore_errors=True)
        shutil.copytree(project / ".cache", self.cache_store)
        return {}

    def upload(self, inputs, project):
        self.uploaded.append(project / inputs["path"])
        return {}


def run_pages_build(project: Path, actions: Actions, runner_path: str, event_name: str = "push") -> JobRun:
    return run_job(PAGES, "build", project, actions.simulations(), event_name=event_name, env={"PATH": runner_path})


def assert_complete_site(public: Path, base_url: str) -> None:
    for name in BUILT_FILES:
        assert (public / name).is_file(), f"{name} is missing from the built site"
    assert json.loads((public / ".gazette-build.json").read_text())["base_url"] == base_url + "/"
    assert f"<loc>{base_url}/" in (public / "sitemap.xml").read_text()


@pytest.mark.slow
@pytest.mark.parametrize("base_url", ["https://user.github.io/repo", "https://user.github.io", "https://news.example.org"],
                         ids=["project-site", "user-site", "custom-domain"])
def test_a_first_deployment_builds_checks_and_uploads_a_complete_site(tmp_path, runner_path, base_url):
    """site.toml names another base URL: the job must build and check with the one Pages gives."""
    project = fresh_copy(tmp_path / "clone")
    assert load_config(project / "site.toml").base_url != base_url + "/"
    actions = Actions(base_url, tmp_path / "actions-cache")
    job = run_pages_build(project, actions, runner_path)
    assert job.succeeded, job.log
    assert job.outputs == {"changed": "true"}
    assert actions.uploaded == [project / "public"]
    assert_complete_site(project / "public", base_url)
    assert (actions.cache_store / "gazette.sqlite").is_file()
    assert job.summary == ""  # the committed record already has every URL of the shipped site


@pytest.mark.slow
def test_an_hourly_run_deploys_only_when_the_site_changed(tmp_path, runner_path):
    base_url = "https://user.github.io/repo"
    actions = Actions(base_url, tmp_path / "actions-cache")
    pushed = fresh_copy(tmp_path / "push")
    assert run_pages_build(pushed, actions, runner_path).outputs == {"changed": "true"}

    # An idle hour: a new runner, the same commit, the cache of the last deployment.
    idle = fresh_copy(tmp_path / "idle")
    # A story still in the future is left out, so it changes nothing either.
    (idle / "content/2099").mkdir()
    (idle / "content/2099/later.md").write_text(article("Later", date="2099-01-01", topics="[AI]"))
    job = run_pages_build(idle, actions, runner_path, event_name="schedule")
    assert job.succeeded, job.log
    assert job.outputs == {"changed": "false"}
    assert "nothing to publish" in job.step("Has the site changed since the last deployment?").log
    assert not job.step("Upload the site").ran and not job.step("Save the build cache").ran
    assert actions.uploaded == [pushed / "public"]

    # An hour in which a story fell due (here: one dated in the past appears): it deploys.
    due = fresh_copy(tmp_path / "due")
    (due / "content/2026/due-now.md").write_text(article("Due Now", date="2026-01-02", topics="[AI]"))
    job = run_pages_build(due, actions, runner_path, event_name="schedule")
    assert job.outputs == {"changed": "true"} and actions.uploaded[-1] == due / "public"
    assert (due / "public/2026/01/due-now/index.html").is_file()
    # Its URL is new to the repository's record of published URLs: the summary says to commit it.
    assert "### Published URLs to commit" in job.summary and "/2026/01/due-now/" in job.summary


@pytest.mark.slow
def test_a_broken_article_fails_the_job_with_its_own_message_and_deploys_nothing(tmp_path, runner_path):
    project = fresh_copy(tmp_path / "clone")
    (project / "content/2026/broken.md").write_text("---\ntitle: Broken\ndate: someday\ntopics: [AI]\n---\nText.\n")
    actions = Actions("https://user.github.io/repo", tmp_path / "actions-cache")
    job = run_pages_build(project, actions, runner_path)
    assert not job.succeeded
    assert "content/2026/broken.md:3: 'date'" in job.step("Build").log
    assert not job.step("Upload the site").ran and actions.uploaded == []
    assert job.outputs == {"changed": ""}
    assert not (project / "public").exists()
