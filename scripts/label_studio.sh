#!/usr/bin/env bash
# A local Label Studio server for somekit's review loop (tests and users).
#
# Label Studio 1.23 pins openai<2 while somekit needs openai>=1.40 with 2.x allowed, so the server
# lives in its own virtual environment ($SOMEKIT_LS_VENV, default .lsvenv); somekit itself only
# talks to it over HTTP with label-studio-sdk.
#
#   bash scripts/label_studio.sh install
#   bash scripts/label_studio.sh start [--port 8080] [--data-dir DIR]   # prints SOMEKIT_LS_URL=... SOMEKIT_LS_TOKEN=...
#   export $(bash scripts/label_studio.sh start --port 8080)           # export both into the shell
#   bash scripts/label_studio.sh stop [--data-dir DIR]
#
# The token is a 40-character legacy API token generated on the first start of a data dir and kept
# in DIR/somekit-token (mode 600): Label Studio only takes LABEL_STUDIO_USER_TOKEN on the first
# start of a fresh data dir, so later starts must reuse the same one.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${SOMEKIT_LS_VENV:-$root/.lsvenv}"
version_spec="label-studio==1.23.*"
# label-studio 1.23 passes sentry options that sentry-sdk 3 removed (`send_default_pii`): with an
# unpinned sentry-sdk, every manage.py call (migrations, start) dies with a TypeError.
pins=("sentry-sdk<3")

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

cmd_install() {
  if [ -x "$venv/bin/label-studio" ] && "$venv/bin/python" -c 'import importlib.metadata as m, sys; sys.exit(0 if m.version("label-studio").startswith("1.23.") else 1)' 2>/dev/null; then
    echo "label-studio already installed in $venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "${pins[@]}" 2>&1 | grep -v "^WARNING: Location" || true
  else
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "$version_spec" "${pins[@]}" 2>&1 | grep -v "^WARNING: Location" || true
    # Checked through package metadata: `label-studio --version` imports Django and may look for a
    # newer release over the network, which takes minutes on a closed machine.
    "$venv/bin/python" -c 'import importlib.metadata as m; m.version("label-studio")' 2>/dev/null \
      || { echo "label-studio install failed in $venv" >&2; exit 1; }
    echo "label-studio installed in $venv"
  fi
  make_seed
}

# A migrated, empty database kept in the venv: a fresh data dir starts from a copy of it in ~20 s
# instead of running every migration again (minutes on 2 cores). It holds no user, token or key
# (the Django secret in the seed's .env is not copied); start creates those per data dir.
seed_db="$venv/somekit-seed/label_studio.sqlite3"
make_seed() {
  [ -s "$seed_db" ] && return 0
  local tmp="$venv/somekit-seed.tmp"
  rm -rf "$tmp" && mkdir -p "$tmp"
  echo "migrating an empty Label Studio database once (seed for fresh data dirs)..."
  (cd "$tmp" && LABEL_STUDIO_BASE_DATA_DIR="$tmp" LATEST_VERSION_CHECK=false "$venv/bin/python" -c \
    'from label_studio.server import _setup_env, _apply_database_migrations; _setup_env(); _apply_database_migrations()' \
    >"$tmp/migrate.log" 2>&1) || { echo "seed migration failed (see $tmp/migrate.log); fresh starts will migrate" >&2; return 0; }
  mkdir -p "$(dirname "$seed_db")" && cp "$tmp/label_studio.sqlite3" "$seed_db.part" && mv "$seed_db.part" "$seed_db"
  rm -rf "$tmp"
}

port=8080
data_dir="${SOMEKIT_LS_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/somekit/label-studio}"
parse_opts() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) port="$2"; shift 2 ;;
      --data-dir) data_dir="$2"; shift 2 ;;
      -h|--help) usage 0 ;;
      *) echo "unknown option: $1" >&2; usage 2 ;;
    esac
  done
}

new_token() { "$venv/bin/python" -c 'import secrets; print(secrets.token_hex(20))'; }

cmd_start() {
  parse_opts "$@"
  [ -x "$venv/bin/label-studio" ] || { echo "Label Studio is not installed; run: bash $0 install" >&2; exit 1; }
  mkdir -p "$data_dir"
  data_dir="$(cd "$data_dir" && pwd)"
  local token_file="$data_dir/somekit-token" pid_file="$data_dir/somekit-server.pid" log="$data_dir/somekit-server.log"
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    echo "a server for $data_dir is already running (pid $(cat "$pid_file")); stop it first" >&2; exit 1
  fi
  if [ ! -e "$data_dir/label_studio.sqlite3" ] && [ -s "$seed_db" ]; then
    cp "$seed_db" "$data_dir/label_studio.sqlite3"
  fi
  [ -s "$token_file" ] || { (umask 077; new_token > "$token_file"); }
  local token; token="$(cat "$token_file")"
  local url="http://127.0.0.1:$port"
  # The admin password is only needed for the web login; keep it next to the token.
  local pw_file="$data_dir/somekit-password"
  [ -s "$pw_file" ] || { (umask 077; new_token > "$pw_file"); }
  # setsid: the server gets its own process group so `stop` can end it and its workers together.
  LABEL_STUDIO_USERNAME="${SOMEKIT_LS_USERNAME:-admin@somekit.local}" \
  LABEL_STUDIO_PASSWORD="$(cat "$pw_file")" \
  LABEL_STUDIO_USER_TOKEN="$token" \
  LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true \
  LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK=true \
  LATEST_VERSION_CHECK=false \
  COLLECT_ANALYTICS=false \
  LABEL_STUDIO_BASE_DATA_DIR="$data_dir" \
  setsid "$venv/bin/label-studio" start --no-browser --internal-host 127.0.0.1 -p "$port" \
    --data-dir "$data_dir" >"$log" 2>&1 < /dev/null &
  echo $! > "$pid_file"
  local deadline=$((SECONDS + ${SOMEKIT_LS_START_TIMEOUT:-180}))
  # urllib from the server's own venv: no curl needed on the machine.
  until "$venv/bin/python" -c "import urllib.request as u; u.urlopen('$url/health', timeout=2)" >/dev/null 2>&1; do
    if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
      echo "Label Studio exited during start; last log lines:" >&2; tail -20 "$log" >&2; exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      echo "Label Studio did not answer $url/health in time; log: $log" >&2; exit 1
    fi
    sleep 1
  done
  echo "SOMEKIT_LS_URL=$url"
  echo "SOMEKIT_LS_TOKEN=$token"
}

cmd_stop() {
  parse_opts "$@"
  local pid_file="$data_dir/somekit-server.pid"
  [ -f "$pid_file" ] || { echo "no server recorded for $data_dir"; return 0; }
  local pid; pid="$(cat "$pid_file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$pid_file"
  echo "stopped Label Studio for $data_dir"
}

sub="${1:-}"; [ $# -gt 0 ] && shift
case "$sub" in
  install) cmd_install ;;
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  -h|--help|help|"") usage 0 ;;
  *) echo "unknown subcommand: $sub" >&2; usage 2 ;;
esac
