# The LaNAS presets on the scikit-learn family (seeds 0-9) and BBOB d = 5 (instances 1-5, seeds
# 0-2), ranked with the default and the other samplers (from benchmarks/; see README.md). The
# default's cells are the current code's (../whole_space_gated/sklearn, ../stall_turns/bbob_d5),
# the other samplers' those of ../overall_runs.sh's OTHERS_SKLEARN and OTHERS_BBOB_D5, after the
# presets' runs so that the random-search cells are the committed ones.
set -e
source results/overall_runs.sh
V=$R/variants_stop49
rank_presets $V sklearn \
  "lanas:split=kernel lanas:split=linear lanas:local_solver=turbo lanas:local_solver=uniform" \
  "$V/sklearn/results.json+$OTHERS_SKLEARN" $W/sklearn/results.json
rank_presets $V bbob_d5 "lanas:split=linear lanas:local_solver=turbo lanas:local_solver=uniform" \
  "$V/bbob_d5/results.json+$OTHERS_BBOB_D5" $R/stall_turns/bbob_d5/results.json
