# The 100-d functions on seeds 0-9 (from benchmarks/; see README.md): seeds 0-6 as
# ../synthetic_d100_seeds4_6 ranks them, with seed 7 (../synthetic_d100_seed7) and seeds 8-9
# (this folder's run) on both sides, every sampler of each seed run in the same run; the
# overall tables rank every family whole, the 100-d functions on seeds 0-9.
set -e
source results/overall_runs.sh
N=$R/synthetic_d100_seeds8_9
syn100_tables $N "$OTHERS_SYN100_S0_9" "$LANAS_SYN100_S0_9"
# With Optuna's GPSampler among the ranked samplers, on the rows where its cells exist (its run
# first in each OTHERS, so that the other samplers' cells are those of the tables above; rows
# without GP cells are left out, and the 100-d functions have none), the current LaNAS cells:
# as overall_every_family's.
T=$R/stall_turns
WITH_GP=(--samplers lanas tpe cmaes random ng-NGOpt ng-CMA gp
  --run "$R/nas201_gp_10seeds/results.json+$R/tabular_gp_10seeds/results.json+$OTHERS_TABULAR"
        $O/tabular30_all/results.json
  --run "$R/sklearn_gp_10seeds/results.json+$OTHERS_SKLEARN" $W/sklearn/results.json)
python overall.py --budget last --out $N/with_gp_last "${WITH_GP[@]}"
python overall.py --budget first --out $N/with_gp_first "${WITH_GP[@]}" \
  --run "$R/bbob_d5_gp_i1/results.json+$OTHERS_BBOB_D5" $T/bbob_d5/results.json \
  --run "$R/synthetic_d20_gp_10seeds/results.json+$OTHERS_SYN20" $T/syn20/results.json \
  --run "$R/bbob_d20_current_i1/gp/results.json+$OTHERS_BBOB_D20" "$LANAS_BBOB_D20_STALL"
