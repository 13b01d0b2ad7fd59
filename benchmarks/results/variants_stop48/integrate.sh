# The LaNAS presets ranked with the default and the other samplers (from benchmarks/; see
# README.md): the tabular families on seeds 0-9 (the presets' runs here; every other sampler
# and the default from ../overall/tabular30_all, seeds 10-29 left out), the 20-d functions on
# seeds 0-9 (the default's cells of ../stall_turns/syn20 among ../overall_runs.sh's OTHERS_SYN20).
set -e
source results/overall_runs.sh
V=$R/variants_stop48
rank_presets $V tabular "lanas:split=kernel lanas:local_solver=turbo lanas:local_solver=uniform" \
  "$OTHERS_TABULAR+$V/tabular/results.json+$V/tabular_fixed/results.json" $O/tabular30_all/results.json
rank_presets $V syn20 "lanas:split=linear lanas:local_solver=turbo lanas:local_solver=uniform" \
  "$OTHERS_SYN20+$V/syn20/results.json" $R/stall_turns/syn20/results.json
