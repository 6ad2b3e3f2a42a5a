#!/usr/bin/env python3
"""Screenshots of the action form in the languages of the module's translations.

Same set-up as scripts/screenshots.py (a running Odoo with the demo data, admin/admin,
headless Chromium): installs each language if needed (minutes each; or start Odoo once
with --load-language=es_ES,fr_FR,de_DE), switches the admin to it, takes
the form of the same planned action as crm_action_form.png and writes
static/description/crm_action_form_<lang>.png; the admin's language is put back at the end.

    make run &
    ~/.local/share/crm_action/venv/bin/python scripts/screenshots_languages.py [--url URL] [--langs es_ES,fr_FR,de_DE]
"""

import argparse
import os
import re
import shutil
import sys

from screenshots import OUT_DIR, Browser, first_id, login, rpc

# Odoo's language code and the suffix of the file (the .po file's name).
LANGUAGES = {"es_ES": "es", "fr_FR": "fr", "de_DE": "de", "pt_BR": "pt_BR", "pl_PL": "pl", "it_IT": "it"}


def ensure_language(session, url, code):
    """Installs the language with Odoo's wizard (which loads every module's terms) when it
    is not active yet; an active language already has the module's terms."""
    domain = [("code", "=", code)]
    langs = rpc(session, url, "res.lang", "search_read", domain, ["active"], context={"active_test": False})
    if not langs:
        sys.exit(f"Odoo knows no language {code}")
    if langs[0]["active"]:
        return
    wizard = rpc(session, url, "base.language.install", "create", {"lang_ids": [(6, 0, [langs[0]["id"]])]})
    # loading a language's terms of every installed module takes minutes, not rpc()'s 30 s
    answer = session.post(
        f"{url}/web/dataset/call_kw/base.language.install/lang_install",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"model": "base.language.install", "method": "lang_install", "args": [[wizard]], "kwargs": {}},
        },
        timeout=900,
    ).json()
    if "error" in answer:
        sys.exit(f"installing {code} failed: {answer['error']['data']['message']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("CRM_ACTION_URL", "http://localhost:8069"))
    parser.add_argument("--db", default=os.environ.get("CRM_ACTION_DB"))
    parser.add_argument("--langs", default="es_ES,fr_FR,de_DE")
    parser.add_argument(
        "--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
    )
    parser.add_argument("--out", default=OUT_DIR)
    parser.add_argument("--size", default="1440x900", help="window size, WIDTHxHEIGHT")
    args = parser.parse_args()

    url = args.url.rstrip("/")
    session = login(url, args.db, "admin", "admin")
    admin = rpc(session, url, "res.users", "search_read", [("login", "=", "admin")], ["lang"])[0]
    action = first_id(
        session,
        url,
        "crm.action",
        [("state", "=", "planned"), ("partner_id", "!=", False), ("campaign_id", "!=", False)],
        order="date_deadline desc, id",
    ) or first_id(session, url, "crm.action", [("state", "=", "planned"), ("partner_id", "!=", False)])
    if not action:
        sys.exit("no planned action with a partner: is the demo data installed?")
    width, height = (int(n) for n in args.size.split("x"))
    browser = Browser(args.chromium, width, height)
    host = re.sub(r"^https?://([^:/]+).*", r"\1", url)
    failed = []
    try:
        browser.call("Network.setCookie", name="session_id", value=session.cookies["session_id"], domain=host, path="/")
        for code in args.langs.split(","):
            ensure_language(session, url, code)
            rpc(session, url, "res.users", "write", [admin["id"]], {"lang": code})
            name = f"crm_action_form_{LANGUAGES.get(code, code)}.png"
            path = f"/odoo/action-crm_action.crm_action_action/{action}"
            browser.call("Page.navigate", url=f"{url}{path}")
            if not browser.wait_for(".o_form_view .o_form_sheet", timeout=120):
                failed.append(name)
                print(f"{name}: {path} did not show the form; not taken", file=sys.stderr)
                continue
            browser.shot(os.path.join(args.out, name))
            print(f"{name}: {path} in {code}")
    finally:
        rpc(session, url, "res.users", "write", [admin["id"]], {"lang": admin["lang"]})
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
