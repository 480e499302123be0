"""The memory `gazette serve` holds (Linux): resident megabytes once its first build is done,
and the peak while it rebuilds after saves, with the fast render (which keeps the last
complete build in memory, and holds it beside the one being built) and without.

    python bench/serve_memory.py PROJECT [--saves 3] [--window 5]

PROJECT is a built project folder (bench/run.py or bench/make_corpus.py makes one). An article
gets a line appended per save; it is restored at the end.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from edit_latency import free_port, save_atomically, wait_until

GAZETTE = [sys.executable, str(Path(__file__).resolve().parent.parent / "build.py")]
SAMPLE_SECONDS = 0.02


def resident_mb(pid: int) -> int:
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * 4096 // 2**20


def measure(project: Path, victim: Path, saves: int, flags: list[str], window: float) -> tuple[int, list[int]]:
    import subprocess

    port = free_port()
    url = f"http://127.0.0.1:{port}/__gazette__/status"
    original = victim.read_text(encoding="utf-8")
    server = subprocess.Popen([*GAZETTE, "serve", "--port", str(port), *flags], cwd=project,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(url, "generation", 1800, server)
        time.sleep(2)
        idle = resident_mb(server.pid)
        peaks = []
        for save in range(saves):
            save_atomically(victim, original + f"\nA line saved for memory {save} {time.time_ns()}.\n")
            peak, started = 0, time.monotonic()
            while time.monotonic() - started < window:  # long enough for the complete build
                peak = max(peak, resident_mb(server.pid))
                time.sleep(SAMPLE_SECONDS)
            peaks.append(peak)
        return idle, peaks
    finally:
        server.terminate()
        server.wait()
        save_atomically(victim, original)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", type=Path)
    parser.add_argument("--saves", type=int, default=3)
    parser.add_argument("--window", type=float, default=5.0, help="seconds sampled after each save (> a complete build)")
    args = parser.parse_args()
    project = args.project.resolve()
    victim = sorted((project / "content").rglob("*.md"))[0]
    for label, flags in (("fast render", []), ("--no-fast-render", ["--no-fast-render"])):
        idle, peaks = measure(project, victim, args.saves, flags, args.window)
        print(f"{label}: {idle} MB after the first build; peaks while rebuilding after saves: "
              f"{', '.join(map(str, peaks))} MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
