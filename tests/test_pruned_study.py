"""``benchmarks/pruned_study.py``: Optuna studies under ``MedianPruner`` that train a network
epoch by epoch. Checks the machinery end to end (studies, pruned trials, report, plot) and the
epoch budget's accounting; the numbers live in its report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "pruned_study.py"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=300,
        check=False,
    )  # fmt: skip


def _printed_by(snippet: str) -> Any:
    """The JSON that ``python -c snippet`` prints, run beside the script (``Infinity`` and
    ``NaN`` as Python's json reads them)."""
    proc = subprocess.run(
        [sys.executable, "-c", snippet], capture_output=True, text=True, timeout=120,
        check=False, cwd=SCRIPT.parent,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_studies_run_under_the_pruner_and_are_reported(tmp_path: Path) -> None:
    proc = _run("--samplers", "lanas", "random", "--seeds", "1", "--trials", "14",
                "--epochs", "4", "--out", str(tmp_path))  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    rows = [json.loads(line) for line in (tmp_path / "rows.jsonl").read_text().splitlines()]
    assert sorted(r["sampler"] for r in rows) == ["lanas", "random"]
    for row in rows:
        assert len(row["states"]) == len(row["values"]) == len(row["epochs_trained"]) == 14
        for state, value, spent in zip(
            row["states"], row["values"], row["epochs_trained"], strict=True
        ):
            if state == "COMPLETE":
                assert spent == 4 and value is not None and value > 0
            else:  # pruned from the third epoch on (n_warmup_steps=2), never earlier
                assert state == "PRUNED" and spent in (3, 4) and value is None
    # The five startup trials are never pruned; some of the others are (roughly half of
    # random configurations train worse than the median).
    assert all(s == "COMPLETE" for row in rows for s in row["states"][:5])
    assert any(s == "PRUNED" for row in rows for s in row["states"])
    report = (tmp_path / "RESULTS.md").read_text()
    assert "| lanas | " in report and "| rank random | " in report and "56 epochs" in report
    assert (tmp_path / "curves.png").stat().st_size > 0
    # The report is rewritten from the rows alone.
    (tmp_path / "RESULTS.md").unlink()
    again = _run("--report-only", "--out", str(tmp_path))
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "RESULTS.md").read_text() == report


def test_without_a_pruner_every_trial_trains_to_the_end(tmp_path: Path) -> None:
    proc = _run("--samplers", "random", "--seeds", "1", "--trials", "8", "--epochs", "3",
                "--pruner", "none", "--out", str(tmp_path))  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    (row,) = [json.loads(line) for line in (tmp_path / "rows.jsonl").read_text().splitlines()]
    assert row["states"] == ["COMPLETE"] * 8 and row["epochs_trained"] == [3] * 8
    assert len({json.dumps(p, sort_keys=True) for p in row["params"]}) == 8
    assert "# Samplers without a pruner" in (tmp_path / "RESULTS.md").read_text()


def test_a_training_that_fails_is_a_failed_trial_not_a_crash() -> None:
    snippet = (
        "import json, pruned_study as p\n"
        "def trainer(epochs):\n"
        "    def train(trial, params, progress):\n"
        "        progress['epochs'] = 1\n"
        "        raise ValueError('Solver produced non-finite parameter weights')\n"
        "    return train\n"
        "p.trainer = trainer\n"
        "row = p.run_study('lanas', 0, 3, 4, 'median')\n"
        "print(json.dumps({k: row[k] for k in ('states', 'values', 'epochs_trained')}))"
    )
    row = _printed_by(snippet)
    assert row == {"states": ["FAIL"] * 3, "values": [None] * 3, "epochs_trained": [1] * 3}


def test_epoch_budget_counts_what_pruned_trials_trained() -> None:
    snippet = (
        "import json, pruned_study as p; "
        "row = {'values': [0.5, None, 0.2, 0.1], 'epochs_trained': [10, 3, 10, 10]}; "
        "print(json.dumps([p.best_after_epochs(row, b) for b in (9, 13, 22, 23, 33, 34)]"
        " + [p.best_after_trials(row, n) for n in (2, 4)]))"
    )
    inf = float("inf")
    # 9 epochs: the first trial does not fit; 13: it and the pruned one; 23: the third too;
    # 34: more than the study trained (NaN: not reached).
    got = _printed_by(snippet)
    assert got[:5] + got[6:] == [inf, 0.5, 0.5, 0.2, 0.1, 0.5, 0.1] and got[5] != got[5]


def test_bad_options_fail_before_anything_runs(tmp_path: Path) -> None:
    proc = _run("--epochs", "2", "--out", str(tmp_path))
    assert proc.returncode != 0 and "--epochs must be 3 or more, got 2" in proc.stderr
    proc = _run("--samplers", "lanas", "nope", "--out", str(tmp_path))
    assert proc.returncode != 0 and "'nope'" in proc.stderr
    assert not (tmp_path / "rows.jsonl").exists()
