#!/usr/bin/env bash
# The test command: lint, then a throwaway database with the module installed and
# every test in tests/ run by pytest-odoo (tours included, in headless Chromium).
# Extra arguments go to pytest, e.g.: scripts/test.sh -k test_install
source "$(dirname "$0")/common.sh"
setup_all

run_lint

throwaway_db test
install_module

# pytest-odoo imports the module as odoo.addons.<folder name>, so tests are named
# through the link called crm_action (relative paths are taken from there).
LINK=$ADDONS_LINK_DIR/crm_action
cd "$LINK"
targets=()
for arg in "${@:-tests}"; do
    # Relative test paths (tests/x.py::Class) are taken from the link; anything else
    # (options and their values, like -k name) goes to pytest as it is.
    if [[ "$arg" != /* && -e "$LINK/${arg%%::*}" ]]; then
        targets+=("$LINK/$arg")
    else
        targets+=("$arg")
    fi
done
set +e
"$VENV/bin/pytest" -p no:cacheprovider --rootdir="$LINK" --odoo-config="$CONF" --odoo-database="$DB" \
    --odoo-http --odoo-log-level=warn "${targets[@]}"
status=$?
set -e
exit $status
