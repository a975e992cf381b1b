#!/usr/bin/env bash
# The formatter check CI runs: `dotnet format --verify-no-changes` (whitespace and style, per .editorconfig) on
# every project of the solution. Exit 0 when nothing would change; otherwise it lists the files and exits non-zero.
# Fix locally with: dotnet format SelfSim.slnx whitespace && dotnet format SelfSim.slnx style
# .csx files compile through shared/SelfSim.Shared.csproj, so the shared scripts are checked too.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for part in whitespace style; do
  severity=(); [ "$part" = style ] && severity=(--severity warn)
  dotnet format SelfSim.slnx "$part" --verify-no-changes "${severity[@]}" --no-restore "$@" || status=1
done
exit $status
