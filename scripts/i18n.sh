#!/usr/bin/env bash
# The translation template command: regenerates i18n/crm_action.pot from the code.
# A throwaway database copied from the template gets crm_action installed, Odoo
# exports the module's terms (fields, selections, views, menus, messages, data),
# then the database is dropped. The .po files are completed by hand (or a tool)
# against the new template; tests/test_i18n.py fails while a term lacks pt_BR, pl
# or it. Merge new terms into the .po files with:
#   msgmerge --update --no-fuzzy-matching --backup=none i18n/pl.po i18n/crm_action.pot
source "$(dirname "$0")/common.sh"
setup_all
throwaway_db i18n
install_module
mkdir -p "$MODULE_DIR/i18n"
say "exporting the module's terms to i18n/crm_action.pot"
PYTHONWARNINGS=ignore::UserWarning odoo_bin -c "$CONF" -d "$DB" --i18n-export="$RUN_DIR/crm_action.pot" --modules=crm_action \
    --stop-after-init --log-level=warn \
    || die "exporting the terms failed (see Odoo's log above)"
mv "$RUN_DIR/crm_action.pot" "$MODULE_DIR/i18n/crm_action.pot"
say "i18n/crm_action.pot: $(grep -c '^msgid "' "$MODULE_DIR/i18n/crm_action.pot") entries"
