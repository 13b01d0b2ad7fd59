# GPSampler on the tabular families' seeds 10-29 (this folder's run) with its seeds 0-9
# (../nas201_gp_10seeds, ../tabular_gp_10seeds): NAS-Bench-201, HPOBench and HPOLib ranked among
# seven samplers, GP included, on all 30 seeds (from benchmarks/; see README.md). The other
# samplers' and LaNAS's cells are the overall tables' (../overall/tabular30_all), pooled with
# GP's as ../overall_runs.sh's GP_OTHERS_TABULAR.
set -e
source results/overall_runs.sh
G=$R/gp_tabular_s10_29
for BUDGET in first last; do
  python overall.py --budget $BUDGET --samplers lanas tpe cmaes random ng-NGOpt ng-CMA gp \
    --out $G/with_gp_$BUDGET --run "$GP_OTHERS_TABULAR" $O/tabular30_all/results.json
done
# GP's regret against LaNAS's per run (lower / higher / equal, paired z) at the first and last
# budget of each family.
python paired_runs.py "$GP_OTHERS_TABULAR" $O/tabular30_all/results.json gp \
  > $G/gp_against_lanas.txt
