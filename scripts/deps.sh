#!/usr/bin/env bash
# Install the Debian packages that building and testing cfgate need, skipping
# those already installed. Runs apt-get only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config re2c bison
  libjansson-dev libzip-dev libyaml-dev libcmocka-dev
  libpcre2-dev unicode-data python3 python3-jsonschema python3-yaml zip strace
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing missing packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
fi
