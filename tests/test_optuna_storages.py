"""LaNASSampler with real shared storages: 4 worker processes on one study.

Each worker is a separate Python process with its own sampler (as with any RDB or journal
storage); the storage is the only thing they share.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import optuna
import pytest
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend
from optuna.trial import TrialState

from lanas_sampler.integrations.optuna import RELATIVE_PARAMS_KEY

N_WORKERS = 4
TRIALS_PER_WORKER = 8

# One worker: records which trials its sampler's cores are told (by their configurations, which
# are unique), waits for the others at a file barrier so that all four really overlap, runs its
# trials and stores in each trial's user attributes the COMPLETE trials visible when it started
# (read before its first suggest, hence before the sampler reads the storage) and the trials
# told since the worker's previous trial.
WORKER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path

    import optuna
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend
    from optuna.trial import TrialState

    from lanas_sampler import LaNAS
    from lanas_sampler.integrations.optuna import LaNASSampler

    kind, where, study_name, worker, n_trials, barrier = sys.argv[1:7]
    told = []  # configurations, in the order the cores were told them
    _tell = LaNAS.tell

    def recording_tell(self, params, *args, **kwargs):
        _tell(self, params, *args, **kwargs)
        told.append(json.dumps(params, sort_keys=True))

    LaNAS.tell = recording_tell
    storage = JournalStorage(JournalFileBackend(where)) if kind == "journal" else where
    sampler = LaNASSampler(seed=0, n_startup_trials=4)
    study = optuna.load_study(study_name=study_name, storage=storage, sampler=sampler)

    Path(barrier, f"ready-{worker}").touch()
    deadline = time.monotonic() + 120
    while len(list(Path(barrier).glob("ready-*"))) < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    reported = [0]

    def objective(trial):
        visible = [t.number for t in study.get_trials(states=(TrialState.COMPLETE,))]
        xs = [trial.suggest_float(f"x{i}", -5.0, 5.0) for i in range(3)]
        kind_ = trial.suggest_categorical("kind", ["a", "b", "c"])
        time.sleep(0.1)
        numbers = {
            json.dumps(t.params, sort_keys=True): t.number
            for t in study.get_trials(states=(TrialState.COMPLETE,))
        }
        trial.set_user_attr("worker", int(worker))
        trial.set_user_attr("visible", visible)
        trial.set_user_attr("told", [numbers.get(c, -1) for c in told[reported[0]:]])
        reported[0] = len(told)
        return sum(x * x for x in xs) + (kind_ != "a")

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study.optimize(objective, n_trials=int(n_trials))
    """
)


def _run_workers(tmp_path: Path, kind: str, where: str, study_name: str) -> None:
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), kind, where, study_name, str(w)]
            + [str(TRIALS_PER_WORKER), str(barrier)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(N_WORKERS)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, f"worker failed:\n{out}\n{err}"


def _check_shared_study(study: optuna.Study) -> None:
    trials = study.get_trials()
    total = N_WORKERS * TRIALS_PER_WORKER
    # Every trial recorded once, all complete, every worker's trials present.
    assert sorted(t.number for t in trials) == list(range(total))
    assert all(t.state == TrialState.COMPLETE for t in trials)
    per_worker = Counter(t.user_attrs["worker"] for t in trials)
    assert per_worker == {w: TRIALS_PER_WORKER for w in range(N_WORKERS)}
    # Same seed in all workers, yet no two trials drew the same configuration (per-trial seeds
    # mix in the trial number; running trials are pending points of the others).
    configs = [json.dumps(t.params, sort_keys=True) for t in trials]
    assert len(set(configs)) == total
    # The model path ran.
    assert any(f"{RELATIVE_PARAMS_KEY}:0" in t.system_attrs for t in trials)
    # What each worker's cores were told: every COMPLETE trial visible when one of its trials
    # started (storage is the only truth), each once, trials of other workers included.
    worker_of = {t.number: t.user_attrs["worker"] for t in trials}
    union: set[int] = set()
    for w in range(N_WORKERS):
        told: list[int] = []
        for trial in sorted((t for t in trials if worker_of[t.number] == w), key=_number):
            told += trial.user_attrs["told"]
            missing = set(trial.user_attrs["visible"]) - set(told)
            assert not missing, (w, trial.number, missing)
        assert -1 not in told and len(told) == len(set(told)), (w, told)
        others = [n for n in told if worker_of[n] != w]
        assert others, (w, told)
        union.update(told)
    # Only trials still running when the last of them sampled can be missing: at most one per
    # worker.
    assert len(union) >= total - N_WORKERS, sorted(set(range(total)) - union)


def _number(trial: optuna.trial.FrozenTrial) -> int:
    return trial.number


@pytest.mark.slow
def test_four_processes_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'study.db'}"
    optuna.create_study(study_name="shared", storage=url)
    _run_workers(tmp_path, "rdb", url, "shared")
    _check_shared_study(optuna.load_study(study_name="shared", storage=url))


@pytest.mark.slow
def test_four_processes_journal_file(tmp_path: Path) -> None:
    path = str(tmp_path / "journal.log")

    def storage() -> JournalStorage:
        return JournalStorage(JournalFileBackend(path))

    optuna.create_study(study_name="shared", storage=storage())
    _run_workers(tmp_path, "journal", path, "shared")
    _check_shared_study(optuna.load_study(study_name="shared", storage=storage()))


@pytest.mark.slow
@pytest.mark.postgres
def test_four_processes_postgres(tmp_path: Path, postgres_url: str) -> None:
    optuna.create_study(study_name="shared-pg", storage=postgres_url)
    _run_workers(tmp_path, "rdb", postgres_url, "shared-pg")
    _check_shared_study(optuna.load_study(study_name="shared-pg", storage=postgres_url))
