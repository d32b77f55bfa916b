#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the executor's integration tests and for trying the
# Slurm executor without a real cluster. Needs root and Debian's slurm-wlm + munge.
#
#   bash scripts/slurmCluster.sh start DIR   # writes DIR/slurm.conf, starts munged, slurmctld, slurmd
#   bash scripts/slurmCluster.sh stop DIR    # cancels every job, stops the daemons
#   bash scripts/slurmCluster.sh status DIR
#
# Everything lives in DIR (state, spool, logs, the munge key and socket); nothing under /etc is touched.
# Clients find the cluster through SLURM_CONF=DIR/slurm.conf. Ports 26817/26818 unless SLURM_PORT_BASE is set.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: slurmCluster.sh start|stop|status DIR" >&2
  exit 2
fi
dir=$(mkdir -p "$dir" && cd "$dir" && pwd)
conf="$dir/slurm.conf"
sock="$dir/munge/munge.socket"
export SLURM_CONF="$conf"

fail() {
  echo "slurm cluster: $*" >&2
  exit 1
}

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

write_conf() {
  local host cpus port
  host=$(hostname)
  cpus=$(nproc)
  port=${SLURM_PORT_BASE:-26817}
  cat >"$conf" <<EOF
# Written by scripts/slurmCluster.sh: a one-node test cluster.
ClusterName=hpo-test
SlurmctldHost=$host
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPort=$port
SlurmdPort=$((port + 1))
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
NodeName=$host CPUs=$cpus RealMemory=4000 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
}

start_munge() {
  mkdir -p "$dir/munge"
  # munged runs as the munge user: it must reach its folder (a mktemp folder is 0700).
  chmod go+x "$dir"
  chown munge:munge "$dir/munge"
  # munged refuses a socket folder that others cannot traverse, and a key others can read.
  chmod 711 "$dir/munge"
  [ -f "$dir/munge/munge.key" ] || mungekey -c -f -k "$dir/munge/munge.key"
  chown munge:munge "$dir/munge/munge.key"
  chmod 600 "$dir/munge/munge.key"
  running "$dir/munge/munged.pid" && return 0
  su -s /bin/sh munge -c "munged --socket=$sock --key-file=$dir/munge/munge.key \
    --log-file=$dir/munge/munged.log --pid-file=$dir/munge/munged.pid --seed-file=$dir/munge/munged.seed" ||
    fail "munged did not start: $(tail -n 3 "$dir/munge/munged.log" 2>/dev/null)"
}

wait_idle() {
  for _ in $(seq 1 50); do
    if sinfo -h -o '%t' 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then return 0; fi
    sleep 0.2
  done
  fail "the node did not come up within 10 s: $(tail -n 5 "$dir/log/slurmd.log" 2>/dev/null)"
}

case "$cmd" in
start)
  [ "$(id -u)" -eq 0 ] || fail "must run as root (slurmd and munged need it)"
  for b in munged mungekey slurmctld slurmd srun sinfo; do
    command -v "$b" >/dev/null || fail "$b not found: install Debian's slurm-wlm and munge"
  done
  mkdir -p "$dir/state" "$dir/spool" "$dir/log"
  write_conf
  start_munge
  running "$dir/slurmctld.pid" || slurmctld -f "$conf" || fail "slurmctld did not start"
  running "$dir/slurmd.pid" || slurmd -f "$conf" || fail "slurmd did not start"
  wait_idle
  echo "slurm cluster up: SLURM_CONF=$conf"
  ;;
stop)
  if running "$dir/slurmctld.pid"; then scancel --full --quiet --user=root 2>/dev/null || true; fi
  for p in "$dir/slurmd.pid" "$dir/slurmctld.pid"; do
    if running "$p"; then kill "$(cat "$p")"; fi
  done
  for _ in $(seq 1 50); do
    running "$dir/slurmd.pid" || running "$dir/slurmctld.pid" || break
    sleep 0.1
  done
  if running "$dir/munge/munged.pid"; then kill "$(cat "$dir/munge/munged.pid")"; fi
  echo "slurm cluster stopped"
  ;;
status)
  running "$dir/slurmctld.pid" && running "$dir/slurmd.pid" || fail "not running"
  sinfo
  ;;
*)
  echo "usage: slurmCluster.sh start|stop|status DIR" >&2
  exit 2
  ;;
esac
