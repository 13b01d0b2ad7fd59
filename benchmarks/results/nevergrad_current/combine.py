"""One report from the current code's LaNAS runs and the committed runs of Nevergrad's own
optimizers (``../nevergrad.json``), whose runs are deterministic per seed and versions
(rerun cells matched bit for bit): ``python combine.py DIR [DIR ...]``, each a
``nevergrad_bench.py --optimizers ...`` output folder of LaNAS presets. Folders that ran the
same optimizers are merged first (split by function, ``nevergrad_bench.merge``); every group
must cover the committed functions, dimensions, budgets and seeds. Writes ``nevergrad.json``
and ``nevergrad.md`` here."""

import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # benchmarks/
import nevergrad_bench as nb  # noqa: E402

committed = json.loads((HERE.parent / "nevergrad.json").read_text())
groups: dict[tuple[str, ...], list[dict]] = defaultdict(list)
for folder in sys.argv[1:]:
    part = json.loads((Path(folder) / "nevergrad.json").read_text())
    groups[tuple(part["optimizers"])].append(part)

lanas_runs: list[nb.Run] = []
optimizers: list[str] = []
meta: dict = {}
wall_time_s = 0.0  # the groups ran one after the other
for names, parts in groups.items():
    runs, meta = nb.merge(parts)
    wall_time_s += meta["wall_time_s"]
    for key in ("dims", "budgets", "seeds", "translation_factor"):
        if meta[key] != committed[key]:
            raise ValueError(f"the runs of {names} differ from the committed ones in {key}")
    if sorted(meta["functions"]) != sorted(committed["functions"]):
        raise ValueError(f"the runs of {names} must cover the committed functions")
    lanas_runs += runs
    optimizers += names
baselines = [nb.Run(**r) for r in committed["runs"] if r["optimizer"] in nb.BASELINES]
meta["optimizers"] = [name for name in nb.LANAS if name in optimizers] + list(nb.BASELINES)
meta["functions"] = committed["functions"]
meta["wall_time_s"] = wall_time_s
meta["baselines_from"] = "../nevergrad.json (committed; Nevergrad's optimizers, deterministic)"
nb.write(HERE, lanas_runs + baselines, meta)
