# The overall tables' runs of every family but BBOB d = 20 (sourced by the integrate.sh scripts
# of results/bbob_d20_i5, bbob_d20_seed1, best_point_good, synthetic_d100_seed2, synthetic_d100_seed3,
# stall_turns, separable_steps, synthetic_d100_seeds4_6, synthetic_d100_seeds8_9, variants_stop48
# and variants_stop49, run from benchmarks/): ``overall.py``
# takes ${BEFORE_D20[@]} --run OTHERS20 LANAS20 ${AFTER_D20[@]}, in the suite's family order.
# BEFORE_D20 and AFTER_D20 hold the LaNAS cells of the code before the stalled turns (stop 45);
# the current code's continuous families are in results/stall_turns (its integrate.sh), its
# 100-d functions in results/separable_steps.
R=results O=results/overall W=results/whole_space_gated Q=results/quadratic_wide
# The other samplers' cells of each family (LaNAS's come second in each --run).
OTHERS_TABULAR=$O/tabular30_all/results.json
OTHERS_SKLEARN=$R/sklearn_10seeds_reach/results.json
OTHERS_BBOB_D5="$R/bbob_d5_3seeds_reach/results.json+$R/quadratic_step/bbob_d5_100/new.json"
OTHERS_SYN20=$O/syn20_all/results.json
OTHERS_BBOB_D20_I1_3="$R/bbob_d20_all_i1/results.json+$O/others_at_first/bbob_d20_i1_400.json+$O/bbob_d20_i2/results.json+$Q/bbob_d20_i3_others/results.json"
OTHERS_BBOB_D20_I1_5="$OTHERS_BBOB_D20_I1_3+$Q/bbob_d20_i4_others/results.json+$R/bbob_d20_i5/others/results.json"
OTHERS_SYN100="$R/synthetic_d100_2seeds/results.json+$O/others_at_first/syn100_500.json"
# BBOB d = 20 whole (instances 1-5, seeds 0 and 1): the other samplers' cells, the LaNAS cells
# of the code before the stalled turns, and one instance's other samplers alone. Seed 1's
# reports come after seed 0's: overall.py keeps a cell's later copy (the same cached cell).
D20_I5=$R/bbob_d20_i5 D20_S1=$R/bbob_d20_seed1
OTHERS_BBOB_D20="$OTHERS_BBOB_D20_I1_5"
LANAS_BBOB_D20_BEFORE="$Q/bbob_d20/results.json+$Q/bbob_d20_i4/results.json+$D20_I5/lanas/results.json"
for D20_I in 4 3 2 1; do
  OTHERS_BBOB_D20="$OTHERS_BBOB_D20+$D20_S1/i${D20_I}_others/results.json"
  LANAS_BBOB_D20_BEFORE="$LANAS_BBOB_D20_BEFORE+$D20_S1/i${D20_I}_lanas/results.json"
done
others_bbob_d20_instance() { # I: instance I's other samplers, both seeds
  case $1 in
    1) echo "$R/bbob_d20_all_i1/results.json+$O/others_at_first/bbob_d20_i1_400.json+$D20_S1/i1_others/results.json" ;;
    5) echo "$D20_I5/others/results.json" ;;
    *) echo "$D20_S1/i$1_others/results.json" ;;
  esac
}
BEFORE_D20=(
  --run $OTHERS_TABULAR $O/tabular30_all/results.json
  --run $OTHERS_SKLEARN $W/sklearn/results.json
  --run "$OTHERS_BBOB_D5" $W/bbob_d5/results.json
  --run $OTHERS_SYN20 $Q/syn20/results.json
)
AFTER_D20=(
  --run "$OTHERS_SYN100" $W/syn100/results.json
)
# The 100-d functions' other samplers on seeds 0-3.
OTHERS_SYN100_S0_3="$OTHERS_SYN100+$R/synthetic_d100_seed2/results.json+$R/synthetic_d100_seed3/results.json"
# The 100-d functions on seeds 0-6 (stop 47): the other samplers' cells, and LaNAS's with the
# separable quadratic steps (results/separable_steps on seeds 0-3, ca3d472's library on 4-6).
H6=$R/synthetic_d100_seeds4_6
OTHERS_SYN100_S0_6="$OTHERS_SYN100_S0_3+$H6/others_s4/results.json+$H6/seeds5_6/results.json"
LANAS_SYN100_S0_6="$R/separable_steps/syn100/results.json+$R/separable_steps/syn100_s23/results.json"
LANAS_SYN100_S0_6="$LANAS_SYN100_S0_6+$H6/lanas_s4/results.json+$H6/seeds5_6/results.json"
# The 100-d functions on seeds 0-9 (stop 48): seed 7 and seeds 8-9 of every sampler on both sides.
SYN100_S7_9="$R/synthetic_d100_seed7/results.json+$R/synthetic_d100_seeds8_9/results.json"
OTHERS_SYN100_S0_9="$OTHERS_SYN100_S0_6+$SYN100_S7_9"
LANAS_SYN100_S0_9="$LANAS_SYN100_S0_6+$SYN100_S7_9"
# The LaNAS cells of BBOB d = 20 whole with the stall turns (results/stall_turns, stops 45-46).
LANAS_BBOB_D20_STALL="$R/stall_turns/bbob_d20/results.json"
for D20_PART in bbob_d20_i4 bbob_d20_i5 bbob_d20_s1_i1 bbob_d20_s1_i2 bbob_d20_s1_i3 bbob_d20_s1_i4 bbob_d20_s1_i5; do
  LANAS_BBOB_D20_STALL="$LANAS_BBOB_D20_STALL+$R/stall_turns/$D20_PART/results.json"
