# The current code's cells of every family ranked with the other samplers (from benchmarks/:
# bash results/current/integrate.sh; README.md says what ran). The tables the README's
# Benchmarks table and RESULTS.md's summary quote: overall_first, overall_last (every family),
# and the families this folder adds runs to: bbob_d5_first, bbob_d5_last (seeds 0-9),
# syn100_first, syn100_last (LaNAS rerun at 2,000 with ff439db's library), bbob_d20_first,
# bbob_d20_last (LaNAS rerun with daff9f9's library).
set -e
source results/overall_runs.sh
N=$R/current
T=$R/stall_turns
# The LaNAS cells this folder adds, as ../overall_runs.sh names them: BBOB d = 5's seeds 0-9
# (OTHERS_D5_S0_9, LANAS_D5_S0_9; 6-8 and 9 run here), the 100-d functions' seeds 0-9 rerun at
# 2,000 (LANAS_SYN100_CURRENT; its cells at 500 are the same to the last bit; the other samplers
# as ../synthetic_d100_seeds8_9 had them) and BBOB d = 20's instances 1-5 × seeds 0-1 rerun
# with daff9f9's library (LANAS_D20_CURRENT; every observation in the tree beyond 1,000,
# ff439db). The tabular families rank seeds 0-59 (TABULAR_S0_59; 30-59 in ../tabular_s30_59),
# with the LaNAS cells of 858f382 there and on scikit-learn (LANAS_TABULAR_CURRENT,
# LANAS_SKLEARN_CURRENT, run in ../grid_turns).
for BUDGET in first last; do
  python overall.py --budget $BUDGET --out $N/bbob_d20_$BUDGET \
    --run "$OTHERS_BBOB_D20" "$LANAS_D20_CURRENT"
  python overall.py --budget $BUDGET --out $N/bbob_d5_$BUDGET \
    --run "$OTHERS_D5_S0_9" "$LANAS_D5_S0_9"
  python overall.py --budget $BUDGET --out $N/syn100_$BUDGET \
    --run "$OTHERS_SYN100_S0_9" "$LANAS_SYN100_CURRENT"
  OTHERS_TABULAR="$TABULAR_S0_59" LANAS_TABULAR=$LANAS_TABULAR_CURRENT \
    LANAS_SKLEARN=$LANAS_SKLEARN_CURRENT \
    OTHERS_BBOB_D5="$OTHERS_D5_S0_9" OTHERS_SYN100="$OTHERS_SYN100_S0_9" overall_every_family \
    $N/overall_$BUDGET "$LANAS_D5_S0_9" $T/syn20/results.json "$OTHERS_BBOB_D20" \
    "$LANAS_D20_CURRENT" "$LANAS_SYN100_CURRENT"
done
# Optuna's GPSampler among the ranked samplers, on the rows where its cells exist
# (../overall_runs.sh's GP_OTHERS_* runs; rows without a GP cell are left out, and a family with none,
# at a budget GP did not run, is not in the overall mean): with_gp_first, with_gp_last.
GP_RUNS=(--run "$GP_OTHERS_TABULAR_S0_59" $LANAS_TABULAR_CURRENT
  --run "$GP_OTHERS_SKLEARN" $LANAS_SKLEARN_CURRENT
  --run "$GP_OTHERS_BBOB_D5" "$LANAS_D5_S0_9"
  --run "$GP_OTHERS_SYN20" $T/syn20/results.json
  --run "$GP_OTHERS_BBOB_D20" "$LANAS_D20_CURRENT")
# And every sampler over every family, as the `full` suite's own report would rank them: the six
# on every row, GP on the rows where it ran (--where-present; its overall mean over the families
# where it has rows): all_samplers_first, all_samplers_last.
for BUDGET in first last; do
  python overall.py --budget $BUDGET --out $N/with_gp_$BUDGET \
    --samplers $WITH_GP_SAMPLERS "${GP_RUNS[@]}"
  python overall.py --budget $BUDGET --out $N/all_samplers_$BUDGET \
    --samplers lanas tpe cmaes random ng-NGOpt ng-CMA --where-present gp "${GP_RUNS[@]}" \
    --run "$OTHERS_SYN100_S0_9" "$LANAS_SYN100_CURRENT"
done
