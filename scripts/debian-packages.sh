#!/usr/bin/env bash
# Sourced by ./cloister, ./test and the benches: installs the Debian packages a caller names when any
# is missing, from the machine's Debian registry, without starting the services some of them ship
# (unbound, dnsmasq, nginx). Usage: ensure_debian_packages NAME "package..." ; returns non-zero with
# a message naming the packages when they cannot be installed.

# The packages the running stack needs: the fabric (ip, nft, nsenter/unshare), the on-premises DNS
# server (dnsmasq), and what `cloister up` suggests trying from a host (curl, dig).
cloister_runtime_packages=(iproute2 nftables util-linux dnsmasq-base curl dnsutils)

ensure_debian_packages() {
  local who="$1"; shift
  # Not a Debian system: nothing to install from here; the programs themselves are checked where they are used
  # (the fabric names any missing one with its package).
  command -v dpkg-query >/dev/null && command -v apt-get >/dev/null || return 0
  local installed missing=() package
  # One dpkg-query for all of them: a call per package made every `cloister up` 0.1 s slower.
  installed=" $(dpkg-query -W -f='${Package}:${Status};' "$@" 2>/dev/null | tr ';' '\n' | sed -n 's/^\([^:]*\):.*install ok installed$/\1/p' | tr '\n' ' ') "
  for package in "$@"; do
    [[ "$installed" == *" $package "* ]] || missing+=("$package")
  done
  ((${#missing[@]})) || return 0
  echo "$who: installing Debian packages: ${missing[*]}" >&2
  local sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "$who: these packages are missing and installing them needs root: ${missing[*]}" >&2; return 1; }
    sudo_cmd=(sudo)
  fi
  # Installing unbound, dnsmasq or nginx must not start them as machine services.
  local policy_added=0 status
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${sudo_cmd[@]}" chmod +x /usr/sbin/policy-rc.d; policy_added=1
  fi
  "${sudo_cmd[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  status=$?
  ((policy_added)) && "${sudo_cmd[@]}" rm -f /usr/sbin/policy-rc.d
  if ((status != 0)); then echo "$who: apt-get install failed for: ${missing[*]}" >&2; return 1; fi
}
