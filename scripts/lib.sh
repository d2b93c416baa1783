# Shared by scripts/demo and scripts/test: the project-local virtualenv and the emulator.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
RUN_DIR="$ROOT/target/emulator"

# Bold only when stderr is a terminal: CI logs and pipes get plain text.
say() {
    if [ -t 2 ]; then
        printf '\033[1m==>\033[0m %s\n' "$*" >&2
    else
        printf '==> %s\n' "$*" >&2
    fi
}

# Installs moto (pinned in emulator/requirements.txt) into .venv, once per requirements change.
ensure_venv() {
    local stamp="$VENV/.requirements.sha256"
    local want
    want=$(sha256sum "$ROOT/emulator/requirements.txt" | cut -d' ' -f1)
    if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
        return 0
    fi
    command -v python3 >/dev/null || { echo "error: python3 is needed for the local emulator" >&2; return 1; }
    say "installing the Cognito emulator (moto) into .venv"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$ROOT/emulator/requirements.txt"
    echo "$want" > "$stamp"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_emulator NAME [extra args for cogtui_emulator.py]
# Sets EMULATOR_URL, EMULATOR_PID and EMULATOR_RECORD; waits until it answers.
start_emulator() {
    local name=$1
    shift
    mkdir -p "$RUN_DIR"
    local port ready log
    port=$(free_port)
    ready="$RUN_DIR/$name.ready"
    log="$RUN_DIR/$name.log"
    EMULATOR_RECORD="$RUN_DIR/$name.resends.jsonl"
    rm -f "$ready" "$EMULATOR_RECORD"
    (cd "$ROOT/emulator" && exec "$VENV/bin/python" cogtui_emulator.py --port "$port" \
        --record "$EMULATOR_RECORD" --ready-file "$ready" "$@") >"$log" 2>&1 &
    EMULATOR_PID=$!
    EMULATOR_URL="http://127.0.0.1:$port"
    local waited=0
    until [ -s "$ready" ]; do
        if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
            echo "error: the emulator exited; its log ($log) says:" >&2
            tail -20 "$log" >&2
            return 1
        fi
        if [ "$waited" -ge 600 ]; then
            echo "error: the emulator did not start within 60 s; see $log" >&2
            return 1
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    export EMULATOR_URL EMULATOR_PID EMULATOR_RECORD
}

stop_emulator() {
    if [ -n "${EMULATOR_PID:-}" ] && kill -0 "$EMULATOR_PID" 2>/dev/null; then
        kill "$EMULATOR_PID" 2>/dev/null || true
        wait "$EMULATOR_PID" 2>/dev/null || true
    fi
}
