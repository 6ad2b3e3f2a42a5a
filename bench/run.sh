#!/usr/bin/env bash
# The benchmark command (make bench): a fresh database copied from the template with
# crm_action installed, bench/bench.py run against it, figures printed and written to
# bench/REPORT.md, then the database is dropped. BENCH_SCALE=0.05 for a quick run,
# BENCH_SCALE=1 for the issue's volumes (default 0.3: under 10 minutes on an idle laptop).
source "$(dirname "$0")/../scripts/common.sh"
setup_all
throwaway_db bench
install_module
say "benchmarks at scale ${BENCH_SCALE:-0.3} (BENCH_SCALE; 1 for the issue's volumes)"
"$VENV/bin/python" "$MODULE_DIR/bench/bench.py" -c "$CONF" -d "$DB" --report "${BENCH_REPORT:-$MODULE_DIR/bench/REPORT.md}"
