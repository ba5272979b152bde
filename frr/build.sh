#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build FRR 8.4.4 from Debian's source package with our patch series applied,
# into a cache directory keyed by FRR version and the hash of the patch series
# (plus the configure flags below).  A cache hit costs a hash and a stat.
#
# Prints nothing but progress on stderr; on success the last line on stdout is
# the cache directory ($dir), which holds:
#   $dir/src      patched source, built in-tree (modules compile against it)
#   $dir/prefix   installed FRR (sbin/zebra, isisd, bgpd, staticd, bin/vtysh)
#   $dir/patchset the patch-series hash
set -euo pipefail

FRR_VERSION=8.4.4
here=$(cd "$(dirname "$0")" && pwd)
cache=${CFN_CACHE:-$HOME/.cache/cfn}
jobs=${CFN_JOBS:-3}

msg() { printf 'frr/build.sh: %s\n' "$*" >&2; }
die() { printf 'frr/build.sh: error: %s\n' "$*" >&2; exit 1; }

# Configure flags are part of the cache key: changing them rebuilds.
configure_flags() {
	local prefix=$1 hash=$2
	cat <<FLAGS
--prefix=$prefix
--sysconfdir=$prefix/etc/frr
--localstatedir=$prefix/var/run/frr
--with-moduledir=$prefix/lib/frr/modules
--with-pkg-extra-version=-cfn-$hash
--enable-user=root
--enable-group=root
--enable-multipath=64
--disable-doc
--disable-ripd --disable-ripngd --disable-ospfd --disable-ospf6d
--disable-ldpd --disable-nhrpd --disable-eigrpd --disable-babeld
--disable-pimd --disable-pim6d --disable-pbrd --disable-fabricd
--disable-vrrpd --disable-bfdd --disable-pathd
--enable-sharpd
--disable-snmp --disable-rpki --disable-scripting --disable-grpc
--disable-zeromq --disable-fpm
FLAGS
}

patch_hash() {
	# The hash covers the patches and the flag template, not the prefix.
	{
		echo "frr-$FRR_VERSION"
		configure_flags PREFIX HASH
		for p in "$here"/patches/*.patch; do
			[ -e "$p" ] || continue
			basename "$p"
			cat "$p"
		done
	} | sha256sum | cut -c1-12
}

hash=$(patch_hash)
dir=$cache/frr-$FRR_VERSION-$hash
if [ -f "$dir/.complete" ]; then
	echo "$dir"
	exit 0
fi

# Two builds of the same key (two checkouts, a helper and CI) must not race.
mkdir -p "$cache"
exec 9>"$cache/frr-$FRR_VERSION-$hash.lock"
flock 9
if [ -f "$dir/.complete" ]; then
	echo "$dir"
	exit 0
fi

msg "building FRR $FRR_VERSION with patch series $hash into $dir"
mkdir -p "$cache/dl"

fetch_source() {
	local dl=$cache/dl
	if ls "$dl"/frr_"$FRR_VERSION"*.dsc >/dev/null 2>&1; then
		return
	fi
	command -v dpkg-source >/dev/null ||
		die "dpkg-source missing: run './run build' (it installs dpkg-dev)"
	msg "fetching Debian's source package of frr"
	(cd "$dl" && apt-get source --download-only -qq frr 2>&1 | grep -v -e NOTICE -e "git clone" -e "^Please use" -e "retrieve the latest" -e "^https://" -e "^$" -e unsandboxed || true) >&2
	ls "$dl"/frr_*.dsc >/dev/null 2>&1 ||
		die "'apt-get source frr' failed: is Debian's package registry reachable and is there a deb-src entry? ('./run build' adds one)"
}

fetch_source
dsc=$(ls "$cache"/dl/frr_"$FRR_VERSION"*.dsc 2>/dev/null | sort -V | tail -1)
[ -n "$dsc" ] || die "Debian's source package is not frr $FRR_VERSION: $(ls "$cache"/dl/*.dsc)"

# Built in place (libtool and the Makefiles bake in absolute paths); the
# .complete marker is written last, so an interrupted build is redone.
rm -rf "$dir"
mkdir -p "$dir"
msg "unpacking $(basename "$dsc") (Debian patches applied)"
dpkg-source --no-check -x "$dsc" "$dir/src" >/dev/null

for p in "$here"/patches/*.patch; do
	[ -e "$p" ] || continue
	msg "applying $(basename "$p")"
	patch -d "$dir/src" -p1 --forward --batch -s <"$p" ||
		die "patch $(basename "$p") does not apply to FRR $FRR_VERSION"
done

prefix=$dir/prefix
log=$dir/log
mkdir -p "$log"
cd "$dir/src"
msg "bootstrap"
./bootstrap.sh >"$log/bootstrap.log" 2>&1 ||
	{ tail -20 "$log/bootstrap.log" >&2; die "bootstrap failed"; }
msg "configure"
# shellcheck disable=SC2046
./configure PYTHON=/usr/bin/python3 CFLAGS="-g -O2" \
	$(configure_flags "$prefix" "$hash") >"$log/configure.log" 2>&1 ||
	{ tail -30 "$log/configure.log" >&2; die "configure failed (log: $log/configure.log)"; }
msg "make -j$jobs (about 2 minutes on 2 cores)"
make -j"$jobs" >"$log/make.log" 2>&1 ||
	{ grep -E 'error|Error' "$log/make.log" | head -30 >&2; die "make failed (log: $log/make.log)"; }
# FRR's own SPF test driver: the reference our SPF engine is checked against.
make tests/isisd/test_isis_spf >"$log/test_isis_spf.log" 2>&1 ||
	{ tail -20 "$log/test_isis_spf.log" >&2; die "building tests/isisd/test_isis_spf failed"; }
make install >"$log/install.log" 2>&1 ||
	{ tail -20 "$log/install.log" >&2; die "make install failed"; }
mkdir -p "$prefix/var/run/frr" "$prefix/etc/frr" "$prefix/var/log/frr"
# vtysh complains on every start when its (empty) config file is missing.
touch "$prefix/etc/frr/vtysh.conf"
# The project links its own vtysh from FRR's objects plus a command table
# that includes the modules' command files; it needs FRR's scan list.
make -s -f Makefile -f - print-vtysh-scan >"$dir/vtysh_scan" <<'MK'
print-vtysh-scan: ; @echo $(vtysh_scan)
MK
echo "$hash" >"$dir/patchset"
touch "$dir/.complete"
# Remove builds that were interrupted or failed (no .complete, not locked).
for other in "$cache"/frr-"$FRR_VERSION"-*/; do
	other=${other%/}
	[ "$other" != "$dir" ] && [ ! -f "$other/.complete" ] || continue
	(flock -n 8 && rm -rf "$other") 8>"$other.lock" 2>/dev/null || true
done
msg "done"
echo "$dir"
