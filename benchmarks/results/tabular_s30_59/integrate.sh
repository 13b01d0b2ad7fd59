# The tabular families (NAS-Bench-201, HPOBench, HPOLib) on seeds 0-59, from benchmarks/ (see
# README.md): seeds 30-59 of every sampler from this folder's run of the suite, seeds 0-29 of
# the six samplers but GP from ../overall/tabular30_all and GP's from its own runs
# (../overall_runs.sh's TABULAR_S0_59, GP_OTHERS_TABULAR_S0_59).
set -e
source results/overall_runs.sh
S=$R/tabular_s30_59
PRESETS="lanas:split=kernel lanas:split=linear lanas:local_solver=turbo lanas:local_solver=uniform"
for BUDGET in first last; do
  # The six samplers of the overall tables, and the seven with GP, on seeds 0-59.
  python overall.py --budget $BUDGET --out $S/six_$BUDGET --run "$TABULAR_S0_59" "$TABULAR_S0_59"
  python overall.py --budget $BUDGET --out $S/with_gp_$BUDGET --samplers $WITH_GP_SAMPLERS \
    --run "$GP_OTHERS_TABULAR_S0_59" "$TABULAR_S0_59"
  # This run's seeds alone (seeds 0-29: ../gp_tabular_s10_29/with_gp_*).
  python overall.py --budget $BUDGET --out $S/s30_59_$BUDGET --samplers $WITH_GP_SAMPLERS \
    --run $S/results.json $S/results.json
done
# The LaNAS presets with the default and every other sampler, on this run's seeds 30-59 (their
# cells of seeds 0-9, ../variants_stop48, are older code's).
rank_presets $S presets "$PRESETS" $S/results.json $S/results.json
# Per run: GP's regret against LaNAS's, and the presets' against the default's.
python paired_runs.py "$GP_OTHERS_TABULAR_S0_59" "$TABULAR_S0_59" gp > $S/gp_against_lanas.txt
python paired_runs.py $S/results.json $S/results.json $PRESETS > $S/presets_against_lanas.txt
