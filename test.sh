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
dotnet test Pipeline.Local.slnf --no-build -c Release --logger "console;verbosity=normal" "$@"
