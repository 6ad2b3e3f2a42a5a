# The two commands of the README; the work is in scripts/.
.PHONY: run test lint odoo-suites

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

lint:
	bash scripts/lint.sh

# Odoo's own crm/sale_crm/sale_stock/stock suites with the module installed (long).
odoo-suites:
	bash scripts/odoo_suites.sh
