#!/usr/bin/env bash
# Runs every test project with line coverage (coverlet) and prints the merged line-coverage figure.
# Results land in TestResults/ (one .trx per project, Cobertura XML per project).
set -uo pipefail
cd "$(dirname "$0")/.."
rm -rf TestResults
dotnet build QuiltMcp.slnx -c Release -warnaserror -nologo -v quiet || exit 1
dotnet test QuiltMcp.slnx -c Release --no-build --nologo \
  --logger "trx" --results-directory TestResults \
  --collect "XPlat Code Coverage" --settings coverlet.runsettings
status=$?
python3 scripts/coverage.py TestResults || status=$?
exit $status
