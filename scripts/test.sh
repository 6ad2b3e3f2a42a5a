#!/usr/bin/env bash
# The test command: lint, then a throwaway database with the module installed and
# every test in tests/ run by pytest-odoo (tours included, in headless Chromium; a
# skipped test fails, see scripts/pytest_no_skip.py), then the upgrade check (install, create
# data, upgrade, compare) and the wheel check (scripts/check_wheel.sh), both only for
# the whole suite.
# Extra arguments go to pytest (and skip the two checks), e.g.: scripts/test.sh -k test_install
source "$(dirname "$0")/common.sh"
setup_all

run_lint
ensure_chromium

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
# scripts/pytest_no_skip.py: a skipped test (a tour without Chromium) is a failure.
PYTHONPATH=$MODULE_DIR/scripts${PYTHONPATH:+:$PYTHONPATH} \
"$VENV/bin/pytest" -p no:cacheprovider -p pytest_no_skip --rootdir="$LINK" --odoo-config="$CONF" --odoo-database="$DB" \
    --odoo-http --odoo-log-level=warn "${targets[@]}"
status=$?
set -e
# The whole suite also checks that an upgrade keeps the data (about 35 s): data of every
# model of the module, `-u crm_action`, every stored field compared (scripts/upgrade_data.py).
# It runs after the tests, on their database: its data would disturb them.
if [ $# -eq 0 ]; then
    check_upgrade_keeps_data
    # The pip way of installing (about a minute): wheel built, installed beside Odoo, the
    # module installed from it into another throwaway database.
    bash "$MODULE_DIR/scripts/check_wheel.sh" || status=1
fi
if [ $status -ne 0 ]; then
    say "make test failed (see pytest's summary above; a skipped test counts as a failure)"
fi
exit $status
