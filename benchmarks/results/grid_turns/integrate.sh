# The current code's LaNAS cells (858f382: whole-space turns on the grids too) of the families
# whose spaces it changes, ranked with the other samplers, and against the code before (from
# benchmarks/: bash results/grid_turns/integrate.sh; see README.md). The tabular families on
# seeds 0-59 (the other samplers: ../overall_runs.sh's TABULAR_S0_59; with GP,
# GP_OTHERS_TABULAR_S0_59), scikit-learn on seeds 0-9 (OTHERS_SKLEARN, GP_OTHERS_SKLEARN).
set -e
source results/overall_runs.sh
G=$R/grid_turns
for BUDGET in first last; do
  python overall.py --budget $BUDGET --out $G/tabular_$BUDGET \
    --run "$TABULAR_S0_59" $LANAS_TABULAR_CURRENT
  python overall.py --budget $BUDGET --out $G/tabular_with_gp_$BUDGET --samplers $WITH_GP_SAMPLERS \
    --run "$GP_OTHERS_TABULAR_S0_59" $LANAS_TABULAR_CURRENT
done
# scikit-learn has one budget (128): its first and last tables would be the same.
python overall.py --out $G/sklearn --run $OTHERS_SKLEARN $LANAS_SKLEARN_CURRENT
python overall.py --out $G/sklearn_with_gp --samplers $WITH_GP_SAMPLERS \
  --run "$GP_OTHERS_SKLEARN" $LANAS_SKLEARN_CURRENT
# Old against new, run by run: at every budget on the tabular families (the old cells: seeds
# 0-29 of ../overall/tabular30_all, 30-59 of ../tabular_s30_59), and at 128 on scikit-learn
# (../pairs_ab/compare.py, which puts both runs on a common floor).
python old_new.py "$TABULAR_S0_59" $LANAS_TABULAR_CURRENT > $G/old_new_tabular.md
(cd $R/pairs_ab && python compare.py --pair ../whole_space_gated/sklearn/results.json \
  ../grid_turns/sklearn/results.json) > $G/old_new_sklearn.txt
# The probe of a variant, not kept (README.md, "A variant: turns on the grids only while
# stalled"): its cells against 858f382's and against the code before.
python old_new.py $LANAS_TABULAR_CURRENT $G/stalled_only/results.json \
  > $G/stalled_only/against_858f382.md
python old_new.py "$TABULAR_S0_59" $G/stalled_only/results.json > $G/stalled_only/against_520447d.md
# The second probe, not kept (README.md, "A second variant: turns while stalled for half the
# observations"): its cells against 858f382's and against the code before.
python old_new.py $LANAS_TABULAR_CURRENT $G/stalled_half/results.json \
  > $G/stalled_half/against_858f382.md
python old_new.py "$TABULAR_S0_59" $G/stalled_half/results.json > $G/stalled_half/against_520447d.md
# Its ranks with the other samplers at 200 (the six samplers' tables, its cells for LaNAS's).
python overall.py --budget last --out $G/stalled_half/tabular_last \
  --run "$TABULAR_S0_59" $G/stalled_half/results.json
# How much of the tabular regret is the noise's (README.md, "The noise"): every sampler's
# cells of seeds 0-59, GP's included, the default's from 858f382.
python $G/noise.py "$GP_OTHERS_TABULAR_S0_59" $LANAS_TABULAR_CURRENT > $G/noise.md
