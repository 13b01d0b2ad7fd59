# GP's BBOB d = 5 cells at 500 (instance 1, seeds 0-1; their first 100 trials are the same to
# the last bit as ../gp_bbob_d5_100's cells there) ranked with the other samplers and LaNAS's
# current cells (from benchmarks/; see README.md): with_gp_last, and run by run against LaNAS:
# gp_against_lanas.txt. BBOB d = 5's seeds 0-9 as ../overall_runs.sh pools them; GP's runs
# first, so that the committed random-search cells replace those of its runs.
set -e
source results/overall_runs.sh
G=$R/gp_bbob_d5_500
python overall.py --budget last --samplers lanas tpe gp cmaes random ng-NGOpt ng-CMA \
  --out $G/with_gp_last --run "$GP_BBOB_D5+$OTHERS_D5_S0_9" "$LANAS_D5_S0_9"
python paired_runs.py "$GP_BBOB_D5+$OTHERS_D5_S0_9" "$LANAS_D5_S0_9" gp > $G/gp_against_lanas.txt
