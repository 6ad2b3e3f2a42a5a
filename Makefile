# The two commands of the README; the work is in scripts/.
.PHONY: run test lint odoo-suites pot

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

lint:
	bash scripts/lint.sh

# Odoo's own crm/sale_crm/sale_stock/stock suites with the module installed (long).
odoo-suites:
	bash scripts/odoo_suites.sh

# Regenerates i18n/crm_action.pot from the code (a throwaway database, then dropped).
pot:
	bash scripts/i18n.sh
