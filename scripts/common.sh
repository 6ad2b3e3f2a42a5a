#!/usr/bin/env bash
# Shared set-up for the run and test commands: PostgreSQL, a virtual environment
# with Odoo 18.0 outside the clone, and an addons directory that names the module
# crm_action whatever the clone's folder is called.
set -euo pipefail

MODULE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA_DIR=${CRM_ACTION_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/crm_action}
VENV=${CRM_ACTION_VENV:-$DATA_DIR/venv}
STATE_FILE=$DATA_DIR/state.env
ODOO_UPSTREAM=${ODOO_UPSTREAM:-https://github.com/odoo/odoo.git}
PY=${PYTHON:-python3}
# Python packages the module and its tooling need beyond Odoo's own requirements, each
# pinned to an exact version (xlsxwriter, pytest-odoo, ruff, pylint-odoo, OCA's checks...).
REQUIREMENTS_DEV=$MODULE_DIR/requirements-dev.txt

die() { echo "crm_action: $*" >&2; exit 1; }
say() { echo "crm_action: $*" >&2; }

# ---------------------------------------------------------------- Odoo source
resolve_odoo_src() {
    mkdir -p "$DATA_DIR"
    local remembered=""
    if [ -f "$STATE_FILE" ]; then
        remembered=$(sed -n 's/^ODOO_SRC=//p' "$STATE_FILE")
    fi
    if [ -n "${ODOO_SRC:-}" ]; then
        ODOO_SRC=$(cd "$ODOO_SRC" 2>/dev/null && pwd) || die "ODOO_SRC=$ODOO_SRC is not a directory; point it at an Odoo 18.0 source tree"
    elif [ -n "$remembered" ] && [ -d "$remembered" ]; then
        ODOO_SRC=$remembered
    else
        ODOO_SRC=$DATA_DIR/odoo-18.0
        if [ ! -f "$ODOO_SRC/odoo-bin" ]; then
            say "cloning Odoo 18.0 from $ODOO_UPSTREAM into $ODOO_SRC"
            git clone --quiet --depth 1 --branch 18.0 "$ODOO_UPSTREAM" "$ODOO_SRC" 2>/dev/null \
                || { rm -rf "$ODOO_SRC"; die "no Odoo source reachable: set ODOO_SRC=/path/to/odoo-18.0 (a local Odoo 18.0 Community tree)"; }
        fi
    fi
    [ -f "$ODOO_SRC/odoo-bin" ] && [ -d "$ODOO_SRC/addons/crm" ] \
        || die "$ODOO_SRC is not an Odoo source tree (no odoo-bin or addons/crm); set ODOO_SRC to an Odoo 18.0 Community tree"
    grep -q "^version_info = (18, 0" "$ODOO_SRC/odoo/release.py" \
        || die "$ODOO_SRC is not Odoo 18.0 (see odoo/release.py); set ODOO_SRC to an Odoo 18.0 tree"
    export ODOO_SRC
}

# ---------------------------------------------------------------- virtual env
ensure_venv() {
    local wanted stamp
    wanted=$( { echo "$ODOO_SRC"; cat "$ODOO_SRC/requirements.txt" "$REQUIREMENTS_DEV"; } | sha1sum | cut -d' ' -f1)
    # One stamp per set of requirements installed: clones on other branches sharing the
    # environment do not reinstall each other's set on every run.
    stamp=$VENV/.crm_action_stamps/$wanted
    if [ -f "$stamp" ] && [ -x "$VENV/bin/python" ]; then
        odoo_src_on_path
        return 0
    fi
    say "installing Odoo 18.0 from $ODOO_SRC into $VENV (once; later runs reuse it)"
    [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV" || die "cannot create a virtual environment with $PY (install python3-venv)"
    local constraints=$DATA_DIR/build-constraints.txt
    # Odoo 18's pinned packages that build from source still import pkg_resources,
    # which setuptools 81 dropped.
    echo "setuptools<81" > "$constraints"
    # The constraints go to these commands only, not to the rest of the run: pip refuses
    # a build constraint with --no-build-isolation (the wheel check's build).
    local pip=(env PIP_CONSTRAINT="$constraints" PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/pip")
    "${pip[@]}" install --quiet --upgrade pip "setuptools<81" wheel \
        || die "pip cannot reach a package index to install setuptools/wheel"
    PIP_BUILD_CONSTRAINT=$constraints "${pip[@]}" install --quiet -r "$ODOO_SRC/requirements.txt" \
        || die "installing Odoo's requirements failed (see pip's output above); build packages need libpq-dev, libldap2-dev, libsasl2-dev"
    "${pip[@]}" install --quiet --no-deps --no-build-isolation -e "$ODOO_SRC" \
        >"$DATA_DIR/pip-odoo.log" 2>&1 || die "installing Odoo from $ODOO_SRC failed (see $DATA_DIR/pip-odoo.log)"
    "${pip[@]}" install --quiet -r "$REQUIREMENTS_DEV" || die "installing $REQUIREMENTS_DEV failed (see pip's output above)"
    mkdir -p "$VENV/.crm_action_stamps" && date -u > "$stamp"
    odoo_src_on_path
    printf 'ODOO_SRC=%s\nVENV=%s\n' "$ODOO_SRC" "$VENV" > "$STATE_FILE"
}

# Odoo is installed editable, through setuptools' import hook. An add-on installed with
# pip (pip install ., make check-wheel) creates site-packages/odoo/addons/<name>, and
# Python would then take that folder for the whole odoo package (`odoo` command broken).
# Odoo's source on sys.path, as odoo-bin has it, keeps `import odoo` on the real package.
odoo_src_on_path() {
    local site
    site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    [ "$(cat "$site/crm_action_odoo_src.pth" 2>/dev/null)" = "$ODOO_SRC" ] || echo "$ODOO_SRC" > "$site/crm_action_odoo_src.pth"
}

# ---------------------------------------------------------------- PostgreSQL
pg_answers() { pg_isready -q ${PGHOST:+-h "$PGHOST"} ${PGPORT:+-p "$PGPORT"} 2>/dev/null; }

ensure_postgres() {
    command -v pg_isready >/dev/null || die "no PostgreSQL client found: install postgresql (Debian: apt-get install postgresql) or set PGHOST/PGPORT/PGUSER"
    if ! pg_answers; then
        if [ -n "${PGHOST:-}" ]; then
            die "PostgreSQL at PGHOST=$PGHOST${PGPORT:+ port $PGPORT} does not answer; start it or unset PGHOST"
        fi
        if [ "$(id -u)" = 0 ] && command -v pg_lsclusters >/dev/null && [ -n "$(pg_lsclusters -h 2>/dev/null)" ]; then
            local version cluster
            read -r version cluster _ < <(pg_lsclusters -h | head -1)
            say "starting PostgreSQL $version/$cluster"
            pg_ctlcluster "$version" "$cluster" start || die "cannot start PostgreSQL $version/$cluster (see /var/log/postgresql)"
        else
            start_private_postgres
        fi
        for _ in $(seq 1 30); do pg_answers && break; sleep 1; done
        pg_answers || die "PostgreSQL was started but does not answer; check its log"
    fi
    ensure_db_role
}

# A cluster of our own in the data directory, for a laptop where we are not root.
start_private_postgres() {
    local bindir pgdata=$DATA_DIR/pgdata
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -n "$bindir" ] || die "no PostgreSQL answers and none is installed: install postgresql, or set PGHOST/PGPORT/PGUSER to a running server"
    if [ ! -f "$pgdata/PG_VERSION" ]; then
        "$bindir/initdb" -D "$pgdata" -A trust -U "$(id -un)" >/dev/null || die "initdb failed in $pgdata"
    fi
    export PGHOST=$DATA_DIR PGPORT=${PGPORT:-5433}
    say "starting a private PostgreSQL in $pgdata (port $PGPORT)"
    "$bindir/pg_ctl" -D "$pgdata" -l "$DATA_DIR/postgres.log" -o "-k $DATA_DIR -p $PGPORT -c listen_addresses=''" start >/dev/null \
        || die "cannot start PostgreSQL in $pgdata (see $DATA_DIR/postgres.log)"
}

# Odoo refuses the postgres superuser, so we connect as the current user.
ensure_db_role() {
    export PGUSER=${PGUSER:-$(id -un)}
    [ "$PGUSER" != postgres ] || die "Odoo refuses to connect as 'postgres': set PGUSER to another role"
    if ! psql -d postgres -Atc "select 1" >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ] && [ -z "${PGHOST:-}" ] && id postgres >/dev/null 2>&1; then
            PGUSER=postgres su postgres -c "createuser --superuser '$PGUSER'" >/dev/null 2>&1 || true
        fi
        psql -d postgres -Atc "select 1" >/dev/null 2>&1 \
            || die "PostgreSQL answers but role '$PGUSER' cannot log in: create it (createuser -s $PGUSER) or set PGUSER/PGPASSWORD"
    fi
    psql -d postgres -Atc "select rolcreatedb or rolsuper from pg_roles where rolname = current_user" | grep -q t \
        || die "role '$PGUSER' may not create databases: grant it CREATEDB"
}

# ---------------------------------------------------------------- addons path
# Odoo needs a directory named crm_action in its addons path; the clone may be named otherwise.
ensure_addons_link() {
    local key
    key=$(echo "$MODULE_DIR" | sha1sum | cut -c1-12)
    ADDONS_LINK_DIR=$DATA_DIR/addons/$key
    mkdir -p "$ADDONS_LINK_DIR"
    ln -sfn "$MODULE_DIR" "$ADDONS_LINK_DIR/crm_action"
    ADDONS_PATH=$ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$ADDONS_LINK_DIR
    export ADDONS_LINK_DIR ADDONS_PATH
}

free_port() { "$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port_taken() { "$VENV/bin/python" -c "import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); sys.exit(0 if s.connect_ex(('127.0.0.1', $1)) == 0 else 1)"; }

setup_all() {
    ensure_system_packages
    resolve_odoo_src
    ensure_postgres
    ensure_venv
    ensure_addons_link
}

# Debian/Ubuntu packages a bare system lacks: the virtual environment (python3-venv), a C
# compiler and the headers Odoo's requirements build against (python3-dev, build-essential,
# libpq-dev for psycopg2, libldap2-dev and libsasl2-dev for python-ldap), PostgreSQL, and
# Chromium for the tours. Installed when we are root; otherwise the command is printed.
SYSTEM_PACKAGES="python3-venv python3-dev build-essential libpq-dev libldap2-dev libsasl2-dev postgresql chromium"
ensure_system_packages() {
    command -v dpkg-query >/dev/null || return 0
    local missing=""
    for p in $SYSTEM_PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
    done
    [ -n "$missing" ] || return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing Debian packages:$missing"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing; } >/dev/null \
            || die "apt-get could not install$missing"
    else
        say "missing Debian packages:$missing (install them: sudo apt-get install$missing); going on"
    fi
}

# ---------------------------------------------------------------- Chromium
# The tours run in headless Chromium; Odoo skips them when it finds none or it does not
# start (scripts/pytest_no_skip.py turns such skips into failures). Checked once up front, so
# that make test says so at once rather than after the other tests.
ensure_chromium() {
    local bin="" candidate
    for candidate in google-chrome chromium chromium-browser google-chrome-stable; do
        bin=$(command -v "$candidate" 2>/dev/null) && break
    done
    [ -n "$bin" ] || die "no Chromium found (google-chrome, chromium, chromium-browser): the tours need it; install chromium (Debian: apt-get install chromium)"
    timeout 60 "$bin" --headless --no-sandbox --disable-gpu --dump-dom about:blank >"$DATA_DIR/chromium-check.log" 2>&1 \
        || die "$bin does not start headless (see $DATA_DIR/chromium-check.log): the tours need it"
}

# ---------------------------------------------------------------- databases
odoo_bin() { "$VENV/bin/python" "$ODOO_SRC/odoo-bin" "$@"; }

# An Odoo config file for one database and port; prints its path.
write_odoo_conf() {
    local conf=$1 port=$2
    cat > "$conf" <<CONF
[options]
addons_path = $ADDONS_PATH
data_dir = $DATA_DIR/filestore
http_port = $port
db_user = $PGUSER
${PGHOST:+db_host = $PGHOST}
${PGPORT:+db_port = $PGPORT}
list_db = True
max_cron_threads = 0
CONF
}

db_exists() { [ "$(psql -d postgres -Atc "select 1 from pg_database where datname = '$1'")" = 1 ]; }

module_depends() { "$VENV/bin/python" -c "import ast; print(','.join(ast.literal_eval(open('$MODULE_DIR/__manifest__.py').read())['depends']))"; }

# A template database with the module's dependencies and their demo data, built once
# per set of dependencies: copying it makes each test database in seconds.
ensure_template_db() {
    local depends key
    depends=$(module_depends)
    key=$( { echo "$ODOO_SRC $depends"; sha1sum "$ODOO_SRC/odoo/release.py"; } | sha1sum | cut -c1-10)
    TEMPLATE_DB=crm_action_deps_$key
    if db_exists "$TEMPLATE_DB"; then return 0; fi
    local building=${TEMPLATE_DB}_building_$$ conf
    conf=$(mktemp)
    write_odoo_conf "$conf" "$(free_port)"
    say "building template database $TEMPLATE_DB with $depends (once)"
    if ! odoo_bin -c "$conf" -d "$building" -i "$depends" --stop-after-init --log-level=warn; then
        dropdb --if-exists "$building" || true
        rm -f "$conf"
        die "installing $depends into a new database failed (see Odoo's log above)"
    fi
    rm -f "$conf"
    # Renaming at the end keeps a half-built template from ever being used.
    psql -d postgres -qc "alter database \"$building\" rename to \"$TEMPLATE_DB\"" 2>/dev/null \
        || dropdb --if-exists "$building"
    db_exists "$TEMPLATE_DB" || die "template database $TEMPLATE_DB is missing after building it"
}

# A database copied from the template for one run, dropped when the script exits (only
# the database this run created). Sets DB, RUN_DIR and CONF. Usage: throwaway_db PURPOSE
throwaway_db() {
    ensure_template_db
    DB=crm_action_$1_$(date +%Y%m%d_%H%M%S)_$$
    RUN_DIR=$(mktemp -d)
    trap drop_throwaway_db EXIT
    CONF=$RUN_DIR/odoo.conf
    write_odoo_conf "$CONF" "$(free_port)"
    copy_template_db "$DB"
}

drop_throwaway_db() {
    dropdb --if-exists --force "$DB" >/dev/null 2>&1 || true
    rm -rf "$RUN_DIR"
}

install_module() {
    say "installing crm_action into $DB"
    odoo_bin -c "$CONF" -d "$DB" -i crm_action --stop-after-init --log-level=warn \
        || die "installing crm_action into $DB failed (see Odoo's log above)"
}

copy_template_db() {
    local target=$1
    for _ in 1 2 3 4 5; do
        createdb -T "$TEMPLATE_DB" "$target" 2>/dev/null && return 0
        sleep 2
    done
    die "could not create database $target from $TEMPLATE_DB"
}

# ---------------------------------------------------------------- lint
run_lint() {
    say "lint: ruff, pylint-odoo and OCA's module and .po checks"
    (cd "$MODULE_DIR" && "$VENV/bin/ruff" check --quiet . && "$VENV/bin/ruff" format --check --quiet .) \
        || die "ruff found problems (fix them, or run: $VENV/bin/ruff format $MODULE_DIR)"
    (cd "$ADDONS_LINK_DIR" && "$VENV/bin/pylint" --rcfile="$MODULE_DIR/.pylintrc" --score=n crm_action) \
        || die "pylint-odoo found problems (see above)"
    # Two records with one XML id in the module silently overwrite each other.
    local dup
    dup=$(cd "$MODULE_DIR" && grep -rhoE '<(record|menuitem|template)[^>]* id="[^"]+"' --include='*.xml' . \
        | sed -E 's/.* id="([^"]+)"/\1/' | sort | uniq -d)
    [ -z "$dup" ] || die "XML ids defined twice in the module: $dup"
    CRM_ACTION_VENV=$VENV bash "$MODULE_DIR/scripts/oca_checks.sh" \
        || die "OCA's checks (oca-checks-odoo-module, oca-checks-po) found problems (see above; scripts/oca_checks.sh)"
}

# ---------------------------------------------------------------- upgrade check
# On $DB with the module installed: creates data of every model of the module, upgrades
# it with odoo-bin -u and compares every stored field before and after
# (scripts/upgrade_data.py). Dies on any difference.
upgrade_shell() { # upgrade_shell STEP: runs scripts/upgrade_data.py in odoo-bin shell on $DB
    CRM_ACTION_UPGRADE_STEP=$1 CRM_ACTION_UPGRADE_DUMP=$RUN_DIR/upgrade_$2.json \
        odoo_bin shell -c "$CONF" -d "$DB" --log-level=warn --no-http \
        <"$MODULE_DIR/scripts/upgrade_data.py" >"$RUN_DIR/upgrade_shell.log" 2>&1 \
        || { cat "$RUN_DIR/upgrade_shell.log" >&2; die "upgrade check: step '$1' failed in $DB (see above)"; }
}

check_upgrade_keeps_data() {
    say "upgrade check: creating data of every model of the module in $DB"
    upgrade_shell create none
    upgrade_shell dump before
    say "upgrade check: upgrading crm_action (odoo-bin -u crm_action)"
    odoo_bin -c "$CONF" -d "$DB" -u crm_action --stop-after-init --log-level=warn \
        || die "upgrading crm_action in $DB failed (see Odoo's log above)"
    upgrade_shell dump after
    echo "upgrade keeps the data (every stored field before and after):"
    "$VENV/bin/python" "$MODULE_DIR/scripts/upgrade_data.py" compare \
        "$RUN_DIR/upgrade_before.json" "$RUN_DIR/upgrade_after.json" \
        || die "the upgrade changed data (differences above)"
}
