# The 100-d functions ranked on seeds 0-3 with the LaNAS cells of the code before the stall
# turns (from benchmarks/; see README.md): seeds 0-2 as in ../synthetic_d100_seed2/integrate.sh,
# seed 3 from this run (every sampler, LaNAS of c4766f4's library).
set -e
source results/overall_runs.sh
S2=results/synthetic_d100_seed2 S3=results/synthetic_d100_seed3
for B in first last; do
  python overall.py --budget $B --out $S3/ranks_$B \
    --run "$OTHERS_SYN100+$S2/results.json+$S3/results.json" \
    "$W/syn100/results.json+$S2/results.json+$S3/results.json"
done
