# The LaNAS presets on BBOB d = 20 (instances 1-5, seed 0) and the 100-d functions (seeds 0-9),
# ranked with the default and the other samplers (from benchmarks/; see README.md). The
# default's cells are the current code's (../current/bbob_d20_s0, ../current/syn100), the other
# samplers' those of ../overall_runs.sh's OTHERS_BBOB_D20 and OTHERS_SYN100_S0_9, after the
# presets' runs so that the random-search cells are the committed ones. BBOB d = 20's seed 1
# is left out by overall.py: the presets lack it.
set -e
source results/overall_runs.sh
V=$R/variants_stop53
PRESETS="lanas:split=linear lanas:local_solver=turbo lanas:local_solver=uniform"
rank_presets $V bbob_d20 "$PRESETS" "$V/bbob_d20/results.json+$OTHERS_BBOB_D20" \
  $R/current/bbob_d20_s0/results.json
rank_presets $V syn100 "$PRESETS" "$V/syn100/results.json+$V/syn100_s5_9/results.json+$OTHERS_SYN100_S0_9" \
  $R/current/syn100/results.json
