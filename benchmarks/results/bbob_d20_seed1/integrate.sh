# The overall tables with BBOB d = 20's second seed on every instance (from benchmarks/; see
# README.md; the lists are ../overall_runs.sh's), and each of instances 1-4 ranked alone.
set -e
source results/overall_runs.sh
S=results/bbob_d20_seed1
for B in first last; do
  python overall.py --budget $B --out $S/overall_$B \
    "${BEFORE_D20[@]}" \
    --run "$OTHERS_BBOB_D20" "$LANAS_BBOB_D20_BEFORE" \
    "${AFTER_D20[@]}"
  for I in 4 3 2 1; do  # other instances: no others, left out
    python overall.py --budget $B --out $S/i${I}_alone_$B \
      --run "$(others_bbob_d20_instance $I)" "$LANAS_BBOB_D20_BEFORE"
  done
done
