# The 100-d functions on seeds 0-6 (from benchmarks/; see README.md): the other samplers' cells
# of seeds 0-3 (../overall_runs.sh's OTHERS_SYN100_S0_3) and of this folder, LaNAS's of
# ../separable_steps (seeds 0-3) and of this folder (ca3d472's library: its search); the
# overall tables rank every family whole as ../separable_steps/overall_*, the 100-d functions
# on seeds 0-6 instead of 0-1.
set -e
source results/overall_runs.sh
syn100_tables $H6 "$OTHERS_SYN100_S0_6" "$LANAS_SYN100_S0_6"
