#!/usr/bin/env bash
# Builds a base image for the Parasol images from Debian's packages alone, for machines that
# cannot pull one from a registry: Debian 12 (minbase) with OpenJDK 17's headless runtime, as a
# single-layer image archive in the `docker save` format that Jib reads as `tar://FILE`.
#
#   platform/images/base/debian-jre.sh /var/cache/parasol/debian-jre17-bwrap.tar
#
# Needs root and debootstrap (apt-get install debootstrap). Takes a few minutes; an archive that
# already exists is kept.
set -euo pipefail

out="${1:?usage: debian-jre.sh OUT.tar}"
suite="${DEBIAN_SUITE:-bookworm}"
if [ -s "$out" ]; then
  echo "base image $out exists; keeping it"
  exit 0
fi
command -v debootstrap >/dev/null || apt-get install -y -q debootstrap >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates,bubblewrap \
  "$suite" "$root" >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log"; exit 1; }

# What an image does not need: package caches, documentation, the locale archive, logs.
rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
  "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/log/* "$root"/tmp/*
chmod 1777 "$root/tmp"

mkdir -p "$work/image"
tar --numeric-owner --xattrs -C "$root" --exclude=./proc/* --exclude=./sys/* --exclude=./dev/* \
  -cf "$work/image/layer.tar" .
diff_id="sha256:$(sha256sum "$work/image/layer.tar" | cut -d' ' -f1)"
java_home="$(dirname "$(dirname "$(readlink -f "$root/usr/bin/java" | sed "s|^$root||")")")"
cat >"$work/image/config.json" <<JSON
{"architecture":"amd64","os":"linux",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=${java_home}","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["${diff_id}"]},
 "history":[{"created_by":"debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates,bubblewrap ${suite}"}]}
JSON
cat >"$work/image/manifest.json" <<JSON
[{"Config":"config.json","RepoTags":["parasol/debian-jre:17"],"Layers":["layer.tar"]}]
JSON
mkdir -p "$(dirname "$out")"
tar -C "$work/image" -cf "$out.part" manifest.json config.json layer.tar
mv "$out.part" "$out"
echo "base image written to $out ($(du -h "$out" | cut -f1))"
