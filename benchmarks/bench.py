"""indcli's performance targets, measured against ``python -c "import click"``.

Run from a checkout with indcli and its packs installed (the README quickstart does that):

    .venv/bin/python benchmarks/bench.py

Each measured command alternates with the baseline in the same run (after a warm-up that
also fills the validated-content cache), and the medians and their ratio are compared
with the targets from docs/performance.md. The extra-packs case generates 200 small
synthetic packs, installed as distributions (dist-info folder, entry point, module,
content file) in a temporary folder put on PYTHONPATH. Batch routing is compared with a
plain Python loop that only parses and re-dumps each line. The first interactive question
is timed on a pseudo-terminal (until its words appear) against
``python -c "import questionary"``. Exit status 1 if a target is missed. Only the
standard library and the installed indcli are used.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROUTE_FLAGS = [
    "route", "--eu-long-term-resident", "no", "--temporary-permit", "no",
    "--public-funds", "no", "--prefer", "online", "--dutch-bank", "yes", "--digid", "sms",
    "--partner-permit", "no", "--partner-abroad", "no", "--format", "json",
]  # fmt: skip
BASELINE_LOOP = (
    "import json, sys\n"
    "out = sys.stdout\n"
    "for line in open(sys.argv[1], encoding='utf-8'):\n"
    "    out.write(json.dumps(json.loads(line)) + '\\n')\n"
)
PACK_MODULE = """import os
from indcli import hookimpl

@hookimpl
def indcli_content():
    return os.path.join(os.path.dirname(__file__), "content.toml")
"""
PACK_CONTENT = """format = 1
[[sources]]
id = "bench"
url = "https://example.org/benchmark"
title = "Synthetic benchmark pack"

[[topics]]
id = "bench-topic-{n}"
title = "Benchmark topic {n}"
summary = "A synthetic topic that only exists to measure start-up cost."
source = {{ source = "bench", quote = "Synthetic.", checked = 2026-11-28 }}

