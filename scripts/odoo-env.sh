# shellcheck shell=bash
# Locate Odoo 18 and set up how this repository runs it.
# Sourced by scripts/odoo, scripts/demo, scripts/test and .ci/run:
#
#     source "$(dirname "$0")/odoo-env.sh"
#
# Where Odoo comes from, first match wins:
#   1. ODOO_BIN     an Odoo launcher (odoo-bin, /usr/bin/odoo, a venv's bin/odoo)
#   2. ODOO_PATH    an Odoo 18 source tree (git clone or nightly tarball), run
#                   with ODOO_PYTHON (default: a virtualenv next to the tree, or python3)
#   3. `odoo` found on PATH
#   4. the default install: /opt/odoo18 with the virtualenv /opt/odoo18-venv
# Whatever is found must answer `--version` with "Odoo Server 18.0...".
# If nothing answers, Odoo 18 is installed (scripts/odoo-install.sh): a shallow
# clone of ODOO_SOURCE (default https://github.com/odoo/odoo, branch 18.0) into
# ODOO_PATH (default /opt/odoo18) when that directory is missing or empty, a
# virtualenv ${ODOO_PATH}-venv and Odoo's Python requirements. With
# ODOO_AUTO_INSTALL=0, or when that fails, this prints how to get Odoo 18 and
# exits 1: nothing is skipped.
#
# Database: the usual libpq variables PGHOST (127.0.0.1), PGPORT (5432),
# PGUSER (odoo) and PGPASSWORD (read by libpq itself, never put on a command line).
# Our addons: ADDONS_DIRS, directories separated by ',' or ':' (default: this
# repository's addons/ folder).
#
# After sourcing, these are set:
#   REPO_ROOT          the root of this repository (any clone)
#   ODOO_CMD           array: the command that starts Odoo
#   ODOO_PYTHON        the Python interpreter that runs Odoo
#   ODOO_VERSION       e.g. "Odoo Server 18.0-20250925"
#   ODOO_ADDONS_PATH   the value given to --addons-path
#   ODOO_DB_ARGS       array: --db_host/--db_port/--db_user (and --data-dir
#                      when ODOO_DATA_DIR is set)
# and these functions: odoo_run, repo_modules, odoo_data_dir, odoo_missing.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_DEFAULT_PATH=/opt/odoo18
# shellcheck source=scripts/odoo-install.sh
source "$REPO_ROOT/scripts/odoo-install.sh"

# Print how to get Odoo 18, then exit 1 (from the script that sourced us).
odoo_missing() {
    cat >&2 <<EOF
ERROR: Odoo 18 is missing${1:+: $1}.

This product needs Odoo 18.0 (Community) and PostgreSQL. Get Odoo 18 in one of
these three ways, then run the command again:

  1. Official source:
       git clone --depth 1 -b 18.0 https://github.com/odoo/odoo /opt/odoo18
       python3 -m venv /opt/odoo18-venv
       /opt/odoo18-venv/bin/pip install -r /opt/odoo18/requirements.txt
     (a tree elsewhere: export ODOO_PATH=/path/to/odoo and ODOO_PYTHON=/path/to/venv/bin/python)
  2. Nightly packages, 18.0 branch: https://nightly.odoo.com/18.0/nightly/
     (the .deb puts 'odoo' on PATH; or export ODOO_BIN=/path/to/odoo)
  3. Docker, official image odoo:18 with postgres:16: docker compose up
     (see docker-compose.yml in this repository)

Or let the scripts install it (ODOO_AUTO_INSTALL=1, the default): a clone of
ODOO_SOURCE (${ODOO_SOURCE:-$ODOO_DEFAULT_SOURCE}) into an empty or missing
ODOO_PATH (${ODOO_PATH:-$ODOO_DEFAULT_PATH}) with its virtualenv.

See README.md, "Getting Odoo 18".
EOF
    exit 1
}

