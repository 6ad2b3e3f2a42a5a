#!/usr/bin/env bash
# OCA's checks (oca-odoo-pre-commit-hooks): oca-checks-odoo-module on the module and
# oca-checks-po on its translations. Run by make lint and by the pre-commit hooks.
# Usage: scripts/oca_checks.sh [module|po]   (both by default), with the tools of the
# set-up's virtual environment (CRM_ACTION_VENV, as in scripts/common.sh).
set -euo pipefail
MODULE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${CRM_ACTION_VENV:-${CRM_ACTION_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/crm_action}/venv}/bin
WHAT=${1:-all}
[ -x "$BIN/oca-checks-odoo-module" ] || { echo "crm_action: $BIN has no oca-checks-odoo-module (make lint installs requirements-dev.txt)" >&2; exit 1; }

# Checks switched off, each with its reason:
# - prefer-readme-rst: the module documents itself in README.md (the repository's page),
#   not in OCA's generated README.rst.
MODULE_DISABLED=prefer-readme-rst
# Every .po file is checked in full (po-pretty-format too): after a msgmerge, run
# `oca-checks-po --fix i18n/*.po` and mark the entries it empties (a msgstr equal to its
# msgid) with the translator comment "Same as the English term." (see tests/test_i18n.py).
PO_UNFORMATTED=""

status=0
if [ "$WHAT" != po ]; then
# The module check looks for __manifest__.py below the repository's top directory, as in
# OCA's repositories, where each module is a folder: a module at the top of its clone is
# skipped silently. So it runs on a copy of the module's files laid out that way.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git -C "$work" init --quiet
mkdir "$work/crm_action"
(cd "$MODULE_DIR" && git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
    | xargs -0 cp --parents -t "$work/crm_action")
out=$(cd "$work" && "$BIN/oca-checks-odoo-module" --disable "$MODULE_DISABLED" crm_action 2>&1) || status=1
[ -z "$out" ] || printf '%s\n' "$out" | sed "s#$work/crm_action/##g; s#^crm_action/##" | grep -v '^$' >&2
fi
[ "$WHAT" != module ] || exit $status

cd "$MODULE_DIR"
formatted=() unformatted=()
for po in i18n/*.po i18n/*.pot; do
    if [[ " $PO_UNFORMATTED " == *" ${po#i18n/} "* ]]; then unformatted+=("$po"); else formatted+=("$po"); fi
done
"$BIN/oca-checks-po" "${formatted[@]}" >&2 || status=1
if [ ${#unformatted[@]} -gt 0 ]; then
    "$BIN/oca-checks-po" --disable po-pretty-format "${unformatted[@]}" >&2 || status=1
fi
exit $status
