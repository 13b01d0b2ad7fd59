"""One report from the current code's LaNAS runs and the committed runs of Nevergrad's own
optimizers (``../nevergrad.json``), whose runs are deterministic per seed and versions
(rerun cells matched bit for bit): ``python combine.py LANAS_DIR [LANAS_DIR ...]``, each a
``nevergrad_bench.py --optimizers LaNAS`` output folder (split by function). Writes
``nevergrad.json`` and ``nevergrad.md`` here. The older LaNAS presets of ``../nevergrad.json``
are left out: they ran older code."""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # benchmarks/
import nevergrad_bench as nb  # noqa: E402

committed = json.loads((HERE.parent / "nevergrad.json").read_text())
lanas_runs, meta = nb.merge(
    [json.loads((Path(d) / "nevergrad.json").read_text()) for d in sys.argv[1:]]
)
for key in ("dims", "budgets", "seeds", "translation_factor"):
    if meta[key] != committed[key]:
        raise ValueError(f"the LaNAS runs differ from the committed ones in {key}")
if sorted(meta["functions"]) != sorted(committed["functions"]):
    raise ValueError("the LaNAS runs must cover the committed functions")
baselines = [nb.Run(**r) for r in committed["runs"] if r["optimizer"] in nb.BASELINES]
meta["optimizers"] = ["LaNAS", *nb.BASELINES]
meta["functions"] = committed["functions"]
meta["baselines_from"] = (
    "../nevergrad.json (committed; Nevergrad's optimizers, deterministic per seed)"
)
nb.write(HERE, lanas_runs + baselines, meta)
