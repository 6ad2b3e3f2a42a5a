#!/usr/bin/env bash
# Odoo as installs that outgrow one process run it: --workers=2 (two HTTP worker
# processes, the gevent process for the websocket) and --max-cron-threads=1 (one cron
# worker process), on a throwaway database, listening on 127.0.0.1 only. Through
# XML-RPC, scripts/check_workers.py saves more quotations at once than the spawn-at-once
# limit and waits (bounded) until the cron worker has created their leads, then makes
# the reminder job due and waits until the cron worker has reminded an unacknowledged
# action, then checks that a rule changed between done visits applies as it is at each
# save, whichever HTTP worker saves it. Then Odoo is stopped and the database dropped.
# About three minutes; not part of make test (run: make check-workers).
source "$(dirname "$0")/common.sh"
resolve_odoo_src
ensure_postgres
ensure_venv
ensure_addons_link
throwaway_db workers
install_module

HTTP_PORT=$(free_port)
GEVENT_PORT=$(free_port)
LOG=$RUN_DIR/odoo.log
ODOO_PID=""
stop_odoo() {
    if [ -n "$ODOO_PID" ] && kill -0 "$ODOO_PID" 2>/dev/null; then
        kill -TERM "$ODOO_PID" 2>/dev/null || true
        for _ in $(seq 1 30); do kill -0 "$ODOO_PID" 2>/dev/null || break; sleep 1; done
        kill -KILL "$ODOO_PID" 2>/dev/null || true
    fi
    drop_throwaway_db
}
trap stop_odoo EXIT

say "check-workers: odoo --workers=2 --max-cron-threads=1 on 127.0.0.1:$HTTP_PORT (websocket: $GEVENT_PORT), database $DB"
# ODOO_NOTIFY_CRON_CHANGES: a job made due by a write wakes the cron worker at once
# (otherwise it polls every minute).
# Odoo's own process, not a subshell running it, so that stop_odoo stops Odoo
ODOO_NOTIFY_CRON_CHANGES=1 "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$CONF" -d "$DB" --db-filter="^$DB\$" \
    --workers=2 --max-cron-threads=1 --http-interface=127.0.0.1 --http-port="$HTTP_PORT" \
    --gevent-port="$GEVENT_PORT" --log-level=info --logfile="$LOG" &
ODOO_PID=$!

for _ in $(seq 1 90); do
    curl -fsS -o /dev/null "http://127.0.0.1:$HTTP_PORT/web/webclient/version_info" -H 'Content-Type: application/json' -d '{}' 2>/dev/null && break
    kill -0 "$ODOO_PID" 2>/dev/null || { tail -30 "$LOG" >&2; die "check-workers: Odoo stopped (log above)"; }
    sleep 1
done
grep -q 'HTTP service (werkzeug) running' "$LOG" || { tail -30 "$LOG" >&2; die "check-workers: Odoo does not answer on port $HTTP_PORT"; }
grep -hoE 'Worker (WorkerHTTP|WorkerCron) \([0-9]+\) alive' "$LOG" | sort -u | sed 's/^/  /'

status=0
"$VENV/bin/python" "$MODULE_DIR/scripts/check_workers.py" "http://127.0.0.1:$HTTP_PORT" "$DB" || status=$?

# the HTTP workers that served the XML-RPC calls (each keeps its own cache of the rules)
echo "XML-RPC calls served by each process (pid: calls):"
grep -E '"POST /xmlrpc/2/object ' "$LOG" | awk '{print $3}' | sort | uniq -c | awk '{print "  " $2 ": " $1}'
cron_pid=$(grep -oE 'WorkerCron \([0-9]+\) alive' "$LOG" | head -1 | grep -oE '[0-9]+')
echo "the module's jobs in Odoo's log (cron worker pid: ${cron_pid:-?}):"
grep -E "Job '(CRM Actions: create the leads of queued documents|CRM Actions: remind unacknowledged actions)' .* (done in|processed)" "$LOG" \
    | sed -E 's/^([0-9-]+ [0-9:,]+) ([0-9]+) [A-Z]+ [^ ]+ odoo.addons.base.models.ir_cron: /  \1 pid \2: /' | tail -12
if grep -qE ' (ERROR|CRITICAL) ' "$LOG"; then
    grep -E ' (ERROR|CRITICAL) ' "$LOG" | head -10 >&2
    die "check-workers: errors in Odoo's log (above; the whole log was $LOG)"
fi
[ $status -eq 0 ] || die "check-workers failed (see above)"
say "check-workers passed"
