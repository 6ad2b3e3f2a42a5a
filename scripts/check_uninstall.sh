#!/usr/bin/env bash
# Install, upgrade, uninstall and reinstall crm_action on a throwaway database with data
# (demo data plus data of every model of the module, scripts/upgrade_data.py), and check:
# - an upgrade keeps all user data: every stored field of every record of the module's
#   models, its fields on partners, leads, teams, companies..., the shipped records an
#   administrator may change, the to-dos, parameters and feature groups, compared
#   field by field before and after `odoo-bin -u crm_action`;
# - uninstalling leaves no orphan of the module: no XML ids, models, tables, columns on
#   Odoo's tables, automation rules, server actions, crons, menus pointing nowhere,
#   activities or activity types, followers or messages on its models;
# - reinstalling works.
# Uninstalling cannot run inside a test transaction, hence a script (make check-uninstall).
source "$(dirname "$0")/common.sh"
setup_all
throwaway_db uninstall
install_module
q() { psql -d "$DB" -Atc "$1"; }
odoo_shell() { odoo_bin shell -c "$CONF" -d "$DB" --log-level=warn --no-http >"$RUN_DIR/shell.log" 2>&1; }
failures=0
check() { # check LABEL EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then
        echo "  ok    $1 ($3)"
    else
        echo "  FAIL  $1: expected $2, found $3"
        failures=$((failures + 1))
    fi
}

# Data of every model of the module (scripts/upgrade_data.py), an upgrade, and every
# stored field compared before and after.
check_upgrade_keeps_data
# An activity of another type on an action, besides the to-dos: uninstalling removes it too.
odoo_shell <<'PY' || { cat "$RUN_DIR/shell.log"; die "creating data failed"; }
action = env["crm.action"].search([("state", "=", "planned")], limit=1)
action.activity_schedule("mail.mail_activity_data_todo", summary="Uninstall check")
env.cr.commit()
PY

# The models the module defines (it also holds XML ids for the models it extends, like
# res.partner: those are defined by another module too), read before uninstalling.
MODELS=$(q "select string_agg(quote_literal(m.model), ',') from ir_model m
           where exists (select 1 from ir_model_data d where d.model = 'ir.model' and d.res_id = m.id and d.module = 'crm_action')
           and not exists (select 1 from ir_model_data d where d.model = 'ir.model' and d.res_id = m.id and d.module != 'crm_action')")
[ -n "$MODELS" ] || die "no models of crm_action found after installing it"
# Stored fields it adds to other modules' models (columns on their tables).
COLUMNS=$(q "select coalesce(string_agg(quote_literal(replace(m.model, '.', '_') || '.' || f.name), ','), 'NULL')
           from ir_model_fields f join ir_model m on m.id = f.model_id
           join ir_model_data d on d.model = 'ir.model.fields' and d.res_id = f.id and d.module = 'crm_action'
           where f.store and f.ttype not in ('one2many', 'many2many') and m.model not in ($MODELS)")
# Records the module ships by XML id, on any model (automation rules on sale.order, say).
ids_of() { q "select coalesce(string_agg(res_id::text, ','), '0') from ir_model_data where module = 'crm_action' and model = '$1'"; }
declare -A SHIPPED
for model in base.automation ir.actions.server ir.cron ir.ui.menu mail.activity.type ir.actions.act_window ir.rule; do
    SHIPPED[$model]=$(ids_of "$model")
done
echo "models of the module: $MODELS"
echo "columns it adds to Odoo's tables: $COLUMNS"

say "uninstalling crm_action"
odoo_shell <<'PY' || { cat "$RUN_DIR/shell.log"; die "uninstall failed"; }
env["ir.module.module"].search([("name", "=", "crm_action")]).button_immediate_uninstall()
env.cr.commit()
PY
echo "uninstall:"
check "module state" "uninstalled" "$(q "select state from ir_module_module where name = 'crm_action'")"
check "XML ids of the module" 0 "$(q "select count(*) from ir_model_data where module = 'crm_action'")"
check "models of the module" 0 "$(q "select count(*) from ir_model where model in ($MODELS)")"
check "tables of the module" 0 "$(q "select count(*) from information_schema.tables where table_name in
    (select replace(m, '.', '_') from unnest(array[$MODELS]) m)")"
check "columns added to Odoo's tables" 0 "$(q "select count(*) from information_schema.columns where
    table_schema = 'public' and table_name || '.' || column_name in ($COLUMNS)")"
for model in "${!SHIPPED[@]}"; do
    table=$(q "select _table from (values ('base.automation', 'base_automation'), ('ir.actions.server', 'ir_act_server'),
        ('ir.cron', 'ir_cron'), ('ir.ui.menu', 'ir_ui_menu'), ('mail.activity.type', 'mail_activity_type'),
        ('ir.actions.act_window', 'ir_act_window'), ('ir.rule', 'ir_rule')) v(model, _table) where model = '$model'")
    check "$model records it shipped" 0 "$(q "select count(*) from $table where id in (${SHIPPED[$model]})")"
done
check "automation rules on its models" 0 "$(q "select count(*) from base_automation a join ir_model m on m.id = a.model_id
    where m.model in ($MODELS)")"
check "server actions on its models" 0 "$(q "select count(*) from ir_act_server where model_name in ($MODELS)")"
check "crons on its models" 0 "$(q "select count(*) from ir_cron c join ir_act_server s on s.id = c.ir_actions_server_id
    where s.model_name in ($MODELS)")"
check "window actions on its models" 0 "$(q "select count(*) from ir_act_window where res_model in ($MODELS)")"
check "menus pointing at a missing action" 0 "$(q "select count(*) from ir_ui_menu where action like 'ir.actions.act_window,%'
    and split_part(action, ',', 2)::int not in (select id from ir_act_window)")"
check "menus named like the module's" 0 "$(q "select count(*) from ir_ui_menu where name->>'en_US' = 'CRM Actions'")"
check "activities on its models" 0 "$(q "select count(*) from mail_activity where res_model in ($MODELS)")"
check "activity types of its models" 0 "$(q "select count(*) from mail_activity_type where res_model in ($MODELS)")"
check "followers on its models" 0 "$(q "select count(*) from mail_followers where res_model in ($MODELS)")"
check "messages on its models" 0 "$(q "select count(*) from mail_message where model in ($MODELS)")"
check "record rules on its models" 0 "$(q "select count(*) from ir_rule r join ir_model m on m.id = r.model_id where m.model in ($MODELS)")"

say "reinstalling crm_action"
odoo_bin -c "$CONF" -d "$DB" -i crm_action --stop-after-init --log-level=warn || die "reinstall failed"
echo "reinstall:"
check "module state" "installed" "$(q "select state from ir_module_module where name = 'crm_action'")"
check "action types back" 1 "$(q "select (count(*) > 0)::int from crm_action_type")"

if [ "$failures" -gt 0 ]; then
    die "$failures check(s) failed"
fi
say "install, upgrade, uninstall and reinstall leave nothing behind"
