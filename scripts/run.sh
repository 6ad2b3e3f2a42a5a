#!/usr/bin/env bash
# The run command: a demo database with crm_action and demo data, served at
# http://localhost:$CRM_ACTION_PORT (admin/admin). Ctrl-C stops it.
source "$(dirname "$0")/common.sh"
DB=${CRM_ACTION_DB:-crm_action_demo}
PORT=${CRM_ACTION_PORT:-8069}
setup_all
port_taken "$PORT" && die "port $PORT is already taken: stop what listens there or set CRM_ACTION_PORT"

CONF=$DATA_DIR/run-$DB.conf
write_odoo_conf "$CONF" "$PORT"
module_hash=$(cd "$MODULE_DIR" && find . -path ./.git -prune -o -type f \( -name '*.py' -o -name '*.xml' -o -name '*.csv' -o -name '*.po' -o -name '*.pot' -o -name '*.js' -o -name '*.scss' \) -print0 \
    | sort -z | xargs -0 sha1sum | sha1sum | cut -c1-16)
hash_file=$DATA_DIR/run-$DB.hash

if ! db_exists "$DB"; then
    ensure_template_db
    say "creating demo database $DB"
    copy_template_db "$DB"
    odoo_bin -c "$CONF" -d "$DB" -i crm_action --stop-after-init --log-level=warn \
        || { dropdb --if-exists "$DB"; die "installing crm_action into $DB failed (see Odoo's log above)"; }
    echo "$module_hash" > "$hash_file"
elif [ "$(cat "$hash_file" 2>/dev/null)" != "$module_hash" ]; then
    say "module files changed: upgrading crm_action in $DB"
    odoo_bin -c "$CONF" -d "$DB" -u crm_action --stop-after-init --log-level=warn \
        || die "upgrading crm_action in $DB failed (see Odoo's log above)"
    echo "$module_hash" > "$hash_file"
fi

say "serving database $DB at http://localhost:$PORT  (login: admin, password: admin; Ctrl-C stops)"
exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$CONF" -d "$DB" --db-filter="^$DB\$" --log-level=warn
