#!/usr/bin/env bash
# The test command: installs what the tests need (Azurite from package-lock.json, NuGet packages), then runs
# every test against a real Azurite that the test fixture starts on free ports. The whole solution is built in
# Release, the Functions app (functions/) included, and its tests run with the rest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
npm ci --no-audit --no-fund --loglevel=error
# Debian's chromium for the board-pack test (it renders the page headless); installed once, when absent.
if ! command -v chromium >/dev/null 2>&1; then
  apt_get() { if [ "$(id -u)" -eq 0 ]; then apt-get "$@"; elif command -v sudo >/dev/null 2>&1; then sudo -n apt-get "$@"; else return 1; fi; }
  { apt_get update -qq && DEBIAN_FRONTEND=noninteractive apt_get install -y -qq --no-install-recommends chromium >/dev/null; } \
    || echo "test.sh: could not install chromium; the board-pack Chromium test will be skipped" >&2
fi
dotnet restore Pipeline.sln
dotnet build Pipeline.sln --no-restore -c Release
log="$(mktemp)"
status=0
dotnet test Pipeline.sln --no-build -c Release --logger "console;verbosity=normal" "$@" | tee "$log" || status=$?
# A plain closing line ("N passed, N failed") that any CI can read.
passed=$(awk '$1 == "Passed:" && $2 ~ /^[0-9]+$/ {s+=$2} END {print s+0}' "$log")
failed=$(awk '$1 == "Failed:" && $2 ~ /^[0-9]+$/ {s+=$2} END {print s+0}' "$log")
# Each failed test again, with the first lines of its message: a CI that shows only the end of the log still names it.
if [ "$failed" -gt 0 ]; then
  echo "Failed tests:"
  awk '/^  Failed / {show=1; n=0} /^  (Passed|Skipped) / {show=0} show && /^ / && n++ < 25 {print}' "$log"
fi
rm -f "$log"
echo "$passed passed, $failed failed"
exit "$status"
