# GP's BBOB d = 5 cells at 500 (instance 1, seeds 0-1; their first 100 trials are the same to
# the last bit as ../gp_bbob_d5_100's cells there) against LaNAS's current cells, run by run
# (from benchmarks/; see README.md): gp_against_lanas.txt. BBOB d = 5's seeds 0-9 as
# ../overall_runs.sh pools them; GP's runs first, so that the committed random-search cells
# replace those of its runs. The with-GP ranks are ../current/with_gp_last's.
set -e
source results/overall_runs.sh
G=$R/gp_bbob_d5_500
python paired_runs.py "$GP_BBOB_D5+$OTHERS_D5_S0_9" "$LANAS_D5_S0_9" gp > $G/gp_against_lanas.txt
