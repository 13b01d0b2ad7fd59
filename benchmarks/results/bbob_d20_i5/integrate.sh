# The overall tables with BBOB d = 20 on instances 1-5 (run from benchmarks/; see README.md).
set -e
source results/overall_runs.sh
N=results/bbob_d20_i5
OTH20="$OTHERS_BBOB_D20_I1_5"
LAN20="$Q/bbob_d20/results.json+$Q/bbob_d20_i4/results.json+$N/lanas/results.json"
for B in first last; do
  python overall.py --budget $B --out $N/overall_i1-5_$B \
    "${BEFORE_D20[@]}" \
    --run "$OTH20" "$LAN20" \
    "${AFTER_D20[@]}"
  python overall.py --budget $B --out $N/i5_alone_$B --run $N/others/results.json $N/lanas/results.json
done
