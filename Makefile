# The two commands of the README; the work is in scripts/.
.PHONY: run test lint

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

lint:
	bash scripts/lint.sh
