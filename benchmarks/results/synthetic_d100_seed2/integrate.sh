# The 100-d functions ranked on seeds 0-2 (from benchmarks/; see README.md): seeds 0-1 as in
# ../overall_runs.sh (the other samplers of ../synthetic_d100_2seeds and, at 500,
# ../overall/others_at_first; LaNAS of ../whole_space_gated/syn100), seed 2 from this run.
set -e
source results/overall_runs.sh
S=results/synthetic_d100_seed2
for B in first last; do
  python overall.py --budget $B --out $S/ranks_$B \
    --run "$OTHERS_SYN100+$S/results.json" \
    "$W/syn100/results.json+$S/results.json"
done
