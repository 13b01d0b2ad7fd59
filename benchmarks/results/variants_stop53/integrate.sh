# The LaNAS presets on BBOB d = 20 (instances 1-5, seeds 0-1) and the 100-d functions (seeds 0-9),
# ranked with the default and the other samplers (from benchmarks/; see README.md). The
# default's cells are the current code's (../current/bbob_d20_s0 and _s1, ../current/syn100),
# the other samplers' those of ../overall_runs.sh's OTHERS_BBOB_D20 and OTHERS_SYN100_S0_9,
# after the presets' runs so that the random-search cells are the committed ones.
set -e
source results/overall_runs.sh
V=$R/variants_stop53
PRESETS="lanas:split=linear lanas:local_solver=turbo lanas:local_solver=uniform"
D20_OTHERS="$V/bbob_d20/results.json+$V/bbob_d20_s1/results.json+$OTHERS_BBOB_D20"
D20_LANAS="$R/current/bbob_d20_s0/results.json+$R/current/bbob_d20_s1/results.json"
SYN100_OTHERS="$V/syn100/results.json+$V/syn100_s5_9/results.json+$OTHERS_SYN100_S0_9"
SYN100_LANAS=$R/current/syn100/results.json
rank_presets $V bbob_d20 "$PRESETS" "$D20_OTHERS" "$D20_LANAS"
rank_presets $V syn100 "$PRESETS" "$SYN100_OTHERS" "$SYN100_LANAS"
# Per run against the default, and the rows behind random search (README's second table).
python paired_runs.py "$D20_OTHERS" "$D20_LANAS" $PRESETS > $V/pairs_bbob_d20.txt
python paired_runs.py "$SYN100_OTHERS" "$SYN100_LANAS" $PRESETS > $V/pairs_syn100.txt
