# HPOBench on seeds 60-119, LaNAS (c559108's library, 858f382's search) and random search, from
# benchmarks/ (see README.md): LaNAS against random search per problem on seeds 0-59 (the
# tables' cells: ../overall_runs.sh's TABULAR_S0_59 and LANAS_TABULAR_CURRENT), on this run's
# seeds and on both.
set -e
source results/overall_runs.sh
H=$R/hpobench_s60_119
python $H/against_random.py "$TABULAR_S0_59+$H/results.json" "$LANAS_TABULAR_CURRENT+$H/results.json" \
  0-59 60-119 0-119 > $H/against_random.md
