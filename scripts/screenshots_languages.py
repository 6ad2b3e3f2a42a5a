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

import sys

from screenshots import argument_parser, form_action, open_session, rpc, shoot

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
    parser = argument_parser(__doc__)
    parser.add_argument("--langs", default="es_ES,fr_FR,de_DE")
    args = parser.parse_args()
    url, session, browser = open_session(args)
    admin = rpc(session, url, "res.users", "search_read", [("login", "=", args.login)], ["lang"])[0]
    failed = []
    try:
        action = form_action(session, url)
        if not action:
            sys.exit("no planned action with a partner: is the demo data installed?")
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
            shoot(browser, args.out, name)
            print(f"{name}: {path} in {code}")
    finally:
        rpc(session, url, "res.users", "write", [admin["id"]], {"lang": admin["lang"]})
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