# The Python interpreter named in a script's '#!' line, if it is a Python script.
_odoo_shebang_python() {
    local first words
    IFS= read -r first <"$1" 2>/dev/null || return 1
    first=${first#\#!}
    [[ $first == *python* ]] || return 1
    # "#!/usr/bin/env python3" -> python3
    read -r -a words <<<"$first"
    if [[ ${words[0]} == */env ]]; then command -v "${words[1]}"; else echo "${words[0]}"; fi
}

# Pick the launcher, the interpreter and Odoo's own extra addons directory.
_odoo_locate() {
    local tree script
    ODOO_SRC_ADDONS=""
    if [[ -n ${ODOO_BIN:-} ]]; then
        local bin
        bin=$(command -v "$ODOO_BIN") || odoo_missing "ODOO_BIN=${ODOO_BIN} is not an executable"
        ODOO_BIN=$bin
        ODOO_CMD=("$ODOO_BIN")
        ODOO_PYTHON=${ODOO_PYTHON:-$(_odoo_shebang_python "$ODOO_BIN" || command -v python3)}
        # a git clone's odoo-bin has the non-base addons beside it
        tree=$(dirname "$(readlink -f "$ODOO_BIN")")
        [[ -d $tree/addons/web ]] && ODOO_SRC_ADDONS=$tree/addons
        return 0
    fi
    if [[ -z ${ODOO_PATH:-} ]] && command -v odoo >/dev/null 2>&1; then
        ODOO_BIN=$(command -v odoo)
        _odoo_locate
        return 0
    fi
    tree=${ODOO_PATH:-$ODOO_DEFAULT_PATH}
    if [[ -f $tree/odoo-bin ]]; then
        script=$tree/odoo-bin                 # git clone layout
        [[ -d $tree/addons/web ]] && ODOO_SRC_ADDONS=$tree/addons
    elif [[ -f $tree/setup/odoo ]]; then
        script=$tree/setup/odoo               # nightly tarball / sdist layout
    elif [[ -n ${ODOO_PATH:-} ]]; then
        _ODOO_MISSING="ODOO_PATH=${ODOO_PATH} has neither odoo-bin nor setup/odoo"
        return 1
    else
        _ODOO_MISSING="ODOO_BIN and ODOO_PATH are not set, 'odoo' is not on PATH and ${ODOO_DEFAULT_PATH} has no Odoo"
        return 1
    fi
    if [[ -z ${ODOO_PYTHON:-} ]]; then # e.g. /opt/odoo18-venv next to /opt/odoo18
        local candidate
        for candidate in "${tree%/}-venv/bin/python" "$tree/.venv/bin/python" "$tree/venv/bin/python" \
            "$(dirname "$tree")/venv/bin/python"; do
            if [[ -x $candidate ]]; then ODOO_PYTHON=$candidate; break; fi
        done
        ODOO_PYTHON=${ODOO_PYTHON:-$(command -v python3)}
    fi
    # import this tree's odoo package, whatever else the interpreter has installed
    export PYTHONPATH="$tree${PYTHONPATH:+:$PYTHONPATH}"
    ODOO_CMD=("$ODOO_PYTHON" "$script")
}

# Module names (directories with a __manifest__.py, not marked uninstallable)
# found in ADDONS_DIRS, one per line, sorted.
repo_modules() {
    local dir manifest
    for dir in "${_ADDONS_DIRS[@]}"; do
        for manifest in "$dir"/*/__manifest__.py; do
            [[ -f $manifest ]] || continue
            grep -Eq "[\"']installable[\"'][[:space:]]*:[[:space:]]*False" "$manifest" && continue
            basename "$(dirname "$manifest")"
        done
    done | sort -u
}

# Run Odoo with our addons path and database settings. A leading sub-command
# (shell, populate, ...) stays first.
odoo_run() {
    local sub=()
    if [[ $# -gt 0 && $1 != -* ]]; then sub=("$1"); shift; fi
    "${ODOO_CMD[@]}" "${sub[@]}" --addons-path="$ODOO_ADDONS_PATH" "${ODOO_DB_ARGS[@]}" "$@"
}

# Odoo's data directory (filestore, sessions): ODOO_DATA_DIR or Odoo's default.
odoo_data_dir() {
    if [[ -n ${ODOO_DATA_DIR:-} ]]; then echo "$ODOO_DATA_DIR"; return; fi
    echo "${XDG_DATA_HOME:-$HOME/.local/share}/Odoo"
}

# Locate Odoo and check that it answers as Odoo 18 (reason in _ODOO_MISSING if not).
_odoo_found() {
    _odoo_locate || return 1
    ODOO_VERSION=$("${ODOO_CMD[@]}" --version 2>/dev/null | head -n 1) || true
    if [[ $ODOO_VERSION != "Odoo Server 18.0"* ]]; then
        _ODOO_MISSING="'${ODOO_CMD[*]} --version' printed '${ODOO_VERSION:-nothing}', not 'Odoo Server 18.0...' (is the virtualenv complete?)"
        return 1
    fi
}

_ODOO_GIVEN_PYTHON=${ODOO_PYTHON:-}
if ! _odoo_found; then
    if [[ ${ODOO_AUTO_INSTALL:-1} == 0 || -n ${ODOO_BIN:-} ]]; then
        odoo_missing "$_ODOO_MISSING"
    fi
    echo "== Odoo 18 not found ($_ODOO_MISSING): installing it (ODOO_AUTO_INSTALL=0 to stop instead)" >&2
    ODOO_PYTHON=$_ODOO_GIVEN_PYTHON
    if ! odoo_auto_install; then
        odoo_missing "$_ODOO_MISSING; installing it from ${ODOO_SOURCE:-$ODOO_DEFAULT_SOURCE} failed"
    fi
    _odoo_found || odoo_missing "$_ODOO_MISSING (after installing it)"
fi
unset _ODOO_GIVEN_PYTHON

# Our addons directories: ADDONS_DIRS, separated by ',' or ':'.
IFS=',:' read -r -a _ADDONS_DIRS <<<"${ADDONS_DIRS:-$REPO_ROOT/addons}"
ODOO_ADDONS_PATH=${ODOO_SRC_ADDONS}
for _dir in "${_ADDONS_DIRS[@]}"; do
    [[ -d $_dir ]] || { echo "ERROR: addons directory $_dir does not exist" >&2; exit 1; }
    _dir=$(cd "$_dir" && pwd)
    ODOO_ADDONS_PATH+=${ODOO_ADDONS_PATH:+,}$_dir
done
unset _dir

# Database connection: libpq's variables, exported so psql/createdb/dropdb agree with Odoo.
export PGHOST=${PGHOST:-127.0.0.1}
export PGPORT=${PGPORT:-5432}
export PGUSER=${PGUSER:-odoo}
ODOO_DB_ARGS=(--db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER")
if [[ -n ${ODOO_DATA_DIR:-} ]]; then ODOO_DB_ARGS+=(--data-dir="$ODOO_DATA_DIR"); fi
export ODOO_PYTHON ODOO_ADDONS_PATH REPO_ROOT
