#!/usr/bin/env bash
# Odoo's own crm, sale_crm, sale_stock and stock test suites, run twice on copies of the
# same template database: without crm_action (the baseline) and with it. A test that
# fails only with crm_action installed is one the module broke; the command fails then.
# Long (tens of minutes): not part of the test command. Other tags: first argument.
source "$(dirname "$0")/common.sh"
TAGS=${1:-/crm,/sale_crm,/sale_stock,/stock}
setup_all
ensure_template_db
STAMP=$(date +%Y%m%d_%H%M%S)_$$
RUN_DIR=$(mktemp -d)
DBS=()
cleanup() {
    for db in "${DBS[@]}"; do dropdb --if-exists --force "$db" >/dev/null 2>&1 || true; done
    rm -rf "$RUN_DIR"
}
trap cleanup EXIT
write_odoo_conf "$RUN_DIR/odoo.conf" "$(free_port)"
MODULES=$(echo "$TAGS" | tr -d '/' )

# Runs the suites on a fresh copy of the template; $2 = extra module to install first.
run_suites() {
    local label=$1 extra=$2 db=crm_action_suites_${1}_$STAMP log=$DATA_DIR/odoo-suites-$1-$STAMP.log
    DBS+=("$db")
    copy_template_db "$db"
    if [ -n "$extra" ]; then
        odoo_bin -c "$RUN_DIR/odoo.conf" -d "$db" -i "$extra" --stop-after-init --log-level=warn \
            || die "installing $extra into $db failed"
    fi
    say "$label: Odoo's tests tagged $TAGS (log: $log)"
    odoo_bin -c "$RUN_DIR/odoo.conf" -d "$db" -u "$MODULES" --test-enable --test-tags "$TAGS" \
        --stop-after-init --log-level=test > "$log" 2>&1 || true
    grep -E "odoo.tests.result: .* tests" "$log" | tail -1 | sed 's/^.*odoo.tests.result: /  /' >&2 || true
    { grep -oE "(FAIL|ERROR): [A-Za-z0-9_.]+(\.test_[A-Za-z0-9_]+)?( \(login=[^)]*\))?" "$log" || true; } | sort -u > "$RUN_DIR/$label.failed"
}

run_suites baseline ""
run_suites with_crm_action crm_action
broken=$(comm -13 "$RUN_DIR/baseline.failed" "$RUN_DIR/with_crm_action.failed")
if [ -n "$broken" ]; then
    echo "$broken"
    die "these of Odoo's tests fail only with crm_action installed"
fi
say "no test of $TAGS fails because of crm_action ($(wc -l < "$RUN_DIR/baseline.failed") fail without it too)"
