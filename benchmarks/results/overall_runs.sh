# The overall tables' runs of every family but BBOB d = 20 (sourced by the integrate.sh scripts
# of results/bbob_d20_i5 and results/bbob_d20_seed1, run from benchmarks/): ``overall.py``
# takes ${BEFORE_D20[@]} --run OTHERS20 LANAS20 ${AFTER_D20[@]}, in the suite's family order.
R=results O=results/overall W=results/whole_space_gated Q=results/quadratic_wide
BEFORE_D20=(
  --run $O/tabular30_all/results.json $O/tabular30_all/results.json
  --run $R/sklearn_10seeds_reach/results.json $W/sklearn/results.json
  --run "$R/bbob_d5_3seeds_reach/results.json+$R/quadratic_step/bbob_d5_100/new.json" $W/bbob_d5/results.json
  --run $O/syn20_all/results.json $Q/syn20/results.json
)
AFTER_D20=(
  --run "$R/synthetic_d100_2seeds/results.json+$O/others_at_first/syn100_500.json" $W/syn100/results.json
)
