# The 100-d functions on seeds 0-6 (from benchmarks/; see README.md): the other samplers'
# cells of seeds 0-3 (../overall_runs.sh's OTHERS_SYN100_S0_3) and of this folder, LaNAS's of
# ../separable_steps (seeds 0-3) and of this folder (ca3d472's library: its search).
set -e
source results/overall_runs.sh
H=results/synthetic_d100_seeds4_6
OTHERS="$OTHERS_SYN100_S0_3+$H/others_s4/results.json+$H/seeds5_6/results.json"
LANAS="$R/separable_steps/syn100/results.json+$R/separable_steps/syn100_s23/results.json"
LANAS="$LANAS+$H/lanas_s4/results.json+$H/seeds5_6/results.json"
for BUDGET in first last; do
  python overall.py --budget $BUDGET --out $H/ranks_$BUDGET --run "$OTHERS" "$LANAS"
done
# Every family whole as ../separable_steps/overall_*, the 100-d functions on seeds 0-6
# instead of 0-1.
T=results/stall_turns
for BUDGET in first last; do
  OTHERS_SYN100="$OTHERS" overall_every_family $H/overall_$BUDGET $T/bbob_d5/results.json \
    $T/syn20/results.json "$OTHERS_BBOB_D20" "$LANAS_BBOB_D20_STALL" "$LANAS"
done
