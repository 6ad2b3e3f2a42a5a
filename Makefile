# The two commands of the README; the work is in scripts/.
.PHONY: run test lint odoo-suites bench check-uninstall pot check-wheel check-workers

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

lint:
	bash scripts/lint.sh

# Odoo's own crm/sale_crm/sale_stock/stock suites with the module installed (long).
odoo-suites:
	bash scripts/odoo_suites.sh

# Benchmarks against Odoo's own operations; writes bench/REPORT.md (BENCH_SCALE=0.05 for a quick run).
bench:
	bash bench/run.sh

# Install, upgrade, uninstall and reinstall on a throwaway database: nothing left behind.
check-uninstall:
	bash scripts/check_uninstall.sh

# Regenerates i18n/crm_action.pot from the code (a throwaway database, then dropped).
pot:
	bash scripts/i18n.sh

# Builds the wheel odoo-addon-crm_action and installs the module from it (make test runs it).
check-wheel:
	bash scripts/check_wheel.sh

# Odoo with --workers=2 and a cron worker: queued lead spawning and the reminder job.
check-workers:
	bash scripts/check_workers.sh
