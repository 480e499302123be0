"""Run a GitHub Actions job's steps on this machine, as the runner would.

Each `run:` step is executed with bash (`-eo pipefail`, as GitHub's default shell) in the
project folder, after its `${{ ... }}` expressions are filled in; `if:` conditions are
evaluated; what a step writes to `$GITHUB_OUTPUT` becomes `steps.<id>.outputs`. A `uses:`
step is played by a `Simulation` given by the test (for example the outputs of
`actions/configure-pages`); an action the test did not simulate fails the run, so a step
added to the workflow cannot go untested. Only the small part of GitHub's expression
language the workflows use is understood: context lookups, 'strings', ==, != (binding
tighter), && and || (left to right), and hashFiles().
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# An action's simulation: (its `with:` inputs, the project folder) -> its outputs.
Simulation = Callable[[Mapping[str, str], Path], Mapping[str, str]]


@dataclass
class StepResult:
    name: str
    ran: bool
    returncode: int = 0
    log: str = ""


@dataclass
class JobRun:
    steps: list[StepResult] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)  # the job's `outputs:`
    summary: str = ""  # what the steps wrote to $GITHUB_STEP_SUMMARY

    @property
    def succeeded(self) -> bool:
        return all(step.returncode == 0 for step in self.steps)

    def step(self, name: str) -> StepResult:
        return next(step for step in self.steps if step.name == name)

    @property
    def log(self) -> str:
        return "\n".join(f"## {step.name}\n{step.log}" for step in self.steps if step.ran)


_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)
_TOKEN = re.compile(r"\s*(?:(==|!=|&&|\|\|)|'((?:[^']|'')*)'|([A-Za-z_][\w.-]*))")


def evaluate(expression: str, context: Mapping[str, object]) -> str:
    """The value of an expression, as text (GitHub's `true`/`false` for comparisons)."""
    tokens: list[tuple[str, str]] = []
    position = 0
    expression = expression.strip()
    while position < len(expression):
        match = _TOKEN.match(expression, position)
        if not match or match.end() == position:
            raise ValueError(f"cannot evaluate {expression!r} at {expression[position:]!r}")
        operator, literal, name = match.groups()
        if operator:
            tokens.append(("op", operator))
        elif literal is not None:
            tokens.append(("value", literal.replace("''", "'")))
        else:
            tokens.append(("value", _lookup(name, context)))
        position = match.end()

    def value_at(index: int) -> str:
        kind, text = tokens[index]
        if kind != "value":
            raise ValueError(f"cannot evaluate {expression!r}")
        return text

    # Comparisons bind tighter than && and ||; the workflows need nothing deeper.
    values: list[str] = [value_at(0)]
    operators: list[str] = []
    index = 1
    while index < len(tokens):
        operator = tokens[index][1]
        right = value_at(index + 1)
        if operator in ("==", "!="):
            equal = values[-1] == right
            values[-1] = "true" if equal == (operator == "==") else "false"
        else:
            operators.append(operator)
            values.append(right)
        index += 2
    result = values[0]
    for operator, right in zip(operators, values[1:]):
        truthy = result not in ("", "false", "0")
        if operator == "&&":
            result = right if truthy else result
        else:
            result = result if truthy else right
    return result


def _lookup(name: str, context: Mapping[str, object]) -> str:
    if name in ("true", "false"):
        return name
    top, *path = name.split(".")
    if top not in context:
        raise ValueError(f"{name}: {top!r} is not a context the simulation knows")
    value: object = context[top]
    for part in path:
        # As on GitHub, a property that is not there is null, which reads as ''.
        value = value.get(part, "") if isinstance(value, Mapping) else ""
    if isinstance(value, Mapping):
        raise ValueError(f"{name}: is an object, not a value")
    return str(value)


_HASH_FILES = re.compile(r"hashFiles\(([^)]*)\)")


def hash_files(patterns: list[str], workspace: Path) -> str:
    """GitHub's hashFiles(): a SHA-256 over the SHA-256 of every matching file, in path order."""
    paths: set[Path] = set()
    for pattern in patterns:
        # GitHub's `dir/**` means every file below dir; pathlib's would mean only folders.
        found = (workspace / pattern[:-3]).rglob("*") if pattern.endswith("/**") else workspace.glob(pattern)
        paths.update(path for path in found if path.is_file())
    if not paths:
        return ""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def substitute(text: str, context: Mapping[str, object], workspace: Path | None = None) -> str:
    def fill(match: re.Match) -> str:
        expression = match.group(1)
        if workspace is not None:
            expression = _HASH_FILES.sub(
                lambda call: "'" + hash_files(re.findall(r"'([^']*)'", call.group(1)), workspace) + "'", expression)
        return evaluate(expression, context)

    return _EXPRESSION.sub(fill, text)


def run_job(
    workflow: Path,
    job: str,
    project: Path,
    simulations: Mapping[str, Simulation],
    event_name: str = "push",
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
) -> JobRun:
    """Run one job of `workflow` in `project`; stops at the first failing step, as GitHub does."""
    spec = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"][job]
    steps_context: dict[str, dict[str, dict[str, str]]] = {}
    context = {"github": {"event_name": event_name, "run_id": "1"}, "steps": steps_context}
    result = JobRun()
    failed = False
    for number, step in enumerate(spec["steps"], start=1):
        name = step.get("name") or step.get("uses") or f"step {number}"
        condition = step.get("if")
        if failed or (condition is not None and evaluate(condition, context) in ("", "false")):
            result.steps.append(StepResult(name, ran=False))
            continue
        if "uses" in step:
            action = step["uses"].split("@")[0]
            if action not in simulations:
                raise AssertionError(f"step {name!r} uses {action}, which the test does not simulate")
            inputs = {key: substitute(str(value), context, project) for key, value in (step.get("with") or {}).items()}
            outputs = dict(simulations[action](inputs, project))
            result.steps.append(StepResult(name, ran=True, log=f"simulated {action} -> {outputs}"))
        else:
            script = substitute(step["run"], context, project)
            outputs, returncode, log = _run_script(script, project, event_name, env, timeout)
            result.steps.append(StepResult(name, ran=True, returncode=returncode, log=log))
            failed = returncode != 0
        if "id" in step:
            steps_context[step["id"]] = {"outputs": outputs}
    result.outputs = {key: substitute(str(value), context) for key, value in (spec.get("outputs") or {}).items()}
    summary = summary_file(project)
    result.summary = summary.read_text() if summary.exists() else ""
    return result


def summary_file(project: Path) -> Path:
    return project.parent / f".{project.name}.step-summary.md"


def _run_script(
    script: str, project: Path, event_name: str, env: Mapping[str, str] | None, timeout: float
) -> tuple[dict[str, str], int, str]:
    output_file = project.parent / f".{project.name}.github-output"
    output_file.write_text("")
    runner_temp = project.parent / f".{project.name}.runner-temp"  # one per job, as on a runner
    runner_temp.mkdir(exist_ok=True)
    completed = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=project, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {}), "GITHUB_OUTPUT": str(output_file), "GITHUB_EVENT_NAME": event_name, "CI": "true",
             "RUNNER_TEMP": str(runner_temp), "GITHUB_STEP_SUMMARY": str(summary_file(project))},
    )
    outputs = dict(line.split("=", 1) for line in output_file.read_text().splitlines() if "=" in line)
    output_file.unlink()
    return outputs, completed.returncode, completed.stdout + completed.stderr
