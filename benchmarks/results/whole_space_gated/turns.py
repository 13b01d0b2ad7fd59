"""How often a turn takes its whole-space point: per search, the turns (model asks on which
``LaNAS._offers_whole_space`` holds) and those whose point the selected region did not hold.

    PYTHONPATH=<code> python turns.py"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/
from problems import get_problem  # noqa: E402
from runners import run_core_cell  # noqa: E402

import lanas_sampler._optimizer as optimizer  # noqa: E402

counts = {"turns": 0, "taken": 0}
model_point = optimizer.LaNAS._model_point


def counted_model_point(self, pending):
    turn = self._offers_whole_space(len(pending))
    x = model_point(self, pending)
    if turn:
        counts["turns"] += 1
        counts["taken"] += self.last_ask_info.region.depth == 0
    return x


optimizer.LaNAS._model_point = counted_model_point
for name, budget in [("sklearn_dt_wine", 128), ("bbob_f2_d5_i1", 200), ("bbob_f8_d5_i1", 200),
                     ("ackley20", 200)]:  # fmt: skip
    for seed in (0, 1):
        counts.update(turns=0, taken=0)
        run_core_cell("lanas-core", get_problem(name), budget, seed)
        taken, turns = counts["taken"], counts["turns"]
        print(f"{name} seed {seed}, {budget} evaluations: {taken} of {turns} turns took the "
              "whole-space point", flush=True)  # fmt: skip
