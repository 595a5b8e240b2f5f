#!/usr/bin/env bash
# A real single-node Slurm 22.05 (Debian packages) for the integration tests and the benchmark:
# partitions "cpu" and "gpu" (two fake a100 GPUs), munged, slurmctld, slurmd and slurmrestd (JWT)
# on 127.0.0.1:6820, everything under BASE.
#
#   platform/slurm/slurm.sh install              apt packages (root; once per machine)
#   platform/slurm/slurm.sh start BASE           render the config and start the daemons
#   platform/slurm/slurm.sh stop BASE            stop them
#   platform/slurm/slurm.sh stop-ctld BASE       stop slurmctld only (failover tests)
#   platform/slurm/slurm.sh start-ctld BASE      start it again
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cmd="${1:-}"
BASE="${2:-/tmp/parasol-slurm}"
export SLURM_CONF="$BASE/etc/slurm.conf"

wait_for() { # seconds, command...
  local n=$1; shift
  for _ in $(seq 1 $((n * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  return 1
}

start_ctld() {
  if ! pgrep -f "slurmctld -f $SLURM_CONF" >/dev/null; then
    slurmctld -f "$SLURM_CONF"
  fi
  wait_for 20 bash -c "timeout 5 scontrol ping | grep -q UP" \
    || { tail -20 "$BASE/log/slurmctld.log"; exit 1; }
}

stop_daemon() { # pidfile
  if [ -f "$1" ]; then
    local pid; pid="$(cat "$1")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$1"
  fi
}

stop_all() {
  pkill -f "slurmrestd -s openapi" 2>/dev/null || true
  stop_daemon "$BASE/run/slurmd.pid"
  stop_daemon "$BASE/run/slurmctld.pid"
  stop_daemon "$BASE/run/munged.pid"
  # daemons whose pid files are gone
  for pattern in "slurmd -f $SLURM_CONF" "slurmctld -f $SLURM_CONF" "munged --key-file=$BASE/"; do
    pkill -9 -f "$pattern" 2>/dev/null || true
  done
  rm -f "$BASE/run/munge/munge.socket.2"*
}

case "$cmd" in
  install)
    if ! command -v slurmctld >/dev/null || ! command -v slurmrestd >/dev/null; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        slurm-wlm slurmctld slurmd slurmrestd munge slurm-client slurm-wlm-jwt-plugin >/dev/null
    fi
    ;;
  start)
    stop_all # whatever an earlier run left behind
    rm -rf "$BASE/state" # a fresh cluster: no jobs of earlier runs come back
    mkdir -p "$BASE"/{etc,run/munge,state/slurmctld,state/slurmd,log,fakedev,runs}
    chown root:root "$BASE/log"
    chmod 777 "$BASE/runs"
    sed "s|\${BASE}|$BASE|g" "$here/slurm.conf.template" > "$BASE/etc/slurm.conf"
    sed "s|\${BASE}|$BASE|g" "$here/gres.conf.template" > "$BASE/etc/gres.conf"
    for n in 0 1; do [ -e "$BASE/fakedev/nvidia$n" ] || mknod -m 666 "$BASE/fakedev/nvidia$n" c 195 $n; done
    [ -s "$BASE/etc/jwt_hs256.key" ] || { head -c 32 /dev/urandom > "$BASE/etc/jwt_hs256.key"; }
    chmod 600 "$BASE/etc/jwt_hs256.key"
    [ -s "$BASE/etc/munge.key" ] || { head -c 1024 /dev/urandom > "$BASE/etc/munge.key"; }
    chmod 400 "$BASE/etc/munge.key"
    chown root:root "$BASE/etc/munge.key"
    munged --key-file="$BASE/etc/munge.key" --socket="$BASE/run/munge/munge.socket.2" \
      --pid-file="$BASE/run/munged.pid" --log-file="$BASE/log/munged.log" \
      --seed-file="$BASE/run/munge.seed" --force
    start_ctld
    slurmd -f "$SLURM_CONF"
    wait_for 20 bash -c "sinfo -h -o %T | grep -qE 'idle|mixed|alloc'" \
      || { tail -20 "$BASE/log/slurmd.log"; exit 1; }
    (SLURM_JWT=daemon setsid -f runuser -u nobody -- env SLURM_CONF="$SLURM_CONF" SLURM_JWT=daemon \
      slurmrestd -s openapi/v0.0.38 -a rest_auth/jwt 127.0.0.1:6820 > "$BASE/log/slurmrestd.log" 2>&1)
    wait_for 20 bash -c "exec 3<>/dev/tcp/127.0.0.1/6820"
    echo "slurm up under $BASE: $(sinfo -h -o '%P %T' | tr '\n' ' ')"
    ;;
  stop) stop_all ;;
  stop-ctld) stop_daemon "$BASE/run/slurmctld.pid" ;;
  start-ctld) start_ctld ;;
  *) echo "usage: $0 install|start|stop|stop-ctld|start-ctld [BASE]" >&2; exit 2 ;;
esac
