# The overall tables with separable quadratic steps (from benchmarks/; see README.md): every
# family whole as ../stall_turns/overall_after_*, with this folder's LaNAS cells of the 100-d
# functions (the only family the change reaches); and the 100-d family on seeds 0-3.
set -e
source results/overall_runs.sh
T=results/stall_turns S=results/separable_steps
for BUDGET in first last; do
  overall_every_family $S/overall_$BUDGET $T/bbob_d5/results.json $T/syn20/results.json \
    "$OTHERS_BBOB_D20" "$LANAS_BBOB_D20_STALL" $S/syn100/results.json
  python overall.py --budget $BUDGET --out $S/syn100_4seeds_$BUDGET \
    --run "$OTHERS_SYN100_S0_3" "$S/syn100/results.json+$S/syn100_s23/results.json"
done
