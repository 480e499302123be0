"""The GitHub Pages workflow: the steps a maintainer relies on are there, in order."""

from pathlib import Path

import yaml

WORKFLOW = Path(__file__).resolve().parent.parent / ".github" / "workflows" / "pages.yml"


def test_pages_workflow_builds_with_the_configured_base_url_checks_and_deploys():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    build_steps = workflow["jobs"]["build"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in build_steps]
    runs = " ".join(step.get("run", "") for step in build_steps)
    assert uses.index("actions/configure-pages") < uses.index("actions/upload-pages-artifact")
    assert "build.py build" in runs and "steps.pages.outputs.base_url" in runs
    assert "build.py check" in runs
    upload = next(step for step in build_steps if step.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "public"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
