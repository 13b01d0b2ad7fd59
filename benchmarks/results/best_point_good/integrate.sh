# The overall tables before and after the best-point rule (from benchmarks/; see README.md).
# Each family's LaNAS cells of the code before (as in ../overall_runs.sh) or of the new code
# (this folder), ranked among the same cells of the other samplers. BBOB d = 20: instances 1-3,
# seed 0 (the rows the new code ran; the other rows are left out of both tables).
set -e
source results/overall_runs.sh
B=results/best_point_good
overall() { # OUT SKLEARN BBOB_D5 SYN20 BBOB_D20 SYN100 (LaNAS cells)
  python overall.py --budget $BUDGET --out $1 \
    --run $OTHERS_TABULAR $O/tabular30_all/results.json \
    --run $OTHERS_SKLEARN $2 \
    --run "$OTHERS_BBOB_D5" $3 \
    --run $OTHERS_SYN20 $4 \
    --run "$OTHERS_BBOB_D20_I1_3" $5 \
    --run "$OTHERS_SYN100" $6
}
for BUDGET in first last; do
  overall $B/overall_before_$BUDGET $W/sklearn/results.json $W/bbob_d5/results.json \
    $Q/syn20/results.json $Q/bbob_d20/results.json $W/syn100/results.json
  overall $B/overall_after_$BUDGET $B/sklearn/results.json $B/bbob_d5/results.json \
    $B/syn20/results.json $B/bbob_d20/results.json $B/syn100/results.json
done
