"""The example scripts, each run as a subprocess in its fast ``--smoke`` mode.

Each runs from a temporary directory with its storage and outputs there, and is checked on what
it leaves behind (the stored study, plots) as well as on what it prints.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import multiprocessing
import os
import pickle
import re
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import nevergrad as ng
import optuna
import pytest
from optuna.trial import TrialState

from lanas_sampler.integrations.optuna import RELATIVE_PARAMS_KEY

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def run_example(script: str, *args: str, cwd: Path, timeout: float = 300) -> str:
    """Run ``examples/<script>`` with ``args`` in ``cwd``; its stdout (fails on exit code != 0)."""
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"{script} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def number_after(label: str, text: str) -> float:
    match = re.search(re.escape(label) + r"\s*([0-9.]+)", text)
    assert match, f"{label!r} not in output:\n{text}"
    return float(match.group(1))


@pytest.mark.slow
def test_pytorch_nas_smoke_and_resume(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nas.db'}"
    common = ["--smoke", "--storage", url, "--study-name", "nas", "--out", "out", "--no-progress"]
    out = run_example("pytorch_nas.py", *common, cwd=tmp_path)

    study = optuna.load_study(study_name="nas", storage=url)
    trials = study.get_trials()
    assert len(trials) == 4
    assert study.direction == optuna.study.StudyDirection.MAXIMIZE
    assert {t.state for t in trials} <= {TrialState.COMPLETE, TrialState.PRUNED}
    assert any(t.state == TrialState.COMPLETE for t in trials)
    for t in trials:
        # Validation accuracy reported every epoch, and the Hyperband pruner judged every trial
        # at its first rung (it records the value there in the trial's system attributes).
        assert t.intermediate_values, t.number
        assert all(0.0 <= v <= 1.0 for v in t.intermediate_values.values())
        assert any(key.startswith("completed_rung_") for key in t.system_attrs), t.system_attrs
        if t.state == TrialState.COMPLETE:
            assert sorted(t.intermediate_values) == [1, 2, 3, 4]  # --smoke: 4 epochs
        else:  # at a rung, never after the last epoch: a fully trained trial is complete
            assert max(t.intermediate_values) in (1, 3)
    # LaNASSampler proposed the configurations (design rows and model asks alike publish them)
    # from the second trial on: the first knows no search space yet and is drawn uniformly.
    assert [f"{RELATIVE_PARAMS_KEY}:0" in t.system_attrs for t in trials] == [0, 1, 1, 1]

    assert f"best params: {json.dumps(study.best_params, sort_keys=True)}" in out
    assert "best architecture: 64 -> " in out
    test_acc = number_after("test accuracy of the best architecture (retrained on train+val):", out)
    assert 0.0 <= test_acc <= 1.0
    best = json.loads((tmp_path / "out" / "best.json").read_text())
    assert best["params"] == study.best_params
    assert best["test_accuracy"] == pytest.approx(test_acc, abs=1e-4)
    for name in ("optimization_history", "param_importances", "intermediate_values"):
        png = (tmp_path / "out" / f"{name}.png").read_bytes()
        assert png.startswith(PNG_MAGIC) and len(png) > 5000, name

    # Re-running with a larger budget resumes the stored study: only the missing trial runs.
    out = run_example("pytorch_nas.py", *common, "--n-trials", "5", cwd=tmp_path)
    assert "4 trials done, running 1 more" in out
    trials = optuna.load_study(study_name="nas", storage=url).get_trials()
    assert [t.number for t in trials] == list(range(5))
    assert trials[4].state in (TrialState.COMPLETE, TrialState.PRUNED)


@pytest.mark.slow
def test_pytorch_nas_smoke_starts_afresh_each_time(tmp_path: Path) -> None:
    for _ in range(2):
        out = run_example("pytorch_nas.py", "--smoke", "--no-progress", cwd=tmp_path)
        assert "0 trials done, running 4 more" in out, out
    assert not (tmp_path / "lanas_nas.db").exists()  # the real study is left alone


def test_sklearn_tuning_smoke(tmp_path: Path) -> None:
    out = run_example("sklearn_tuning.py", "--smoke", cwd=tmp_path)
    rows = {}
    for line in out.splitlines():
        fields = line.split()
        if fields and fields[0] in ("LaNAS", "TPE") and "±" in fields:
            rows[fields[0]] = fields
    assert set(rows) == {"LaNAS", "TPE"}, out
    for name, (_, best, _, spread, trial, wall, sampler_time) in rows.items():
        assert 0.85 <= float(best) <= 1.0, (name, best)  # any SVM does this well here
        assert float(spread) == 0.0  # one seed in --smoke
        assert 0 <= float(trial) < 12
        assert float(wall.rstrip("s")) >= float(sampler_time.rstrip("s")) >= 0.0


def test_nevergrad_nas_smoke(tmp_path: Path) -> None:
    out = run_example("nevergrad_nas.py", "--smoke", cwd=tmp_path)
    tells = re.findall(r"^\s*(\d+)/12\s+val error ([0-9.]+)", out, flags=re.MULTILINE)
    assert sorted(int(n) for n, _ in tells) == list(range(1, 13))
    errors = [float(e) for _, e in tells]
    assert all(0.0 <= e <= 1.0 for e in errors)

    recommendation = ast.literal_eval(out.split("recommendation: ", 1)[1].splitlines()[0])
    assert set(recommendation) == {
        "n_layers", "width", "activation", "alpha", "learning_rate_init", "batch_size",
    }  # fmt: skip
    assert 1 <= recommendation["n_layers"] <= 3 and 16 <= recommendation["width"] <= 256
    assert recommendation["activation"] in ("relu", "tanh", "logistic")
    # The recommendation is the best configuration evaluated.
    assert number_after("validation error of the recommendation:", out) == pytest.approx(
        min(errors), abs=1e-4
    )
    assert 0.0 <= number_after("(retrained on train+val):", out) <= 1.0


def require_ray() -> None:
    # Like the PostgreSQL tests: fail rather than skip silently when Ray is missing.
    if importlib.util.find_spec("ray") is None:
        message = 'Ray Tune is not installed: pip install "ray[tune]" (LANAS_SKIP_RAY=1 skips)'
        if os.environ.get("LANAS_SKIP_RAY") == "1":
            pytest.skip(message)
        pytest.fail(message)


@pytest.mark.slow
def test_ray_tune_smoke(tmp_path: Path) -> None:
    require_ray()
    out = run_example("ray_tune.py", "--smoke", "--storage-path", "ray_results", cwd=tmp_path)
    assert re.search(r"^6 trials \(0 errors\)", out, flags=re.MULTILINE), out
    assert 0.0 <= number_after("best val_accuracy:", out) <= 1.0
    config = ast.literal_eval(out.split("best config: ", 1)[1].splitlines()[0])
    assert set(config) == {"n_layers", "width", "activation", "alpha", "lr", "batch_size"}
    assert (tmp_path / "ray_results" / "lanas-ray-tune").is_dir()


def fails_on_relu(config: dict[str, Any], max_iter: int, seed: int) -> float:
    """A stand-in for nevergrad_nas's evaluation that raises on one activation."""
    if config["activation"] == "relu":
        raise RuntimeError("out of memory")
    return 0.5 if config["activation"] == "tanh" else 0.25


