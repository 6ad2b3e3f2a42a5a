"""pytest plugin of make test (scripts/test.sh loads it with -p): a skipped test fails.

Odoo skips a tour when Chromium is missing or does not start (HttpCase.browser_js raises
unittest.SkipTest), and tests skip themselves when demo data is missing; either way the
run would still pass without having tested anything. Here each skip becomes a failure
that gives the reason, so `make test` fails and says why. (A plugin outside tests/: a
conftest.py there would be imported as crm_action.tests.conftest, outside odoo.addons.)
"""

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid} was skipped, and make test counts a skip as a failure: {reason}\n"
            "(a tour skips when Chromium is missing or does not start: install chromium; "
            "a demo-data test skips on a database without demo data)"
        )
