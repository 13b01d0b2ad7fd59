# BBOB d = 5 on seeds 0-5 (stop 50; from benchmarks/, see README.md): seeds 0-2 as the overall
# tables rank them (the other samplers' cells of ../bbob_d5_3seeds_reach and
# ../quadratic_step/bbob_d5_100, LaNAS's of ../stall_turns/bbob_d5), seeds 3-5 this folder's
# run of every sampler but GP; the family's own tables (ranks_first, ranks_last) and every
# family whole with it (overall_first, overall_last; the other families as
# ../synthetic_d100_seeds8_9 ranks them).
set -e
source results/overall_runs.sh
N=$R/bbob_d5_seeds3_5
T=$R/stall_turns
OTHERS_D5_S0_5="$OTHERS_BBOB_D5+$N/results.json"
LANAS_D5_S0_5="$T/bbob_d5/results.json+$N/results.json"
for BUDGET in first last; do
  python overall.py --budget $BUDGET --out $N/ranks_$BUDGET --run "$OTHERS_D5_S0_5" "$LANAS_D5_S0_5"
  OTHERS_BBOB_D5="$OTHERS_D5_S0_5" OTHERS_SYN100="$OTHERS_SYN100_S0_9" overall_every_family \
    $N/overall_$BUDGET "$LANAS_D5_S0_5" $T/syn20/results.json "$OTHERS_BBOB_D20" \
    "$LANAS_BBOB_D20_STALL" "$LANAS_SYN100_S0_9"
done
