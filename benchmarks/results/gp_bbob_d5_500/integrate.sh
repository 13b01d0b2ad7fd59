# GP's BBOB d = 5 cells (../gp_bbob_d5_100 at 100, every instance; this folder at 500, instance
# 1 here, instances 2-5 in instance2/-instance5/, whose first 100 trials are the same to
# the last bit) against LaNAS's current cells, run by run at 100 and 500 (from benchmarks/; see
# README.md): gp_against_lanas.txt, and each instance alone in by_instance/iN. The runs are ../overall_runs.sh's GP_OTHERS_BBOB_D5 and
# LANAS_D5_S0_9; the with-GP ranks are ../current/with_gp_first's and with_gp_last's.
set -e
source results/overall_runs.sh
gp_bbob_against_lanas $R/gp_bbob_d5_500 last "$GP_OTHERS_BBOB_D5" "$LANAS_D5_S0_9"
