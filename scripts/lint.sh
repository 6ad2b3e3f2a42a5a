#!/usr/bin/env bash
# ruff, pylint-odoo and OCA's checks (oca-checks-odoo-module, oca-checks-po), as the
# test command runs them; every tool at the version of requirements-dev.txt.
source "$(dirname "$0")/common.sh"
resolve_odoo_src
ensure_venv
ensure_addons_link
run_lint
say "lint passed"
