#!/usr/bin/env python3
"""Screenshots of the module's main screens for the README and the Apps page.

Logs in to a running Odoo with the demo data (``make run``: http://localhost:8069,
admin/admin) with requests, hands the session cookie to a headless Chromium driven
through the DevTools protocol, and writes PNGs into static/description/.

Run with the module's virtual environment (it has requests and websocket-client):

    make run &                                  # or CRM_ACTION_PORT=8169 make run
    ~/.local/share/crm_action/venv/bin/python scripts/screenshots.py [--url URL]
"""

import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import requests
import websocket

OUT_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "static", "description")
READY_JS = """(() => {
    const busy = document.querySelector('.o_loading, .o_loading_indicator, .o_view_nocontent_loading');
    const view = document.querySelector('%s');
    return Boolean(view) && !busy;
})()"""

DISMISS_NOTIFICATIONS_JS = (
    "document.querySelectorAll('.o_notification_manager .o_notification').forEach(n => n.remove())"
)


class Browser:
    """A headless Chromium tab driven through the DevTools protocol."""

    def __init__(self, chromium, width, height):
        self.profile = tempfile.mkdtemp(prefix="crm_action_shots_")
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        self.process = subprocess.Popen(
            [
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.1)
        port = open(port_file).read().split()[0]
        tabs = requests.get(f"http://127.0.0.1:{port}/json", timeout=10).json()
        page = next(tab for tab in tabs if tab["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        self.call("Network.enable")
        self.call("Page.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(READY_JS % selector):
                time.sleep(1.5)  # animations, lazy widgets
                return True
            time.sleep(0.3)
        return False

    def shot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as png:
            png.write(base64.b64decode(data))

    def close(self):
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            self.process.wait(timeout=10)
            shutil.rmtree(self.profile, ignore_errors=True)


def login(url, db, user, password):
    session = requests.Session()
    page = session.get(f"{url}/web/login", params={"db": db} if db else None, timeout=30)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        f"{url}/web/login",
        data={"login": user, "password": password, "csrf_token": csrf, **({"db": db} if db else {})},
        timeout=30,
    )
    if "/web/login" in answer.url:
        sys.exit(f"login as {user} on {url} failed")
    return session


def rpc(session, url, model, method, *args, **kwargs):
    answer = session.post(
        f"{url}/web/dataset/call_kw/{model}/{method}",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs},
        },
        timeout=30,
    ).json()
    if "error" in answer:
        raise RuntimeError(answer["error"]["data"]["message"])
    return answer["result"]


def first_id(session, url, model, domain, order="id"):
    ids = rpc(session, url, model, "search", domain, limit=1, order=order)
    return ids[0] if ids else None


def screens(session, url):
    """(file name, path under /odoo, selector that says the view is ready, JS to run then)."""
    action = form_action(session, url)
    done_on_company = rpc(
        session, url, "crm.action", "search_read", [("partner_id.is_company", "=", True)], ["partner_id"], limit=1
    )
    partner = done_on_company[0]["partner_id"][0] if done_on_company else None
    act = "action-crm_action.crm_action_action"
    shots = [
        ("crm_action_list.png", f"/odoo/{act}?view_type=list", ".o_list_view .o_data_row", None),
        ("crm_action_kanban.png", f"/odoo/{act}?view_type=kanban", ".o_kanban_view .o_kanban_record", None),
        ("crm_action_calendar.png", f"/odoo/{act}?view_type=calendar", ".o_calendar_view .fc-event", None),
        ("crm_action_pivot.png", f"/odoo/{act}?view_type=pivot", ".o_pivot table", None),
    ]
    if action:
        shots.append(("crm_action_form.png", f"/odoo/{act}/{action}", ".o_form_view .o_form_sheet", None))
        shots.append(
            (
                "crm_action_notify.png",
                f"/odoo/{act}/{action}",
                ".o_form_view .o_form_sheet",
                [
                    "document.querySelector('.o_form_view button[name=action_open_notify_wizard]').click()",
                    ".modal .o_form_view",
                ],
            )
        )
    if partner:
        shots.append(("crm_action_partner.png", f"/odoo/contacts/{partner}", ".o_form_view .o_form_sheet", None))
        shots.append(
            (
                "crm_action_register_wizard.png",
                f"/odoo/contacts/{partner}",
                ".o_form_view .o_form_sheet",
                [
                    "Array.from(document.querySelectorAll('.o_form_view .o_statusbar_buttons button'))"
                    ".find(b => b.textContent.trim() === 'Register Action').click()",
                    ".modal .o_form_view",
                ],
            )
        )
    shots.append(
        (
            "crm_action_analysis.png",
            "/odoo/action-crm_action.crm_action_report_action_campaign",
            ".o_pivot table, .o_graph_renderer canvas",
            None,
        )
    )
    shots.append(
        (
            "crm_action_statistics.png",
            "/odoo/action-crm_action.crm_action_statistics_action",
            ".modal .o_form_view, .o_form_view .o_form_sheet",
            None,
        )
    )
    shots.append(
        (
            "crm_action_settings.png",
            "/odoo/action-crm.crm_config_settings_action",
            ".o_settings_container",
            [
                "Array.from(document.querySelectorAll('.o_setting_container h2, .o_settings_container h2, h2'))"
                ".find(h => h.textContent.trim() === 'CRM Actions').scrollIntoView()",
                ".o_settings_container",
            ],
        )
    )
    sequence = first_id(session, url, "crm.action.sequence", [("line_ids", "!=", False)])
    if sequence:
        shots.append(
            (
                "crm_action_sequence_form.png",
                f"/odoo/action-crm_action.crm_action_sequence_action/{sequence}",
                ".o_form_view .o_form_sheet",
                None,
            )
        )
    shots.append(
        (
            "crm_action_rule_form.png",
            "/odoo/action-crm_action.crm_action_rule_action/new",
            ".o_form_view .o_form_sheet",
            None,
        )
    )
    return shots


def argument_parser(doc):
    """The options of both screenshot scripts: where Odoo runs, the browser, the output."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("CRM_ACTION_URL", "http://localhost:8069"))
    parser.add_argument("--db", default=os.environ.get("CRM_ACTION_DB"))
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument(
        "--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
    )
    parser.add_argument("--out", default=OUT_DIR)
    parser.add_argument("--size", default="1440x900", help="window size, WIDTHxHEIGHT")
    return parser


def open_session(args):
    """Log in and hand the session to a new headless Chromium: (url, session, browser)."""
    url = args.url.rstrip("/")
    session = login(url, args.db, args.login, args.password)
    width, height = (int(n) for n in args.size.split("x"))
    browser = Browser(args.chromium, width, height)
    host = re.sub(r"^https?://([^:/]+).*", r"\1", url)
    browser.call("Network.setCookie", name="session_id", value=session.cookies["session_id"], domain=host, path="/")
    return url, session, browser


def form_action(session, url):
    """The planned action whose form is shown: one with a partner, a campaign if any."""
    return first_id(
        session,
        url,
        "crm.action",
        [("state", "=", "planned"), ("partner_id", "!=", False), ("campaign_id", "!=", False)],
        order="date_deadline desc, id",
    ) or first_id(session, url, "crm.action", [("state", "=", "planned"), ("partner_id", "!=", False)])


def shoot(browser, out, name):
    # the acknowledgement reminder of the demo's admin would hide part of the screen
    browser.evaluate(DISMISS_NOTIFICATIONS_JS)
    browser.shot(os.path.join(out, name))


def main():
    args = argument_parser(__doc__).parse_args()
    url, session, browser = open_session(args)
    failed = []
    try:
        for name, path, ready, then in screens(session, url):
            browser.call("Page.navigate", url=f"{url}{path}")
            ok = browser.wait_for(ready)
            if ok and then:
                browser.evaluate(then[0])
                ok = browser.wait_for(then[1])
            if not ok:
                failed.append(name)
                print(f"{name}: {path} did not show {then[1] if then else ready}; not taken", file=sys.stderr)
                continue
            shoot(browser, args.out, name)
            print(f"{name}: {path}")
    finally:
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
