# shellcheck shell=bash
# Install Odoo 18 and its Python requirements. Sourced by scripts/odoo-env.sh
# (which calls odoo_auto_install when no Odoo 18 is found) and by .ci/run
# (which calls odoo_install_requirements on an existing tree).
#
# Variables:
#   ODOO_AUTO_INSTALL  1 (default): install a missing Odoo; 0: only say how
#   ODOO_SOURCE        a git URL or a local clone (default https://github.com/odoo/odoo)
#   ODOO_BRANCH        branch to take from it: 18.0 for the default source;
#                      for another source its default branch unless set
#   ODOO_PATH          where the tree goes (default /opt/odoo18): it must be
#                      missing or empty, nothing is overwritten
#   ODOO_PYTHON        the interpreter to install into (default: a new
#                      virtualenv ${ODOO_PATH}-venv, made with python3 -m venv)

ODOO_DEFAULT_SOURCE=https://github.com/odoo/odoo
ODOO_DEFAULT_BRANCH=18.0
# Debian packages Odoo's requirements need to build (python-ldap, psycopg2)
ODOO_BUILD_DEB_PACKAGES=(libldap2-dev libsasl2-dev libpq-dev)

_odoo_install_say() { echo "== odoo-install: $*" >&2; }

# The Debian packages that building Odoo's requirements needs, when missing
# (as root with apt-get; otherwise it says which are missing and goes on).
odoo_install_build_packages() {
    local pkg missing=()
    command -v dpkg-query >/dev/null || return 0
    for pkg in "${ODOO_BUILD_DEB_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        _odoo_install_say "installing Debian packages: ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        _odoo_install_say "missing Debian packages (install them if the build fails): ${missing[*]}"
    fi
}

# odoo_install_requirements TREE [PYTHON]: make PYTHON (default ${TREE}-venv,
# created if missing) able to run TREE: Odoo's requirements.txt, unless the
# main dependencies already import. Sets and exports ODOO_PYTHON.
odoo_install_requirements() {
    local tree=${1%/} python=${2:-}
    [[ -f $tree/requirements.txt ]] || { _odoo_install_say "$tree has no requirements.txt"; return 1; }
    if [[ -z $python ]]; then
        python=$tree-venv/bin/python
        if [[ ! -x $python ]]; then
            _odoo_install_say "creating the virtualenv $tree-venv"
            python3 -m venv "$tree-venv" || return 1
        fi
    fi
    ODOO_PYTHON=$python
    export ODOO_PYTHON
    local probe="import odoo, psycopg2, lxml, PIL, werkzeug, babel, reportlab, passlib, docutils, \
decorator, num2words, openpyxl, xlsxwriter, requests, freezegun, cbor2, rjsmin, polib, qrcode, zeep, ldap"
    if PYTHONPATH=$tree "$python" -c "$probe" 2>/dev/null; then
        return 0
    fi
    odoo_install_build_packages
    _odoo_install_say "installing Odoo's Python requirements into $("$python" -c 'import sys; print(sys.prefix)')"
    # cbor2 5.4.2's sdist does not build with current setuptools: take 5.6.5
    local requirements
    requirements=$(mktemp /tmp/odoo18-requirements.XXXXXX.txt)
    sed 's/^cbor2==5\.4\.2/cbor2==5.6.5/' "$tree/requirements.txt" >"$requirements"
    "$python" -m pip install -q "setuptools<70" wheel Cython &&
        "$python" -m pip install -q --no-build-isolation -r "$requirements"
    local rc=$?
    rm -f "$requirements"
    # Odoo itself is not pip-installed: scripts/odoo-env.sh puts the tree on PYTHONPATH.
    return $rc
}

# odoo_install_source TREE: a shallow clone of ODOO_SOURCE (ODOO_BRANCH) into
# TREE, which must be missing or empty.
odoo_install_source() {
    local tree=${1%/} source=${ODOO_SOURCE:-$ODOO_DEFAULT_SOURCE} branch=${ODOO_BRANCH:-}
    if [[ -z $branch && -z ${ODOO_SOURCE:-} ]]; then branch=$ODOO_DEFAULT_BRANCH; fi
    if [[ -d $tree && -n $(ls -A "$tree") ]]; then
        _odoo_install_say "$tree is not empty: not installing Odoo there"
        return 1
    fi
    # a local clone (work tree or bare git directory): file:// so that --depth applies
    if [[ -d $source ]]; then source=file://$(cd "$source" && pwd); fi
    _odoo_install_say "cloning ${source}${branch:+ (branch $branch)} into $tree (depth 1)"
    command -v git >/dev/null || { _odoo_install_say "git is missing"; return 1; }
    mkdir -p "$(dirname "$tree")" || return 1
    git clone -q --depth 1 ${branch:+--branch "$branch"} "$source" "$tree"
}

# Called by scripts/odoo-env.sh when no Odoo 18 answers: install the tree
# (when ODOO_PATH, or /opt/odoo18, is missing or empty) and its requirements.
# Returns non-zero when it did nothing or failed.
odoo_auto_install() {
    local tree=${ODOO_PATH:-/opt/odoo18}
    [[ ${ODOO_AUTO_INSTALL:-1} == 0 ]] && return 1
    [[ -n ${ODOO_BIN:-} ]] && return 1 # a launcher was named: not ours to replace
    tree=${tree%/}
    local started=$SECONDS
    if [[ ! -f $tree/odoo-bin && ! -f $tree/setup/odoo ]]; then
        odoo_install_source "$tree" || return 1
    fi
    odoo_install_requirements "$tree" "${ODOO_PYTHON:-}" || return 1
    _odoo_install_say "Odoo in $tree, Python $ODOO_PYTHON ($((SECONDS - started)) s)"
}
