#!/usr/bin/env bash
# Odoo's own crm, sale_crm, sale_stock and stock test suites with crm_action installed,
# to prove the module breaks nothing of Odoo's. Long (tens of minutes): not part of the
# test command. Pass other test tags as the first argument, e.g. /crm.
source "$(dirname "$0")/common.sh"
TAGS=${1:-/crm,/sale_crm,/sale_stock,/stock}
setup_all
ensure_template_db
DB=crm_action_suites_$(date +%Y%m%d_%H%M%S)_$$
RUN_DIR=$(mktemp -d)
cleanup() {
    dropdb --if-exists --force "$DB" >/dev/null 2>&1 || true
    rm -rf "$RUN_DIR"
}
trap cleanup EXIT
write_odoo_conf "$RUN_DIR/odoo.conf" "$(free_port)"
copy_template_db "$DB"
odoo_bin -c "$RUN_DIR/odoo.conf" -d "$DB" -i crm_action --stop-after-init --log-level=warn \
    || die "installing crm_action into $DB failed"
say "running Odoo's tests tagged $TAGS with crm_action installed"
odoo_bin -c "$RUN_DIR/odoo.conf" -d "$DB" -u crm,sale_crm,sale_stock,stock --test-enable \
    --test-tags "$TAGS" --stop-after-init --log-level=test 2>&1 | tee "$RUN_DIR/suites.log" | grep -E "ERROR|FAIL|tests? .* (passed|failed)|Ran " || true
if grep -qE "^[^ ]+ [^ ]+ [0-9]+ (ERROR|CRITICAL)" "$RUN_DIR/suites.log"; then
    die "Odoo's suites report failures (see the ERROR lines above)"
fi
say "Odoo's suites passed with crm_action installed"
