# The overall tables with BBOB d = 20's second seed on the instances run so far (from
# benchmarks/; see README.md). The reports of instances whose two seeds ran here are pooled after
# their seed-0 reports; overall.py keeps a cell's later copy (the same cached cell).
set -e
source results/overall_runs.sh
N=results/bbob_d20_i5 S=results/bbob_d20_seed1
OTH20="$OTHERS_BBOB_D20_I1_5"
LAN20="$Q/bbob_d20/results.json+$Q/bbob_d20_i4/results.json+$N/lanas/results.json"
for I in 4 3 2 1; do
  if [ -f $S/i${I}_others/results.json ]; then
    OTH20="$OTH20+$S/i${I}_others/results.json"
    LAN20="$LAN20+$S/i${I}_lanas/results.json"
  fi
done
for B in first last; do
  python overall.py --budget $B --out $S/overall_$B \
    "${BEFORE_D20[@]}" \
    --run "$OTH20" "$LAN20" \
    "${AFTER_D20[@]}"
  for I in 4 3 2 1; do
    if [ -f $S/i${I}_others/results.json ]; then
      ALONE=$S/i${I}_others/results.json  # both seeds, but instance 1's: seed 1 only
      [ $I = 1 ] && ALONE="$R/bbob_d20_all_i1/results.json+$O/others_at_first/bbob_d20_i1_400.json+$ALONE"
      python overall.py --budget $B --out $S/i${I}_alone_$B \
        --run "$ALONE" "$LAN20"  # other instances: no others, left out
    fi
  done
done
