# GP's BBOB d = 5 cells at 100 (this folder: seed 0; seed1/: seed 1) ranked with the other
# samplers and LaNAS's current cells (from benchmarks/; see README.md): with_gp_first. BBOB d = 5's seeds 0-9 as
# ../overall_runs.sh pools them; this run first, so that the committed random-search cells
# replace its own.
set -e
source results/overall_runs.sh
G=$R/gp_bbob_d5_100
python overall.py --budget first --samplers lanas tpe gp cmaes random ng-NGOpt ng-CMA \
  --out $G/with_gp_first --run "$GP_BBOB_D5+$OTHERS_D5_S0_9" "$LANAS_D5_S0_9"
