# The overall tables before and after the best-point rule (from benchmarks/; see README.md).
# Each family's LaNAS cells of the code before (as in ../overall_runs.sh) or of the new code
# (this folder), ranked among the same cells of the other samplers. BBOB d = 20: instances 1-3,
# seed 0 (the rows the new code ran; the other rows are left out of both tables).
set -e
R=results O=results/overall W=results/whole_space_gated Q=results/quadratic_wide
B=results/best_point_good
OTH20="$R/bbob_d20_all_i1/results.json+$O/others_at_first/bbob_d20_i1_400.json+$O/bbob_d20_i2/results.json+$Q/bbob_d20_i3_others/results.json"
overall() { # OUT SKLEARN BBOB_D5 SYN20 BBOB_D20 SYN100 (LaNAS cells)
  python overall.py --budget $BUDGET --out $1 \
    --run $O/tabular30_all/results.json $O/tabular30_all/results.json \
    --run $R/sklearn_10seeds_reach/results.json $2 \
    --run "$R/bbob_d5_3seeds_reach/results.json+$R/quadratic_step/bbob_d5_100/new.json" $3 \
    --run $O/syn20_all/results.json $4 \
    --run "$OTH20" $5 \
    --run "$R/synthetic_d100_2seeds/results.json+$O/others_at_first/syn100_500.json" $6
}
for BUDGET in first last; do
  overall $B/overall_before_$BUDGET $W/sklearn/results.json $W/bbob_d5/results.json \
    $Q/syn20/results.json $Q/bbob_d20/results.json $W/syn100/results.json
  overall $B/overall_after_$BUDGET $B/sklearn/results.json $B/bbob_d5/results.json \
    $B/syn20/results.json $B/bbob_d20/results.json $B/syn100/results.json
done
