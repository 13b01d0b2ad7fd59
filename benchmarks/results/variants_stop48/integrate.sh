# The LaNAS presets ranked with the default and the other samplers (from benchmarks/; see
# README.md): the tabular families on seeds 0-9 (the presets' runs here; every other sampler
# and the default from ../overall/tabular30_all, seeds 10-29 left out), the 20-d functions on
# seeds 0-9 (the default's cells of ../stall_turns/syn20 among ../overall_runs.sh's OTHERS_SYN20).
set -e
source results/overall_runs.sh
V=$R/variants_stop48
S="lanas lanas:split=kernel lanas:local_solver=turbo lanas:local_solver=uniform tpe cmaes random ng-NGOpt ng-CMA"
for BUDGET in first last; do
  python overall.py --budget $BUDGET --samplers $S --out $V/tabular_$BUDGET \
    --run "$OTHERS_TABULAR+$V/tabular/results.json+$V/tabular_fixed/results.json" $O/tabular30_all/results.json
done
S="lanas lanas:split=linear lanas:local_solver=turbo lanas:local_solver=uniform tpe cmaes random ng-NGOpt ng-CMA"
for BUDGET in first last; do
  python overall.py --budget $BUDGET --samplers $S --out $V/syn20_$BUDGET \
    --run "$OTHERS_SYN20+$V/syn20/results.json" $R/stall_turns/syn20/results.json
done
