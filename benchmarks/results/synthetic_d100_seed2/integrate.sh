# The 100-d functions ranked on seeds 0-2 (from benchmarks/; see README.md): seeds 0-1 as in
# ../overall_runs.sh (the other samplers of ../synthetic_d100_2seeds and, at 500,
# ../overall/others_at_first; LaNAS of ../whole_space_gated/syn100), seed 2 from this run.
set -e
R=results O=results/overall W=results/whole_space_gated S=results/synthetic_d100_seed2
for B in first last; do
  python overall.py --budget $B --out $S/ranks_$B \
    --run "$R/synthetic_d100_2seeds/results.json+$O/others_at_first/syn100_500.json+$S/results.json" \
    "$W/syn100/results.json+$S/results.json"
done
