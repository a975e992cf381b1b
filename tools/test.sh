#!/usr/bin/env bash
# The README's test command. Sets up what the tests need when it is missing, then runs the whole suite:
#   1. the Debian packages listed in tools/debian-packages.txt (scope "tests"; also "ci" when SELFSIM_CI=1):
#      apt-get install as root, or through sudo; without either, one message that lists them and exit 1 before building;
#   2. the pinned .NET Interactive kernel (`dotnet tool restore`, .config/dotnet-tools.json) and its Jupyter kernelspec
#      ".NET (C#)" (`dotnet interactive jupyter install` into ~/.local/share/jupyter/kernels) when it is not registered;
#   3. dotnet test SelfSim.slnx -c Release, with any further arguments (e.g. --filter ...).
# Usage: tools/test.sh [--dry-run] [DOTNET TEST ARGUMENTS...]
#   --dry-run: say what would be installed and run, change nothing. SELFSIM_PACKAGE_LIST names another list (tests do).
set -uo pipefail
cd "$(dirname "$0")/.."

dry=0
args=()
for a in "$@"; do
  if [ "$a" = --dry-run ]; then dry=1; else args+=("$a"); fi
done
say() { echo "test.sh: $*"; }
run() { if [ "$dry" = 1 ]; then say "would run: $*" >&2; else "$@"; fi; }

list=${SELFSIM_PACKAGE_LIST:-tools/debian-packages.txt}
[ -f "$list" ] || { say "the package list $list does not exist" >&2; exit 1; }
scopes=" tests "
[ "${SELFSIM_CI:-0}" = 1 ] && scopes=" tests ci "
wanted=$(awk -v scopes="$scopes" '$1 !~ /^#/ && NF >= 2 && index(scopes, " " $2 " ") { print $1 }' "$list")

# 1. Debian packages
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in $wanted; do
    dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || missing+=("$p")
  done
else
  say "no dpkg-query (not Debian or Ubuntu): cannot check for the packages the tests need:" $wanted
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then as_root=()
  elif command -v sudo >/dev/null 2>&1; then as_root=(sudo)
  else
    say "missing Debian packages: ${missing[*]}. Install them as root (apt-get install -y ${missing[*]}) and run tools/test.sh again." >&2
    exit 1
  fi
  say "installing ${missing[*]}"
  if ! { run "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
         run "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; }; then
    say "could not install ${missing[*]}: install them (apt-get install -y ${missing[*]}) and run tools/test.sh again." >&2
    exit 1
  fi
else
  say "Debian packages: all there"
fi

# 2. the pinned kernel and its kernelspec
command -v dotnet >/dev/null 2>&1 || { say "the .NET SDK (see global.json) is not on PATH: install it first" >&2; exit 1; }
run dotnet tool restore >/dev/null || { say "dotnet tool restore failed (its error is above): the pinned kernel (.config/dotnet-tools.json) could not be restored" >&2; exit 1; }
kernels=${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}/kernels
registered=0
for d in "$kernels" /usr/local/share/jupyter/kernels /usr/share/jupyter/kernels; do
  [ -f "$d/.net-csharp/kernel.json" ] && registered=1
done
if [ "$registered" = 0 ]; then
  say "registering the .NET (C#) kernelspec in $kernels"
  run mkdir -p "$kernels"
  run dotnet interactive jupyter install >/dev/null || { say "dotnet interactive jupyter install failed" >&2; exit 1; }
else
  say "kernel: .NET (C#) kernelspec registered"
fi

# 3. the suite
run dotnet test SelfSim.slnx -c Release "${args[@]}"
