"""examples/distributed: ``launch.py --smoke`` (4 worker processes, 16 trials, one study)
against a real PostgreSQL server and against a journal file."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import optuna
import pytest
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend
from optuna.trial import TrialState

LAUNCH = Path(__file__).resolve().parent.parent / "examples" / "distributed" / "launch.py"
N_WORKERS, N_TRIALS = 4, 16  # launch.py --smoke


def launch(tmp_path: Path, *storage_args: str, study_name: str) -> str:
    result = subprocess.run(
        [sys.executable, str(LAUNCH), *storage_args, "--study-name", study_name, "--smoke"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"launch.py failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def check_study(study: optuna.Study, out: str) -> None:
    trials = study.get_trials()
    # Every trial recorded exactly once, complete, and as many as requested.
    assert len(trials) == N_TRIALS
    assert sorted(t.number for t in trials) == list(range(N_TRIALS))
    assert len({t._trial_id for t in trials}) == N_TRIALS
    assert all(t.state == TrialState.COMPLETE for t in trials)
    # Each worker process ran its share.
    workers = Counter(t.user_attrs["worker"] for t in trials)
    assert workers == {str(w): N_TRIALS // N_WORKERS for w in range(N_WORKERS)}
    assert "workers done in" in out and "(0 failed)" in out
    assert f"{N_TRIALS} trials ({N_TRIALS} complete)" in out
    assert f"best value: {study.best_value:.4f} (trial #{study.best_trial.number})" in out
    assert 0.0 < study.best_value <= 1.0


@pytest.mark.slow
@pytest.mark.postgres
def test_launch_postgres(tmp_path: Path, postgres_url: str) -> None:
    out = launch(tmp_path, "--storage", postgres_url, study_name="example-distributed")
    check_study(optuna.load_study(study_name="example-distributed", storage=postgres_url), out)


@pytest.mark.slow
def test_launch_journal_file(tmp_path: Path) -> None:
    out = launch(tmp_path, "--journal", "lanas.log", study_name="example-journal")
    storage = JournalStorage(JournalFileBackend(str(tmp_path / "lanas.log")))
    check_study(optuna.load_study(study_name="example-journal", storage=storage), out)


@pytest.mark.parametrize("script", ["worker.py", "watch.py"])
def test_a_missing_study_is_named_in_a_clear_error(tmp_path: Path, script: str) -> None:
    extra = ["--n-trials", "1"] if script == "worker.py" else ["--once"]
    result = subprocess.run(
        [sys.executable, str(LAUNCH.with_name(script)), "--journal", "j.log"]
        + ["--study-name", "typo", *extra],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert "No study 'typo' in this storage: create it first" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
