#!/usr/bin/env bash
# The benchmark command (make bench): a fresh database copied from the template with
# crm_action installed, bench/bench.py run against it, figures printed and written to
# bench/REPORT.md, then the database is dropped. BENCH_SCALE=0.05 for a quick run,
# BENCH_SCALE=1 for the issue's volumes (default 0.3: under 10 minutes on an idle laptop).
source "$(dirname "$0")/../scripts/common.sh"
setup_all
ensure_template_db
DB=crm_action_bench_$(date +%Y%m%d_%H%M%S)_$$
RUN_DIR=$(mktemp -d)
cleanup() {
    # Only the database this run created is dropped.
    dropdb --if-exists --force "$DB" >/dev/null 2>&1 || true
    rm -rf "$RUN_DIR"
}
trap cleanup EXIT
CONF=$RUN_DIR/odoo.conf
write_odoo_conf "$CONF" "$(free_port)"
copy_template_db "$DB"
say "installing crm_action into $DB"
odoo_bin -c "$CONF" -d "$DB" -i crm_action --stop-after-init --log-level=warn \
    || die "installing crm_action into $DB failed (see Odoo's log above)"
say "benchmarks at scale ${BENCH_SCALE:-0.3} (BENCH_SCALE; 1 for the issue's volumes)"
"$VENV/bin/python" "$MODULE_DIR/bench/bench.py" -c "$CONF" -d "$DB" --report "${BENCH_REPORT:-$MODULE_DIR/bench/REPORT.md}"
