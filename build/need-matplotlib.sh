#!/usr/bin/env bash
# Installs Debian's python3-matplotlib (for /usr/bin/python3) when missing: plots of `make bench` and `make soak`.
# Not part of `make setup`: tests and the demo do not need it.
set -euo pipefail
if ! dpkg-query -W -f='${Status}' python3-matplotlib 2>/dev/null | grep -q "install ok installed"; then
  echo "${1:-build}: installing python3-matplotlib (plots)"
  sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends python3-matplotlib >/dev/null
fi
