#!/usr/bin/env bash
# The pip way of installing the add-on, checked: builds the wheel odoo-addon-crm_action
# (pyproject.toml, whool), installs it into a throwaway virtual environment that sees
# Odoo's (the same Odoo, its requirements, xlsxwriter), and installs the module from that
# wheel into a throwaway database with `odoo -i crm_action`, with only Odoo's own addons
# on the addons path: Odoo finds the module as odoo.addons.crm_action in site-packages.
# Then the database and the environment are dropped. One to three minutes; make test runs it.
# The wheel holds the files under git control (whool), as they are in the work tree.
source "$(dirname "$0")/common.sh"
resolve_odoo_src
ensure_postgres
ensure_venv
ensure_template_db

WORK=$(mktemp -d)
DB=crm_action_wheel_$(date +%Y%m%d_%H%M%S)_$$
cleanup() {
    dropdb --if-exists --force "$DB" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

say "wheel check: building the wheel"
"$VENV/bin/pip" wheel --quiet --no-deps --no-build-isolation --wheel-dir "$WORK/dist" "$MODULE_DIR" \
    || die "wheel check: building the wheel failed (see pip's output above)"
WHEEL=$(ls "$WORK"/dist/odoo_addon_crm_action-*.whl 2>/dev/null | head -1)
[ -n "$WHEEL" ] || die "wheel check: no odoo_addon_crm_action-*.whl built (got: $(ls "$WORK/dist"))"
echo "wheel: $(basename "$WHEEL")"

# A virtual environment of its own that also sees Odoo's: `--system-site-packages` would
# show the base interpreter's packages, not the venv's, so Odoo's site-packages are added
# with site.addsitedir (which also runs Odoo's editable-install hook).
"$VENV/bin/python" -m venv "$WORK/venv" || die "wheel check: cannot create a virtual environment (install python3-venv)"
odoo_site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
own_site=$("$WORK/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "import site; site.addsitedir('$odoo_site')" > "$own_site/odoo_venv.pth"

say "wheel check: pip install $(basename "$WHEEL") (its requirements come from Odoo's environment)"
"$WORK/venv/bin/pip" install --no-index --find-links "$WORK/dist" "$WHEEL" 2>&1 \
    | grep -E '^(Requirement already satisfied: (odoo|xlsxwriter)[=<> ]|Successfully installed|ERROR)' | sed 's/ (from odoo-addon.*//; s/^/  /'
"$WORK/venv/bin/pip" show --files odoo-addon-crm_action >/dev/null 2>&1 \
    || die "wheel check: pip did not install odoo-addon-crm_action (see above)"
location=$("$WORK/venv/bin/python" -c 'import importlib.util; print(importlib.util.find_spec("odoo.addons.crm_action").submodule_search_locations[0])') \
    || die "wheel check: odoo.addons.crm_action is not importable from the installed wheel"
case "$location" in
    "$own_site"/*) echo "odoo.addons.crm_action: $location" ;;
    *) die "wheel check: odoo.addons.crm_action comes from $location, not from the wheel in $own_site" ;;
esac

PORT=$(free_port)
cat > "$WORK/odoo.conf" <<CONF
[options]
addons_path = $ODOO_SRC/odoo/addons,$ODOO_SRC/addons
data_dir = $DATA_DIR/filestore
http_port = $PORT
db_user = $PGUSER
${PGHOST:+db_host = $PGHOST}
${PGPORT:+db_port = $PGPORT}
max_cron_threads = 0
CONF
copy_template_db "$DB"
say "wheel check: odoo -c odoo.conf -d $DB -i crm_action --stop-after-init (addons path: Odoo's only)"
(cd "$WORK" && "$WORK/venv/bin/python" -m odoo -c "$WORK/odoo.conf" -d "$DB" -i crm_action \
    --stop-after-init --log-level=warn) || die "wheel check: installing crm_action from the wheel into $DB failed (see above)"
state=$(psql -d "$DB" -Atc "select state from ir_module_module where name = 'crm_action'")
[ "$state" = installed ] || die "wheel check: crm_action is '$state' in $DB after the install, not installed"
actions=$(psql -d "$DB" -Atc "select count(*) from ir_act_window where res_model = 'crm.action'")
echo "wheel check passed: crm_action installed from $(basename "$WHEEL") in $DB ($actions window actions on crm.action)"
