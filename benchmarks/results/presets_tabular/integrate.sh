# The LaNAS presets on the tabular families, seeds 0-59, c559108's library (858f382's search),
# from benchmarks/ (see README.md): ranked with the default (858f382's cells,
# ../overall_runs.sh's LANAS_TABULAR_CURRENT) and the other samplers but GP (TABULAR_S0_59, whose
# older preset cells this run's replace), and each preset against the default run by run.
set -e
source results/overall_runs.sh
P=$R/presets_tabular
PRESETS="lanas:split=kernel lanas:split=linear lanas:local_solver=turbo lanas:local_solver=uniform"
rank_presets $P presets "$PRESETS" "$TABULAR_S0_59+$P/results.json" $LANAS_TABULAR_CURRENT
python paired_runs.py "$TABULAR_S0_59+$P/results.json" $LANAS_TABULAR_CURRENT $PRESETS \
  > $P/presets_against_lanas.txt
