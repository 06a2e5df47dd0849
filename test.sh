#!/usr/bin/env bash
# The test command: installs what the tests need (Azurite from package-lock.json, NuGet packages), then runs
# every test against a real Azurite that the test fixture starts on free ports. The Functions app is not built
# here (its packages cannot be restored on these machines): Pipeline.Local.slnf leaves it out.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
npm ci --no-audit --no-fund --loglevel=error
dotnet restore Pipeline.Local.slnf
dotnet build Pipeline.Local.slnf --no-restore -c Release
log="$(mktemp)"
status=0
dotnet test Pipeline.Local.slnf --no-build -c Release --logger "console;verbosity=normal" "$@" | tee "$log" || status=$?
# A plain closing line ("N passed, N failed") that any CI can read.
passed=$(awk '$1 == "Passed:" && $2 ~ /^[0-9]+$/ {s+=$2} END {print s+0}' "$log")
failed=$(awk '$1 == "Failed:" && $2 ~ /^[0-9]+$/ {s+=$2} END {print s+0}' "$log")
rm -f "$log"
echo "$passed passed, $failed failed"
exit "$status"