done
overall_every_family() { # OUT BBOB_D5 SYN20 OTHERS_D20 LANAS_D20 SYN100: LaNAS cells but OTHERS_D20
  # (the tabular families' and scikit-learn's: $LANAS_TABULAR and $LANAS_SKLEARN, by default
  # those of the code before 858f382 on seeds 0-29 and 0-9)
  python overall.py --budget $BUDGET --out $1 \
    --run "$OTHERS_TABULAR" "${LANAS_TABULAR:-$O/tabular30_all/results.json}" \
    --run $OTHERS_SKLEARN "${LANAS_SKLEARN:-$W/sklearn/results.json}" \
    --run "$OTHERS_BBOB_D5" $2 \
    --run $OTHERS_SYN20 $3 \
    --run "$4" "$5" \
    --run "$OTHERS_SYN100" $6
}
# DIR OTHERS LANAS: the 100-d functions' tables of these cells (DIR/ranks_first, ranks_last) and
# every family whole with them (DIR/overall_first, overall_last; the other families as
# results/stall_turns ranks them).
syn100_tables() {
  for BUDGET in first last; do
    python overall.py --budget $BUDGET --out $1/ranks_$BUDGET --run "$2" "$3"
  done
  local T=$R/stall_turns
  for BUDGET in first last; do
    OTHERS_SYN100="$2" overall_every_family $1/overall_$BUDGET $T/bbob_d5/results.json \
      $T/syn20/results.json "$OTHERS_BBOB_D20" "$LANAS_BBOB_D20_STALL" "$3"
  done
}
# DIR NAME "PRESETS" OTHERS LANAS: the LaNAS presets ranked with the default (LANAS's cells) and
# the other samplers but GP (OTHERS's), DIR/NAME_first and DIR/NAME_last (results/variants_stop48
# and results/variants_stop49).
rank_presets() {
  for BUDGET in first last; do
    python overall.py --budget $BUDGET --samplers lanas $3 tpe cmaes random ng-NGOpt ng-CMA \
      --out $1/$2_$BUDGET --run "$4" "$5"
  done
}
# BBOB d = 5 on seeds 0-9 (stops 50-51): seeds 0-2 (LaNAS results/stall_turns, the others as the
# overall tables had them), 3-5 (results/bbob_d5_seeds3_5), 6-8 and 9 (results/current) of every
# sampler but GP. Used by results/current/integrate.sh and (in GP_OTHERS_BBOB_D5 below)
# results/gp_bbob_d5_500/integrate.sh.
D5_S3_5=$R/bbob_d5_seeds3_5/results.json
D5_S6_9="$R/current/bbob_d5_s6_8/results.json+$R/current/bbob_d5_s9/results.json"
OTHERS_D5_S0_9="$OTHERS_BBOB_D5+$D5_S3_5+$D5_S6_9"
LANAS_D5_S0_9="$R/stall_turns/bbob_d5/results.json+$D5_S3_5+$D5_S6_9"
# The current code's LaNAS cells of BBOB d = 20 (seeds 0-1, stop 52) and the 100-d functions
# (seeds 0-9 rerun at 2,000, stop 51), run in results/current; used by its integrate.sh and by
# results/variants_stop53 and results/gp_bbob_d20_400.
LANAS_D20_CURRENT="$R/current/bbob_d20_s0/results.json+$R/current/bbob_d20_s1/results.json"
LANAS_SYN100_CURRENT=$R/current/syn100/results.json
# GPSampler's cells, where they exist (stop 58): the tabular families on seeds 0-29
# (results/gp_tabular_s10_29 on 10-29), scikit-learn and the 20-d functions (seeds 0-9, the
# latter at 200), BBOB d = 5 at 100 (every instance, seeds 0-1) and at 500 (every instance, seeds
# 0-1, results/gp_bbob_d5_500 and its instance2/-instance5/; the same searches at 100) and BBOB
# d = 20 at 400 (every instance, seeds 0-1; all but instance 1's seed 0 in
# results/gp_bbob_d20_400). Used by the integrate.sh of results/current (with_gp_*),
# gp_tabular_s10_29, gp_bbob_d5_500 and gp_bbob_d20_400 through the GP_OTHERS_* below.
GP_TABULAR="$R/gp_tabular_s10_29/results.json+$R/nas201_gp_10seeds/results.json+$R/tabular_gp_10seeds/results.json"
GP_SKLEARN=$R/sklearn_gp_10seeds/results.json
GP_SYN20=$R/synthetic_d20_gp_10seeds/results.json
GP_BBOB_D5="$R/gp_bbob_d5_100/results.json+$R/gp_bbob_d5_100/seed1/results.json+$R/gp_bbob_d5_500/results.json+$R/gp_bbob_d5_500/instance2/results.json+$R/gp_bbob_d5_500/instance3/results.json+$R/gp_bbob_d5_500/instance4/results.json+$R/gp_bbob_d5_500/instance5/results.json"
GP_BBOB_D20="$R/bbob_d20_current_i1/gp/results.json+$R/gp_bbob_d20_400/results.json+$R/gp_bbob_d20_400/instance2/results.json+$R/gp_bbob_d20_400/instance3_s0/results.json+$R/gp_bbob_d20_400/instance3_s1/results.json+$R/gp_bbob_d20_400/instance4/results.json+$R/gp_bbob_d20_400/instance5/results.json"
# The seven samplers ranked wherever GP has cells (results/current's with_gp_*, the GP folders).
WITH_GP_SAMPLERS="lanas tpe gp cmaes random ng-NGOpt ng-CMA"
# DIR BUDGET OTHERS LANAS: GP's BBOB runs (OTHERS's) against LaNAS's (LANAS's), run by run
# (DIR/gp_against_lanas.txt), and each instance's rows alone at BUDGET (first|last), ranked and
# run by run (DIR/by_instance/iN): results/gp_bbob_d5_500 and results/gp_bbob_d20_400.
gp_bbob_against_lanas() {
  python paired_runs.py "$3" "$4" gp > $1/gp_against_lanas.txt
  for I in 1 2 3 4 5; do
    python overall.py --budget $2 --samplers $WITH_GP_SAMPLERS --bbob-instance $I \
      --out $1/by_instance/i$I --run "$3" "$4" > /dev/null
    python paired_runs.py "$3" "$4" gp --bbob-instance $I > $1/by_instance/i$I/gp_against_lanas.txt
  done
}
# The tabular families on seeds 0-59 (stop 59): seeds 0-29 of every sampler but GP (LaNAS
# included) from results/overall/tabular30_all, seeds 30-59 of every sampler, GP and the LaNAS
# presets included, from one run of the suite (results/tabular_s30_59). Used by the
# integrate.sh of results/current and results/tabular_s30_59, as OTHERS and as LANAS.
TABULAR_S0_59="$OTHERS_TABULAR+$R/tabular_s30_59/results.json"
# The current code's LaNAS cells (stop 59, 858f382: whole-space turns on the grids too) of the
# tabular families (seeds 0-59) and scikit-learn (seeds 0-9), run in results/grid_turns. The
# other families' spaces all have a continuous coordinate, where 858f382 changes nothing.
LANAS_TABULAR_CURRENT=$R/grid_turns/tabular/results.json
LANAS_SKLEARN_CURRENT=$R/grid_turns/sklearn/results.json
# Each family's OTHERS with GP's cells: GP's runs first, so that the other samplers' committed
# cells (random search's included) replace those of GP's runs.
GP_OTHERS_TABULAR="$GP_TABULAR+$OTHERS_TABULAR"
GP_OTHERS_TABULAR_S0_59="$GP_TABULAR+$TABULAR_S0_59"
GP_OTHERS_SKLEARN="$GP_SKLEARN+$OTHERS_SKLEARN"
GP_OTHERS_SYN20="$GP_SYN20+$OTHERS_SYN20"
GP_OTHERS_BBOB_D5="$GP_BBOB_D5+$OTHERS_D5_S0_9"
GP_OTHERS_BBOB_D20="$GP_BBOB_D20+$OTHERS_BBOB_D20"
