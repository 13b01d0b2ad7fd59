# GPSampler's BBOB d = 20 cells at 400 (instance 1: seed 0 in ../bbob_d20_current_i1/gp, seed 1
# here; instance 2: instance2/; instance 3: instance3_s0/, instance3_s1/; instances 4-5:
# instance4/, instance5/) against LaNAS's current cells, run by run (from benchmarks/; see
# README.md): gp_against_lanas.txt. The runs are ../overall_runs.sh's GP_OTHERS_BBOB_D20 and
# LANAS_D20_CURRENT; the with-GP ranks are ../current/with_gp_first's.
set -e
source results/overall_runs.sh
G=$R/gp_bbob_d20_400
python paired_runs.py "$GP_OTHERS_BBOB_D20" "$LANAS_D20_CURRENT" gp > $G/gp_against_lanas.txt
# Each instance's rows alone at 400 (the README's per-instance rows) and its runs against
# LaNAS's: by_instance/iN.
for I in 1 2 3 4 5; do
  python overall.py --budget first --samplers lanas tpe gp cmaes random ng-NGOpt ng-CMA \
    --bbob-instance $I --out $G/by_instance/i$I \
    --run "$GP_OTHERS_BBOB_D20" "$LANAS_D20_CURRENT" > /dev/null
  python paired_runs.py "$GP_OTHERS_BBOB_D20" "$LANAS_D20_CURRENT" gp --bbob-instance $I > $G/by_instance/i$I/gp_against_lanas.txt
done
