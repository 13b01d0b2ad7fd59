# A probe, not kept (README.md): the plug-in incumbent in expected improvement, the tabular
# families on seeds 0-59, from benchmarks/: its LaNAS cells against 858f382's run by run, and
# ranked with the six samplers (../overall_runs.sh's TABULAR_S0_59) at both budgets.
set -e
source results/overall_runs.sh
P=$R/plugin_incumbent
python old_new.py $LANAS_TABULAR_CURRENT $P/results.json > $P/against_858f382.md
for BUDGET in first last; do
  python overall.py --budget $BUDGET --out $P/tabular_$BUDGET --run "$TABULAR_S0_59" $P/results.json
done
