#!/usr/bin/env bash
# Install what the benchmarks need: Debian packages (Node.js, npm, the Python
# peers, hyperfine, GNU time) when missing, and the npm peers pinned in
# bench/package-lock.json. Exits non-zero when something cannot be installed.
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)

packages=(python3 python3-jsonschema python3-fastjsonschema hyperfine time)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Some Node.js builds ship npm inside their nodejs package, which conflicts
# with Debian's npm package: install Node.js only when a command is missing.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi

if [ "${#missing[@]}" -gt 0 ]; then
  echo "bench setup: installing missing packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
fi

stamp=$bench/node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ "$bench/package-lock.json" -nt "$stamp" ]; then
  echo "bench setup: installing npm packages from bench/package-lock.json"
  (cd "$bench" && npm ci --no-audit --no-fund --loglevel=error)
fi
