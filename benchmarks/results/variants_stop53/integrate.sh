# The LaNAS presets on BBOB d = 20 (instances 1-5, seeds 0-1) and the 100-d functions (seeds 0-9),
# ranked with the default and the other samplers (from benchmarks/; see README.md). The
# default's cells are the current code's (../overall_runs.sh's LANAS_D20_CURRENT, LANAS_SYN100_CURRENT),
# the other samplers' those of ../overall_runs.sh's OTHERS_BBOB_D20 and OTHERS_SYN100_S0_9,
# after the presets' runs so that the random-search cells are the committed ones.
set -e
source results/overall_runs.sh
V=$R/variants_stop53
PRESETS="lanas:split=linear lanas:local_solver=turbo lanas:local_solver=uniform"
D20_OTHERS="$V/bbob_d20/results.json+$V/bbob_d20_s1/results.json+$OTHERS_BBOB_D20"
SYN100_OTHERS="$V/syn100/results.json+$V/syn100_s5_9/results.json+$OTHERS_SYN100_S0_9"
rank_presets $V bbob_d20 "$PRESETS" "$D20_OTHERS" "$LANAS_D20_CURRENT"
rank_presets $V syn100 "$PRESETS" "$SYN100_OTHERS" "$LANAS_SYN100_CURRENT"
# Per run against the default, and the rows behind random search (README's second table).
python paired_runs.py "$D20_OTHERS" "$LANAS_D20_CURRENT" $PRESETS > $V/pairs_bbob_d20.txt
python paired_runs.py "$SYN100_OTHERS" "$LANAS_SYN100_CURRENT" $PRESETS > $V/pairs_syn100.txt