[[topics.body]]
text = "Synthetic body."
source = {{ source = "bench", quote = "Synthetic.", checked = 2026-11-28 }}
"""


def indcli_command() -> list[str]:
    script = Path(sys.executable).with_name("indcli")
    if not script.exists():
        sys.exit(f"no indcli next to {sys.executable}; install indcli and its packs first")
    return [str(script)]


def run_once(cmd: list[str], env: dict[str, str], stdin: str | None = None) -> tuple[float, int]:
    """Wall time (s) and peak RSS (KiB) of one run of ``cmd``."""
    start = time.perf_counter()
    stdin_file = open(stdin, "rb") if stdin else subprocess.DEVNULL  # noqa: SIM115
    try:
        proc = subprocess.Popen(cmd, env=env, stdin=stdin_file, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        if stdin:
            stdin_file.close()
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0,):
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    proc.stderr.close()
    return elapsed, usage.ru_maxrss


def alternate(a: list[str], b: list[str], env_a, env_b, pairs: int) -> tuple[float, float, int]:
    """Median wall time of a and b, run alternately; peak RSS of b."""
    for _ in range(3):  # warm-up: page cache, pyc files, content cache
        run_once(a, env_a)
        run_once(b, env_b)
    times_a, times_b, rss = [], [], 0
    for _ in range(pairs):
        times_a.append(run_once(a, env_a)[0])
        elapsed, peak = run_once(b, env_b)
        times_b.append(elapsed)
        rss = max(rss, peak)
    return statistics.median(times_a), statistics.median(times_b), rss


FIRST_QUESTION = b"long-term resident"  # words of the first question of indcli route


def first_question(cmd: list[str], env: dict[str, str]) -> float:
    """Seconds until ``cmd``, on a pseudo-terminal, shows the first question; it is then
    killed and reaped."""
    import pty
    import select
    import signal

    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command on the terminal
        os.execve(cmd[0], cmd, {**env, "TERM": "xterm", "COLUMNS": "100", "LINES": "40"})
    seen = b""
    try:
        while FIRST_QUESTION not in seen:
            ready, _, _ = select.select([fd], [], [], 30)
            if not ready:
                sys.exit(f"no first question after 30 s: {' '.join(cmd)}\n{seen[-500:]!r}")
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child ended
                sys.exit(f"no first question: {' '.join(cmd)}\n{seen[-500:]!r}")
            seen += chunk
        return time.perf_counter() - start
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def alternate_first_question(env: dict[str, str], indcli: list[str], pairs: int):
    """Median seconds to ``python -c "import questionary"`` and to the first question."""
    baseline = [sys.executable, "-c", "import questionary"]
    cmd = [*indcli, "route"]
    for _ in range(2):
        run_once(baseline, env)
        first_question(cmd, env)
    base, value = [], []
    for _ in range(pairs):
        base.append(run_once(baseline, env)[0])
        value.append(first_question(cmd, env))
    return statistics.median(base), statistics.median(value)


def make_packs(folder: Path, count: int) -> None:
    for n in range(count):
        module = f"indcli_bench_pack_{n:03d}"
        (folder / module).mkdir(parents=True)
        (folder / module / "__init__.py").write_text(PACK_MODULE)
        (folder / module / "content.toml").write_text(PACK_CONTENT.format(n=n))
        meta = folder / f"{module}-1.0.dist-info"
        meta.mkdir()
        (meta / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: indcli-bench-pack-{n:03d}\nVersion: 1.0\n"
        )
        (meta / "entry_points.txt").write_text(f"[indcli]\nbench = {module}\n")


def questions() -> dict[str, list[str]]:
    """Question id -> choice ids of the installed partner-permit flow."""
    from indcli import api

    flow = api.load().load_catalog().flow("partner-permit")
    return {q.id: list(q.choice_ids) for q in flow.questions}


def make_cases(path: Path, count: int, bad_line: int | None) -> None:
    rng = random.Random(7)
    choices = questions()
    with path.open("w", encoding="utf-8") as handle:
        for n in range(1, count + 1):
            if n == bad_line:
                handle.write('{"digid": "maybe"\n')
                continue
            case = {q: rng.choice(v) for q, v in choices.items()}
            handle.write(json.dumps(case) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=21, help="alternating pairs per command")
    parser.add_argument("--packs", type=int, default=200, help="synthetic packs to add")
    parser.add_argument("--cases", type=int, default=100_000, help="cases for --batch")
    args = parser.parse_args()

    indcli = indcli_command()
    work = Path(tempfile.mkdtemp(prefix="indcli-bench-"))
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("INDCLI_", "PYTHON"))}
        env["INDCLI_CACHE_DIR"] = str(work / "cache")
        baseline = [sys.executable, "-c", "import click"]
        complete_env = {**env, "_INDCLI_COMPLETE": "bash_complete",
                        "COMP_WORDS": "indcli route --", "COMP_CWORD": "2"}  # fmt: skip
        make_packs(work / "site", args.packs)
        packs_env = {**env, "PYTHONPATH": str(work / "site")}

        results = []

        def measure(label, cmd, cmd_env, target):
            base, value, rss = alternate(baseline, cmd, env, cmd_env, args.pairs)
            results.append((label, base, value, value / base, target, rss))
            return base, value, rss

        measure("route ... --format json", [*indcli, *ROUTE_FLAGS], env, 1.6)
        measure("--help", [*indcli, "--help"], env, 1.6)
        measure("explain public-funds --format json",
                [*indcli, "explain", "public-funds", "--format", "json"], env, None)  # fmt: skip
        measure("completion of 'route --'", indcli, complete_env, 2.5)
        measure(f"route ... with {args.packs} extra packs", [*indcli, *ROUTE_FLAGS],
                packs_env, None)  # fmt: skip
        base_q, first_q = alternate_first_question(env, indcli, args.pairs)
        plain, with_packs, _ = alternate(
            [*indcli, *ROUTE_FLAGS], [*indcli, *ROUTE_FLAGS], env, packs_env, args.pairs
        )
        per_pack_ms = (with_packs - plain) / args.packs * 1000
        route_rss_kib = results[0][5]

        cases = work / "cases.jsonl"
        make_cases(cases, args.cases, bad_line=args.cases // 2)
        clean = work / "clean.jsonl"
        make_cases(clean, args.cases, bad_line=None)
        loop_times, batch_times = [], []
        batch_cmd = [*indcli, "route", "--batch", str(clean)]
        loop_cmd = [sys.executable, "-c", BASELINE_LOOP, str(clean)]
        for _ in range(3):
            loop_times.append(run_once(loop_cmd, env)[0])
            batch_times.append(run_once(batch_cmd, env)[0])
        loop_s, batch_s = statistics.median(loop_times), statistics.median(batch_times)
        small = work / "small.jsonl"
        make_cases(small, args.cases // 10, bad_line=None)
        rss_small = run_once([*indcli, "route", "--batch", str(small)], env)[1]
        rss_large = run_once(batch_cmd, env)[1]
        bad = subprocess.run([*indcli, "route", "--batch", str(cases)], env=env,
                             capture_output=True, text=True, check=False)  # fmt: skip
        lines = bad.stdout.splitlines()
        errors = [json.loads(line) for line in lines if '"error"' in line]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    ok = True
    print(f"Python {sys.version.split()[0]} on {os.cpu_count()} cores; {args.pairs} pairs each;")
    print("baseline: python -c 'import click' (median, same run)\n")
    print(f"{'command':42} {'baseline':>9} {'indcli':>9} {'ratio':>6}  target")
    for label, base, value, ratio, target, _ in results:
        verdict = "" if target is None else ("ok" if ratio <= target else "MISSED")
        ok &= verdict != "MISSED"
        goal = f"<= {target}x {verdict}" if target else ""
        print(f"{label:42} {base * 1000:7.1f}ms {value * 1000:7.1f}ms {ratio:5.2f}x  {goal}")
    print(f"{'first question vs import questionary':42} {base_q * 1000:7.1f}ms "
          f"{first_q * 1000:7.1f}ms {first_q / base_q:5.2f}x  <= 1.25x "
          f"{'ok' if first_q / base_q <= 1.25 else 'MISSED'}")  # fmt: skip
    ok &= first_q / base_q <= 1.25
    checks = [
        (f"each extra pack adds (ms, {args.packs} packs)", per_pack_ms, 0.5, "ms"),
        ("peak memory of scripted route (MiB)", route_rss_kib / 1024, 35, "MiB"),
        ("batch throughput (cases/s)", args.cases / batch_s, 90_000, ">="),
        ("batch time / parse-and-dump loop", batch_s / loop_s, 3, "x"),
    ]
    print()
    for label, value, target, unit in checks:
        good = value >= target if unit == ">=" else value <= target
        ok &= good
        goal = f">= {target}" if unit == ">=" else f"<= {target}"
        print(f"{label:42} {value:12,.2f}  {goal} {'ok' if good else 'MISSED'}")
    print(f"{'batch memory, 10% vs 100% of the cases':42} {rss_small / 1024:6.1f} vs "
          f"{rss_large / 1024:.1f} MiB (flat when streaming)")  # fmt: skip
    bad_ok = bad.returncode == 1 and len(lines) == args.cases and len(errors) == 1
    ok &= bad_ok
    print(f"{'batch with one bad line in the middle':42} exit {bad.returncode}, "
          f"{len(lines):,} results, errors on line(s) {[e['line'] for e in errors]} "
          f"{'ok' if bad_ok else 'MISSED'}")  # fmt: skip
    print("\nall targets met" if ok else "\nsome targets MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
