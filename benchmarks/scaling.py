"""How indcli's cost grows: flow size, content files full of errors, a wrong source page.

Run from a checkout with indcli and its packs installed (README quickstart), plus the
optional ``bench`` extra for the plot (``pip install -e '.[bench]'``)::

    .venv/bin/python benchmarks/scaling.py            # --pairs N, --plot FILE, --quick

Every process-level figure is a ratio of two medians measured alternately in the same
run, so the noise of a shared machine mostly cancels. The synthetic packs are installed
as distributions (dist-info folder, entry point, module, content file) in a temporary
folder on PYTHONPATH, and INDCLI_LOAD_PLUGINS pins what loads.

- Flows: a pack adds ``q`` questions with ``c`` choices and ``r`` advice rules (each
  tests two of them) to the shipped partner-permit flow. A route with those answers
  missing (exit 2, naming them: relevant questions are computed) is compared with a
  plain route with every answer given; in process, the time of the first relevant
  questions (diagrams built) and of a later one is shown too. Targets (issue 19): at most
  3x for 8 and 24 extra questions with 200 rules.
- Content size: ``route --help`` with a pack whose content file (10 KB to 500 KB) is full
  of errors, against a plain ``route --help``. Target: 50 KB at most 5x.
- ``check --source-file`` against a wrong 19 KB page and a random 20 KB one: within 5 s.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHIPPED = {
    "eu-long-term-resident": "no", "temporary-permit": "no", "public-funds": "no",
    "prefer": "online", "dutch-bank": "yes", "digid": "sms", "partner-permit": "no",
    "partner-abroad": "no",
}  # fmt: skip
LOAD = "indcli-partner-permit,indcli-berichtenbox,indcli-public-funds"
CITE = '{ source = "s", quote = "A sentence.", checked = 2026-11-28 }'
SOURCE = '[[sources]]\nid = "s"\nurl = "https://example.org/page"\ntitle = "Example page"\n'
FLOW_SHAPES = [  # (extra questions, advice rules, choices)
    (8, 25, 2), (8, 200, 2), (16, 200, 2), (24, 25, 2), (24, 200, 2), (32, 200, 2),
    (2, 2, 20), (8, 100, 5), (16, 100, 10),
]  # fmt: skip
CONTENT_KB = [10, 50, 100, 500]


def flow_pack(questions: int, rules: int, choices: int) -> str:
    ids = ["yes", "no"] if choices == 2 else [f"c{i}" for i in range(choices)]
    listed = ", ".join(f'{{ id = "{c}", label = "{c}" }}' for c in ids)
    out = [SOURCE, '[[flows]]\nid = "partner-permit"\nextends = "indcli-partner-permit"\n']
    for i in range(questions):
        out.append(
            f'[[flows.questions]]\nid = "extra-{i}"\norder = 90\nprompt = "Extra {i}?"\n'
            f'help = "An extra question."\nchoices = [{listed}]\nsource = {CITE}\n'
        )
    for i in range(rules):
        a, b = i % questions, (i * 7 + 1) % questions
        tests = f'{{ question = "extra-{a}", is = "{ids[0]}" }}'
        if b != a:
            tests += f', {{ question = "extra-{b}", is = "{ids[-1]}" }}'
        out.append(
            f'[[flows.rules]]\nid = "extra-advice-{i}"\nwhen = {{ all = [{tests}] }}\n'
            f'advice = "warning"\ntext = "Extra advice {i}."\nsource = {CITE}\n'
        )
    return "\n".join(out)


def broken_content(size: int) -> str:
    """About ``size`` bytes of content with several errors per topic."""
    out, n = [SOURCE], 0
    while sum(map(len, out)) < size:
        out.append(
            f'\n[[topics]]\nid = "topic-{n}"\ntitel = "A misspelt field"\nsummary = 3\n'
            f'source = {{ source = "nope", quote = "Q.", checked = 2026-11-28 }}\n'
            f'body = [{{ text = "Body.", source = {CITE}, extra = 1 }}]\n'
        )
        n += 1
    return "".join(out)


def install(site: Path, name: str, content: str) -> str:
    module = name.replace("-", "_")
    (site / module).mkdir(parents=True)
    (site / module / "__init__.py").write_text(
        "import os\nfrom indcli import hookimpl\n\n\n@hookimpl\ndef indcli_content():\n"
        "    return os.path.join(os.path.dirname(__file__), 'content.toml')\n"
    )
    (site / module / "content.toml").write_text(content, encoding="utf-8")
    meta = site / f"{module}-1.0.dist-info"
    meta.mkdir()
    (meta / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (meta / "entry_points.txt").write_text(f"[indcli]\npack = {module}\n")
    return name


def run_once(cmd: list[str], env: dict[str, str], codes: tuple[int, ...] = (0,)) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)  # fmt: skip
    elapsed = time.perf_counter() - start
    if proc.returncode not in codes:
        sys.exit(f"unexpected exit {proc.returncode}: {' '.join(cmd)}\n{proc.stderr[:500]!r}")
    return elapsed


def alternate(a, b, env, pairs, codes_b=(0,)) -> tuple[float, float]:
    for _ in range(2):  # warm-up: pyc files, the content cache
        run_once(a, env)
        run_once(b, env, codes_b)
    times_a, times_b = [], []
    for _ in range(pairs):
        times_a.append(run_once(a, env))
        times_b.append(run_once(b, env, codes_b))
    return statistics.median(times_a), statistics.median(times_b)


def flags(answers: dict[str, str]) -> list[str]:
    return [x for q, v in answers.items() for x in (f"--{q}", v)]


def in_process(content: str, work: Path) -> tuple[float, float]:
    """Milliseconds of the first relevant-questions call (diagrams built) and a later one."""
    from indcli.packs.loading import PackSource
    from indcli.routing import engine
    from indcli.testing import make_app

    path = work / f"inproc-{time.monotonic_ns()}.toml"
    path.write_text(content, encoding="utf-8")
    from types import ModuleType

    import indcli_partner_permit

    from indcli import hookimpl

    module = ModuleType("indcli_scale_inproc")
    module.indcli_content = hookimpl(lambda: path)
    app = make_app(indcli_partner_permit, PackSource("indcli-scale", "1", lambda: module))
    flow = app.load_catalog().flow("partner-permit")
    firsts, laters = [], []
    for _ in range(3):  # the best of three: a garbage collection is not the algorithm
        flow.cache.clear()
        gc.collect()
        start = time.perf_counter()
        engine.relevant_questions(flow, {"eu-long-term-resident": "no"})
        firsts.append(time.perf_counter() - start)
        start = time.perf_counter()
        engine.relevant_questions(flow, {"eu-long-term-resident": "no", "temporary-permit": "no"})
        laters.append(time.perf_counter() - start)
    return min(firsts) * 1000, min(laters) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=7, help="alternating pairs per figure")
    parser.add_argument("--plot", default=str(Path(__file__).with_name("scaling.png")))
    parser.add_argument("--quick", action="store_true", help="fewer shapes and sizes")
    args = parser.parse_args()
    indcli = [str(Path(sys.executable).with_name("indcli"))]
    shapes = FLOW_SHAPES[:3] if args.quick else FLOW_SHAPES
    sizes = CONTENT_KB[:2] if args.quick else CONTENT_KB
    work = Path(tempfile.mkdtemp(prefix="indcli-scaling-"))
    ok = True
    rows = []
    try:
        site = work / "site"
        site.mkdir()
        base_env = {k: v for k, v in os.environ.items() if not k.startswith(("INDCLI_", "PYTHON"))}
        base_env |= {"INDCLI_CACHE_DIR": str(work / "cache"), "PYTHONPATH": str(site)}
        print(f"Python {sys.version.split()[0]} on {os.cpu_count()} cores; {args.pairs} pairs")
        print("\nflows: the shipped flow plus q questions with c choices and r advice rules")
        print(f"{'q':>3} {'r':>4} {'c':>3} {'plain':>9} {'missing':>9} {'ratio':>6}"
              f" {'first':>9} {'later':>9}  target")  # fmt: skip
        for q, r, c in shapes:
            name = install(site, f"indcli-scale-{q}-{r}-{c}", flow_pack(q, r, c))
            env = {**base_env, "INDCLI_LOAD_PLUGINS": f"indcli-partner-permit,{name}"}
            extra_ids = ["yes", "no"] if c == 2 else [f"c{i}" for i in range(c)]
            every = {**SHIPPED, **{f"extra-{i}": extra_ids[0] for i in range(q)}}
            plain = [*indcli, "route", "--no-input", "--format", "json", *flags(every)]
            missing = [*indcli, "route", "--no-input", "--format", "json",
                       "--eu-long-term-resident", "no"]  # fmt: skip
            t_plain, t_missing = alternate(plain, missing, env, args.pairs, codes_b=(2,))
            first, later = in_process(flow_pack(q, r, c), work)
            ratio = t_missing / t_plain
            target = ""
            if r == 200 and q in (8, 24):
                target = "<= 3x " + ("ok" if ratio <= 3 else "MISSED")
                ok &= ratio <= 3
            rows.append((q, r, c, t_plain, t_missing, first, later))
            print(f"{q:3} {r:4} {c:3} {t_plain * 1000:7.1f}ms {t_missing * 1000:7.1f}ms "
                  f"{ratio:5.2f}x {first:7.2f}ms {later:7.2f}ms  {target}")  # fmt: skip

        print("\ncontent files full of errors: route --help with the pack vs without")
        plain_env = {**base_env, "INDCLI_LOAD_PLUGINS": LOAD}
        for kb in sizes:
            name = install(site, f"indcli-broken-{kb}", broken_content(kb * 1000))
            env = {**base_env, "INDCLI_LOAD_PLUGINS": f"{LOAD},{name}"}
            help_cmd = [*indcli, "route", "--help"]
            times_a, times_b = [], []
            for _ in range(args.pairs):
                times_a.append(run_once(help_cmd, plain_env))
                times_b.append(run_once(help_cmd, env))
            a, b = statistics.median(times_a), statistics.median(times_b)
            target = ""
            if kb == 50:
                target = "<= 5x " + ("ok" if b / a <= 5 else "MISSED")
                ok &= b / a <= 5
            print(f"{kb:4} KB  {a * 1000:7.1f}ms {b * 1000:7.1f}ms {b / a:5.2f}x  {target}")

        print("\ncheck --source-file against a page that is not the cited one")
        env = {**base_env, "INDCLI_LOAD_PLUGINS": LOAD}
        rng = random.Random(3)
        words = [
            "apply",
            "permit",
            "partner",
            "form",
            "online",
            "paper",
            "residence",
            "the",
            "of",
            "a",
            "to",
            "is",
        ]
        pages = {
            "wrong 19 KB page": " ".join(
                f"{rng.choice(words).capitalize()} {' '.join(rng.choices(words, k=12))}."
                for _ in range(400)
            )[:19_000],
            "random 20 KB page": "".join(rng.choice("abcdefghij klmnop.\n") for _ in range(20_000)),
        }
        for label, text in pages.items():
            page = work / "page.txt"
            page.write_text(text, encoding="utf-8")
            cmd = [*indcli, "check", "--source-file", f"ind-partner-forms={page}"]
            elapsed = statistics.median(run_once(cmd, env, (1,)) for _ in range(3))
            ok &= elapsed <= 5
            print(f"{label:22} {elapsed:6.2f}s  <= 5 s {'ok' if elapsed <= 5 else 'MISSED'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    plot(rows, args.plot)
    print("\nall targets met" if ok else "\nsome targets MISSED")
    return 0 if ok else 1


def plot(rows: list[tuple], path: str) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("\n(no plot: pip install -e '.[bench]' for matplotlib)")
        return
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for r in sorted({row[1] for row in rows}):
        chosen = sorted((row for row in rows if row[1] == r and row[2] == 2), key=lambda x: x[0])
        if chosen:
            qs = [row[0] for row in chosen]
            left.plot(qs, [row[4] / row[3] for row in chosen], "o-", label=f"{r} rules")
            right.plot(qs, [row[5] for row in chosen], "o-", label=f"{r} rules, first")
            right.plot(qs, [row[6] for row in chosen], "x--", label=f"{r} rules, later")
    left.axhline(3, color="grey", linestyle=":", label="target 3x")
    left.set(xlabel="extra yes/no questions", ylabel="route with answers missing / plain route",
             title="indcli route (processes)", ylim=(0, None))  # fmt: skip
    right.set(xlabel="extra yes/no questions", ylabel="ms", yscale="log",
              title="relevant questions (in process)")  # fmt: skip
    left.legend()
    right.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    print(f"\nplot: {path}")


if __name__ == "__main__":
    sys.exit(main())
