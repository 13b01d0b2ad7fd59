# GP's BBOB d = 5 cells at 100 (this folder: seed 0, seed1/ seed 1) ranked with the other samplers and LaNAS's current
# cells (from benchmarks/; see README.md): with_gp_first. The families' runs as
# ../current/integrate.sh pools them; this run first, so that the committed random-search cells
# replace its own.
set -e
source results/overall_runs.sh
N=$R/current
D5_S6_9="$N/bbob_d5_s6_8/results.json+$N/bbob_d5_s9/results.json"
OTHERS_D5="$OTHERS_BBOB_D5+$R/bbob_d5_seeds3_5/results.json+$D5_S6_9"
LANAS_D5="$R/stall_turns/bbob_d5/results.json+$R/bbob_d5_seeds3_5/results.json+$D5_S6_9"
G=$R/gp_bbob_d5_100
python overall.py --budget first --samplers lanas tpe gp cmaes random ng-NGOpt ng-CMA \
  --out $G/with_gp_first --run "$G/results.json+$G/seed1/results.json+$OTHERS_D5" "$LANAS_D5"
