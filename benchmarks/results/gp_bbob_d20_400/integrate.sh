# GPSampler's BBOB d = 20 cells at 400 (instance 1: seed 0 in ../bbob_d20_current_i1/gp, seed 1
# here; instance 2: instance2/; instance 3: instance3_s0/, instance3_s1/; instances 4-5:
# instance4/, instance5/) against LaNAS's current cells, run by run (from benchmarks/; see
# README.md): gp_against_lanas.txt, and each instance alone in by_instance/iN. The runs are ../overall_runs.sh's GP_OTHERS_BBOB_D20 and
# LANAS_D20_CURRENT; the with-GP ranks are ../current/with_gp_first's.
set -e
source results/overall_runs.sh
gp_bbob_against_lanas $R/gp_bbob_d20_400 first "$GP_OTHERS_BBOB_D20" "$LANAS_D20_CURRENT"
