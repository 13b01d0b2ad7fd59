# GP's BBOB d = 5 cells (../gp_bbob_d5_100 at 100, every instance; this folder at 500, instance
# 1 here, instances 2-5 in instance2/-instance5/, whose first 100 trials are the same to
# the last bit) against LaNAS's current cells, run by run at 100 and 500 (from benchmarks/; see
# README.md): gp_against_lanas.txt. The runs are ../overall_runs.sh's GP_OTHERS_BBOB_D5 and
# LANAS_D5_S0_9; the with-GP ranks are ../current/with_gp_first's and with_gp_last's.
set -e
source results/overall_runs.sh
G=$R/gp_bbob_d5_500
python paired_runs.py "$GP_OTHERS_BBOB_D5" "$LANAS_D5_S0_9" gp > $G/gp_against_lanas.txt
# Each instance's rows alone at 500 (the README's per-instance columns) and its runs against
# LaNAS's: by_instance/iN.
for I in 1 2 3 4 5; do
  python overall.py --budget last --samplers lanas tpe gp cmaes random ng-NGOpt ng-CMA \
    --bbob-instance $I --out $G/by_instance/i$I \
    --run "$GP_OTHERS_BBOB_D5" "$LANAS_D5_S0_9" > /dev/null
  python paired_runs.py "$GP_OTHERS_BBOB_D5" "$LANAS_D5_S0_9" gp --bbob-instance $I > $G/by_instance/i$I/gp_against_lanas.txt
done