@pytest.mark.parametrize("start_method", ["fork", "spawn"])  # Linux's default, macOS/Windows'
def test_nevergrad_nas_tells_a_failed_evaluation_and_goes_on(
    start_method: str,
    load_example: Callable[[str], Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    example = load_example("nevergrad_nas.py")
    # Workers find the stand-in by its module's name, as they find the example's own function.
    monkeypatch.setattr(example, "validation_error", fails_on_relu)
    context = multiprocessing.get_context(start_method)
    monkeypatch.setattr(
        example, "ProcessPoolExecutor", partial(ProcessPoolExecutor, mp_context=context)
    )
    recommendation = example.search(budget=12, workers=2, max_iter=1, seed=0)
    out = capsys.readouterr().out
    assert "failed: RuntimeError('out of memory')" in out
    assert out.count("/12  val error") == 12  # every evaluation told, the failed ones as NaN
    assert recommendation.value["activation"] == "logistic"


def loss_or_interrupt(
    config: dict[str, Any], max_iter: int, seed: int, interrupt: bool = False
) -> float:
    """A stand-in evaluation: a loss made of the whole configuration, or, with ``interrupt``,
    Ctrl-C on the first wide network (as a crash would). The flag travels with the function
    (a ``partial``), not in the environment: a forkserver started earlier would not see it."""
    if interrupt and config["width"] > 128:
        raise KeyboardInterrupt
    return float(
        config["n_layers"] + config["width"] / 256 + config["alpha"] + config["batch_size"] / 128
    )


TOLD = re.compile(r"^ *\d+/\d+  val error .*$", flags=re.MULTILINE)


@pytest.fixture
def nevergrad_nas_stand_in(
    load_example: Callable[[str], Any], monkeypatch: pytest.MonkeyPatch
) -> Any:
    example = load_example("nevergrad_nas.py")
    monkeypatch.setattr(example, "validation_error", loss_or_interrupt)
    return example


def test_nevergrad_nas_resumed_search_is_the_uninterrupted_one(
    nevergrad_nas_stand_in: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # One worker: the order of evaluations is the optimizer's alone, so a search interrupted
    # and resumed must tell exactly what an uninterrupted one tells.
    example, budget = nevergrad_nas_stand_in, 16
    whole = example.search(budget, workers=1, max_iter=1, seed=0, checkpoint=tmp_path / "a.pkl")
    uninterrupted = TOLD.findall(capsys.readouterr().out)

    monkeypatch.setattr(example, "validation_error", partial(loss_or_interrupt, interrupt=True))
    with pytest.raises(KeyboardInterrupt):
        example.search(budget, workers=1, max_iter=1, seed=0, checkpoint=tmp_path / "b.pkl")
    before = TOLD.findall(capsys.readouterr().out)
    monkeypatch.setattr(example, "validation_error", loss_or_interrupt)
    resumed = example.search(budget, workers=1, max_iter=1, seed=0, checkpoint=tmp_path / "b.pkl")
    out = capsys.readouterr().out
    after = TOLD.findall(out)

    assert 0 < len(before) < budget - 1
    assert f"{len(before)} evaluations told, 0 interrupted evaluations" in out
    assert before + after == uninterrupted and len(uninterrupted) == budget
    assert resumed.value == whole.value and resumed.loss == whole.loss


def test_nevergrad_nas_evaluates_the_interrupted_configurations_again(
    nevergrad_nas_stand_in: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    example, checkpoint = nevergrad_nas_stand_in, tmp_path / "search.pkl"
    # Ctrl-C just after a save that has evaluations in flight. (An evaluation raising it would
    # not do: whether others are still in flight at the last save before it then depends on
    # the order in which the workers finish, and sometimes none is.)
    save = example.Checkpoint.save

    def save_then_interrupt(self: Any, path: Path) -> None:
        save(self, path)
        if self.optimizer.num_tell >= 5 and self.unfinished:
            raise KeyboardInterrupt

    monkeypatch.setattr(example.Checkpoint, "save", save_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        example.search(14, workers=3, max_iter=1, seed=0, checkpoint=checkpoint)
    with checkpoint.open("rb") as file:
        saved = pickle.load(file)  # a plain dict: no class of the example's needed to read it
    assert type(saved) is dict and isinstance(saved["optimizer"], ng.optimizers.base.Optimizer)
    saved = example.Checkpoint.load(checkpoint)
    interrupted = [candidate.value for candidate in saved.unfinished]
    assert interrupted and saved.optimizer.num_tell == len(TOLD.findall(capsys.readouterr().out))

    monkeypatch.setattr(example.Checkpoint, "save", save)
    example.search(14, workers=3, max_iter=1, seed=0, checkpoint=checkpoint)
    resumed_told = TOLD.findall(capsys.readouterr().out)
    assert all(any(str(value) in line for line in resumed_told) for value in interrupted)
    finished = example.Checkpoint.load(checkpoint)
    assert finished.optimizer.num_tell == 14 and not finished.unfinished
    assert finished.optimizer.num_tell_not_asked == 0  # told as the candidates asked
    assert finished.optimizer.core.n_observations == 14 and not finished.optimizer.core._pending

    # A larger budget extends the finished search; its settings must stay those it ran with.
    example.search(16, workers=3, max_iter=1, seed=0, checkpoint=checkpoint)
    assert len(TOLD.findall(capsys.readouterr().out)) == 2
    with pytest.raises(SystemExit, match="--seed 0, not 1.*--fresh"):
        example.search(16, workers=3, max_iter=1, seed=1, checkpoint=checkpoint)
    with pytest.raises(SystemExit, match="--max-iter 1, not 2.*--fresh"):
        example.search(16, workers=3, max_iter=2, seed=0, checkpoint=checkpoint)
    # A smaller budget cannot undo what was asked: the search stays as it was.
    example.search(10, workers=3, max_iter=1, seed=0, checkpoint=checkpoint)
    out = capsys.readouterr().out
    assert "--budget 10 is below the 16 evaluations already asked" in out and not TOLD.findall(out)


@pytest.mark.parametrize(
    "content",
    [b"", b"not a pickle", pickle.dumps({"settings": {}}), pickle.dumps([1, 2])],
    ids=["empty", "garbage", "other-dict", "other-object"],
)
def test_nevergrad_nas_refuses_a_file_that_is_no_checkpoint(
    content: bytes, nevergrad_nas_stand_in: Any, tmp_path: Path
) -> None:
    checkpoint = tmp_path / "search.pkl"
    checkpoint.write_bytes(content)
    with pytest.raises(SystemExit, match="is not a checkpoint of this example.*--fresh"):
        nevergrad_nas_stand_in.search(4, workers=1, max_iter=1, seed=0, checkpoint=checkpoint)
    assert checkpoint.read_bytes() == content  # left for the user to look at


def kills_its_worker(config: dict[str, Any], max_iter: int, seed: int) -> float:
    """A stand-in evaluation whose worker process dies, as one killed for its memory would."""
    os._exit(9)


@pytest.mark.parametrize(
    ("evaluation", "message"),
    [
        (partial(loss_or_interrupt, interrupt=True), "interrupted: the search is saved in"),
        (kills_its_worker, "a worker process died .*configuration. A rerun .*--fresh"),
    ],
    ids=["ctrl-c", "worker-died"],
)
def test_nevergrad_nas_says_where_an_interrupted_search_is_saved(
    evaluation: Callable[..., float],
    message: str,
    nevergrad_nas_stand_in: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(nevergrad_nas_stand_in, "validation_error", evaluation)
    checkpoint = tmp_path / "sub" / "search.pkl"  # a folder that does not exist yet
    with pytest.raises(SystemExit, match=message):
        nevergrad_nas_stand_in.main(["--smoke", "--workers", "1", "--checkpoint", str(checkpoint)])
    assert sorted(path.name for path in checkpoint.parent.iterdir()) == (
        ["search.pkl"] if evaluation is not kills_its_worker else []
    )


def test_nevergrad_nas_checkpoint_interrupted_mid_write_is_the_previous_one(
    nevergrad_nas_stand_in: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkpoint = tmp_path / "search.pkl"
    nevergrad_nas_stand_in.search(12, workers=1, max_iter=1, seed=0, checkpoint=checkpoint)
    before = checkpoint.read_bytes()

    def interrupted_dump(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt  # Ctrl-C while the pickle is being written

    monkeypatch.setattr(nevergrad_nas_stand_in.pickle, "dump", interrupted_dump)
    with pytest.raises(KeyboardInterrupt):
        nevergrad_nas_stand_in.search(14, workers=1, max_iter=1, seed=0, checkpoint=checkpoint)
    assert checkpoint.read_bytes() == before
    assert [path.name for path in tmp_path.iterdir()] == ["search.pkl"]  # no temp file left


def test_nevergrad_nas_smoke_starts_its_own_checkpoint_afresh(
    nevergrad_nas_stand_in: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("nevergrad_nas_smoke.pkl").write_bytes(b"a smoke run's file that is not a pickle")
    nevergrad_nas_stand_in.main(["--smoke", "--workers", "1"])
    assert "resumed" not in capsys.readouterr().out
    assert Path("nevergrad_nas_smoke.pkl").stat().st_size > 100
    assert not Path("nevergrad_nas.pkl").exists()  # the real search's file: untouched

    # A checkpoint given with --smoke is the user's: resumed, not deleted (--fresh deletes).
    nevergrad_nas_stand_in.main(["--smoke", "--workers", "1", "--checkpoint", "mine.pkl"])
    nevergrad_nas_stand_in.main(["--smoke", "--workers", "1", "--checkpoint", "mine.pkl"])
    assert "resumed mine.pkl: 12 evaluations told" in capsys.readouterr().out
    nevergrad_nas_stand_in.main(["--smoke", "--checkpoint", "mine.pkl", "--fresh"])
    assert "resumed" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("script", "given", "option", "value"),
    [
        ("pytorch_nas.py", ["--epochs", "3"], "epochs", 3),
        ("nevergrad_nas.py", ["--budget", "14"], "budget", 14),
        ("sklearn_tuning.py", ["--seeds", "3", "4"], "seeds", [3, 4]),
        ("ray_tune.py", ["--num-samples", "5"], "num_samples", 5),
        ("distributed/launch.py", ["--workers", "2"], "workers", 2),
    ],
)
def test_options_given_with_smoke_win_over_its_defaults(
    script: str, given: list[str], option: str, value: Any, load_example: Callable[[str], Any]
) -> None:
    if script == "ray_tune.py":
        require_ray()
    example = load_example(script)
    where = ["--journal", "x.log", "--study-name", "s"] if script.startswith("distributed") else []
    smoke = getattr(example.parse_args([*where, "--smoke"]), option)
    default = getattr(example.parse_args(where), option)
    assert value not in (smoke, default) and smoke is not None and default is not None
    assert getattr(example.parse_args([*where, "--smoke", *given]), option) == value
