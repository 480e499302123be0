"""The build's stages, timed: `build --timings` says where the seconds went."""

import subprocess
import sys
import time

from support import REPO
from support.site import SiteDir, article

from gazette.build.stages import StageClock, timing_table


def test_a_stage_inside_another_is_charged_to_itself_only():
    clock = StageClock()
    started = time.perf_counter()
    with clock.stage("outer"):
        time.sleep(0.02)
        with clock.stage("inner"):
            time.sleep(0.05)
    with clock.stage("outer"):  # a stage that runs again adds up
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    timings = dict(clock.timings())
    assert list(timings) == ["outer", "inner"]
    assert timings["inner"] >= 0.05 and timings["outer"] >= 0.04
    assert abs(timings["outer"] + timings["inner"] - elapsed) < 0.01  # the inner stage is not counted twice
    [outer_line, inner_line] = timing_table(clock.timings())
    assert outer_line.split()[0] == "outer" and inner_line.split()[0] == "inner"


def test_build_timings_name_every_stage_of_a_build_and_of_a_rebuild_after_no_change(tmp_path):
    site = SiteDir(tmp_path / "site")
    site.add("2021/a.md", article("A", body="Words."))

    def timings():
        result = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--timings"], cwd=site.root,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        summary_at = next(i for i, line in enumerate(result.stdout.splitlines()) if line.startswith("built "))
        return [line.split()[0] for line in result.stdout.splitlines()[summary_at + 1:]]

    stages = timings()
    for stage in ("look", "read", "render", "plan", "fingerprint", "search", "measure"):
        assert any(name == stage for name in stages), (stage, stages)
    assert timings() == ["look"]  # nothing changed: the first stage is the whole build
