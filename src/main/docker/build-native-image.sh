#!/usr/bin/env bash
# Builds the native image of Dockerfile.native with buildah from scratch, pulling nothing: the executable,
# the toolchain's runtime libraries, the glibc files they link, CA certificates and a non-root user are
# copied in from this host (Debian 12: glibc 2.36).
#   src/main/docker/build-native-image.sh [image-name]     (after ./mvnw package -Dnative)
set -euo pipefail
cd "$(dirname "$0")/../../.."

image="${1:-quarkchat:1.0.0-SNAPSHOT}"
executable=$(ls target/*-runner)
runtime_libs="${GRAALVM_HOME:?set GRAALVM_HOME to the native toolchain}/lib/svm/runtime-libs"
uid=10001

container=$(buildah from scratch)
trap 'buildah rm "$container" >/dev/null' EXIT

buildah copy --chmod 0555 "$container" "$executable" /work/application >/dev/null
buildah copy --chmod 0444 "$container" "$runtime_libs" /work/lib >/dev/null

# Every shared library the executable and its runtime libraries load, with the dynamic loader, at the
# paths they have on this host.
shared_objects=$( { LD_LIBRARY_PATH="$runtime_libs" ldd "$executable"; for lib in "$runtime_libs"/*.so; do
    LD_LIBRARY_PATH="$runtime_libs" ldd "$lib"; done; } \
    | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | grep -v "^$runtime_libs/" | sort -u)
for object in $shared_objects; do
    buildah copy "$container" "$(readlink -f "$object")" "$object" >/dev/null
done
# Name resolution and TLS trust, as any glibc program expects them.
for file in /etc/ssl/certs/ca-certificates.crt /etc/nsswitch.conf; do
    buildah copy "$container" "$file" "$file" >/dev/null
done
for nss in /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2; do
    [ -e "$nss" ] && buildah copy "$container" "$(readlink -f "$nss")" "$nss" >/dev/null
done
staging=$(mktemp -d)
printf 'root:x:0:0:root:/root:/sbin/nologin\nquarkchat:x:%s:%s:quarkchat:/work:/sbin/nologin\n' "$uid" "$uid" > "$staging/passwd"
printf 'root:x:0:\nquarkchat:x:%s:\n' "$uid" > "$staging/group"
buildah copy "$container" "$staging/passwd" /etc/passwd >/dev/null
buildah copy "$container" "$staging/group" /etc/group >/dev/null
rm -rf "$staging"
# A writable /tmp for Vert.x's file cache (Kubernetes mounts an emptyDir there, the root being read-only).
root=$(buildah mount "$container")
install -d -m 1777 "$root/tmp"
buildah umount "$container" >/dev/null

buildah config --user "$uid:$uid" --workingdir /work --port 8080 --entrypoint '["/work/application"]' \
    --label org.opencontainers.image.title=quarkchat "$container"
buildah commit --quiet "$container" "$image"
echo "built $image"
