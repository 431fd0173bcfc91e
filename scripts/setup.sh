#!/usr/bin/env bash
# Installs what kubun and its tests need on a fresh Debian 12 machine (Node and npm present).
# Idempotent: skips what is already there. Usage: bash scripts/setup.sh [--tests]
set -euo pipefail
cd "$(dirname "$0")/.."
BUN_VERSION=1.4.5
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

if ! command -v bun >/dev/null || [ "$(bun --version)" != "$BUN_VERSION" ]; then
  echo "setup: installing bun $BUN_VERSION through npm" >&2
  $SUDO npm i -g "bun@$BUN_VERSION" --no-fund --no-audit >/dev/null
fi

if [ "${1:-}" = "--tests" ]; then
  pkgs=(etcd-client etcd-server nftables iproute2 busybox-static docker.io dnsutils qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross)
  missing=()
  for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: apt-get install ${missing[*]}" >&2
    $SUDO apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  # Docker: start dockerd in the background when none answers (no systemd here).
  if command -v dockerd >/dev/null && ! docker info >/dev/null 2>&1; then
    echo "setup: starting dockerd" >&2
    $SUDO sh -c 'nohup dockerd >/var/log/kubun-test-dockerd.log 2>&1 &'
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  fi
fi

if [ -n "${CI:-}" ]; then bun install --frozen-lockfile >/dev/null; else bun install >/dev/null; fi
