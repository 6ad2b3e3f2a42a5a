#!/usr/bin/env bash
# ruff and pylint-odoo, as the test command runs them.
source "$(dirname "$0")/common.sh"
resolve_odoo_src
ensure_venv
ensure_addons_link
run_lint
say "lint passed"
