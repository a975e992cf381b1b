#!/usr/bin/env bash
# Runs a real Slurm on this machine (slurmctld + slurmd on 127.0.0.1, munge with a fresh key, all state in a temp folder),
# submits `selfsim experiment --sbatch`'s job array of 4 tiny runs (mlp on embedded MNIST, 1 epoch on 256 images),
# waits, checks `selfsim summarize` counts 4 finished runs and no missing one, and stops the daemons whatever happens.
# Needs root (slurmd launches the jobs) and Debian's slurm-wlm and munge. Exit 0 = pass. Usage: .ci/slurm-test.sh [SELFSIM_DLL]
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
start=$(date +%s)
dll=${1:-$root/tools/selfsim/bin/Release/net10.0/selfsim.dll}
fail() { echo "slurm-test: FAIL: $*"; exit 1; }
for b in slurmctld slurmd munged sbatch squeue sinfo scontrol; do command -v "$b" >/dev/null || fail "$b is missing (apt-get install slurm-wlm munge)"; done
[ "$(id -u)" = 0 ] || fail "needs root: slurmd must start jobs as the submitting user"
[ -f "$dll" ] || dotnet build tools/selfsim -c Release -v q >/dev/null || fail "could not build tools/selfsim"

tmp=$(mktemp -d /tmp/selfsim-slurm.XXXXXX)
export SLURM_CONF=$tmp/slurm.conf
cleanup() {
  scontrol shutdown >/dev/null 2>&1
  for pidfile in "$tmp/slurmd.pid" "$tmp/slurmctld.pid" "$tmp/munged.pid"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
  done
  sleep 1
  for pidfile in "$tmp/slurmd.pid" "$tmp/slurmctld.pid" "$tmp/munged.pid"; do
    [ -f "$pidfile" ] && kill -9 "$(cat "$pidfile")" 2>/dev/null
  done
  if [ "${keep:-0}" != 1 ]; then rm -rf "$tmp"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)); }
mkdir -p "$tmp/state" "$tmp/spool" "$tmp/munge"
chmod 700 "$tmp/munge"
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none && chmod 400 "$tmp/munge/munge.key"
munged --force --key-file="$tmp/munge/munge.key" --socket="$tmp/munge/munge.sock" --pid-file="$tmp/munged.pid" \
       --log-file="$tmp/munged.log" --seed-file="$tmp/munge/munge.seed" || fail "munged did not start ($(cat "$tmp/munged.log" 2>/dev/null))"

node=$(hostname -s)
cpus=$(nproc)
cat > "$SLURM_CONF" <<CONF
ClusterName=selfsimci
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/munge.sock
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SlurmdTimeout=60
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=4000 State=UNKNOWN
PartitionName=ci Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF

slurmctld -c -f "$SLURM_CONF" || fail "slurmctld did not start: $(tail -5 "$tmp/slurmctld.log" 2>/dev/null)"
slurmd -f "$SLURM_CONF" -N "$node" || fail "slurmd did not start: $(tail -5 "$tmp/slurmd.log" 2>/dev/null)"
for i in $(seq 1 60); do
  state=$(sinfo -h -n "$node" -o %T 2>/dev/null | head -n1)
  [ "$state" = idle ] && break
  sleep 1
done
[ "$state" = idle ] || { keep=1; fail "the node did not come up (state '$state'); logs in $tmp"; }

grid=$tmp/grid
selfsim() { nice -n 10 dotnet "$dll" "$@"; }
selfsim experiment --plan --sbatch --out "$grid" --model mlp --dataset mnist --seeds 0,1 --epochs 1 --train-limit 256 --test-limit 128 \
  --batch-size 32 --threads 1 --cpus 1 --gpus 0 --mem 1000M --time 00:10:00 --plain || fail "selfsim --plan --sbatch failed"
job=$(sbatch --parsable "$grid/grid.sbatch") || fail "sbatch refused the array: $(cat "$grid/grid.sbatch")"
echo "slurm-test: submitted array job $job (4 tasks) to a local slurmctld on $node"
for i in $(seq 1 300); do
  left=$(squeue -h -j "$job" 2>/dev/null | wc -l)
  [ "$left" = 0 ] && break
  sleep 2
done
[ "$left" = 0 ] || { scancel "$job"; fail "the array did not finish in 10 minutes"; }
summary=$(selfsim summarize --out "$grid" --strict) ; status=$?
echo "$summary"
if [ $status -ne 0 ] || ! grep -q "finished 4 of 4 tasks" <<<"$summary"; then
  for f in "$grid"/slurm/*.out; do echo "== $f"; tail -5 "$f"; done
  fail "summarize did not find 4 finished runs"
fi
rows=$(($(wc -l < "$grid/runs.csv") - 1))
[ "$rows" = 4 ] || fail "runs.csv has $rows rows, expected 4 (no run counted twice)"
echo "slurm-test: PASS in $(( $(date +%s) - start )) s (4 array tasks ran under Slurm, summary has 4 runs)"
