# The overall tables before and after the stall turns (from benchmarks/; see README.md). Each
# family's LaNAS cells of the code before (../overall_runs.sh's lists) or of the stall turns
# (this folder), ranked among the same cells of the other samplers. Scikit-learn (128 evaluations) and the tabular families (no
# continuous coordinate) never reach a stall turn: their cells are the same on both sides.
set -e
source results/overall_runs.sh
# overall_every_family, LANAS_BBOB_D20_STALL (BBOB d = 20 whole, instances 1-5 and seeds 0-1,
# with the rule) and OTHERS_SYN100_S0_3 are overall_runs.sh's.
T=results/stall_turns
overall() { overall_every_family "$@"; }
AFTER20="$LANAS_BBOB_D20_STALL"
for BUDGET in first last; do
  # The A/B: BBOB d = 20 on instances 1-3, seed 0 (the rows run first).
  overall $T/ab_before_$BUDGET $W/bbob_d5/results.json $Q/syn20/results.json \
    "$OTHERS_BBOB_D20_I1_3" $Q/bbob_d20/results.json $W/syn100/results.json
  overall $T/ab_after_$BUDGET $T/bbob_d5/results.json $T/syn20/results.json \
    "$OTHERS_BBOB_D20_I1_3" $T/bbob_d20/results.json $T/syn100/results.json
  # Every family whole, as ../bbob_d20_seed1's overall tables.
  overall $T/overall_before_$BUDGET $W/bbob_d5/results.json $Q/syn20/results.json \
    "$OTHERS_BBOB_D20" "$LANAS_BBOB_D20_BEFORE" $W/syn100/results.json
  overall $T/overall_after_$BUDGET $T/bbob_d5/results.json $T/syn20/results.json \
    "$OTHERS_BBOB_D20" "$AFTER20" $T/syn100/results.json
  # BBOB d = 20 instance by instance (its other samplers only: the other instances are left out).
  for I in 1 2 3 4 5; do
    ALONE=$(others_bbob_d20_instance $I)
    python overall.py --budget $BUDGET --out $T/i${I}_before_$BUDGET --run "$ALONE" "$LANAS_BBOB_D20_BEFORE"
    python overall.py --budget $BUDGET --out $T/i${I}_after_$BUDGET --run "$ALONE" "$AFTER20"
  done
done
# The 100-d functions on seeds 0-3 (the other samplers' seeds 2 and 3 from
# ../synthetic_d100_seed2 and ../synthetic_d100_seed3; the code before: ../synthetic_d100_seed3).
for BUDGET in first last; do
  python overall.py --budget $BUDGET --out $T/syn100_4seeds_$BUDGET \
    --run "$OTHERS_SYN100_S0_3" \
    "$T/syn100/results.json+$T/syn100_s23/results.json"
done
