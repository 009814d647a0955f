# Sourced by the scripts that start JVMs which train children (jobs/nasnet, the bench scripts) and by
# those that start executors (jobs/submit-yarn.sh): the native allocator children train with.
# ND4J and oneDNN allocate and free large buffers in every training step; glibc's malloc keeps the
# freed memory, fragmented, and a child's process grows to about three times what it holds (3.5 GB for
# the ChildSpeed network). With jemalloc the same child peaks at about 1.4 GB and trains as fast
# (docs/performance.md, "Bringing it down"). Sets
#   NASNET_JEMALLOC     the path of Debian's libjemalloc.so.2 (package libjemalloc2), installed here
#                       when missing and this user may install packages; empty when it is not there
#   NASNET_MALLOC_CONF  jemalloc's settings: freed pages are never purged on a timer (that refaults
#                       them every step, at half the speed); the child purges them itself when a
#                       workspace is sized and after the child (io.nasnet.child.runtime.NativeMemory,
#                       with the JVM options NATIVE_ACCESS of jobs/java17.sh)
# and nasnet_preload exports LD_PRELOAD and MALLOC_CONF for the JVMs this shell starts. NASNET_ALLOCATOR=glibc
# keeps glibc's malloc (to compare, or where jemalloc cannot be had).
# shellcheck shell=bash
NASNET_MALLOC_CONF="dirty_decay_ms:-1,muzzy_decay_ms:-1"
NASNET_JEMALLOC=""
if [ "${NASNET_ALLOCATOR:-jemalloc}" = jemalloc ]; then
  for lib in /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/lib/aarch64-linux-gnu/libjemalloc.so.2; do
    [ -f "$lib" ] && NASNET_JEMALLOC=$lib && break
  done
  if [ -z "$NASNET_JEMALLOC" ] && command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; then
      echo "installing libjemalloc2 (children train with jemalloc: docs/performance.md)" >&2
      as_root=()
      [ "$(id -u)" = 0 ] || as_root=(sudo)
      export DEBIAN_FRONTEND=noninteractive
      { "${as_root[@]}" apt-get install -y -qq libjemalloc2 \
        || { "${as_root[@]}" apt-get update -qq && "${as_root[@]}" apt-get install -y -qq libjemalloc2; }; } \
        >/dev/null 2>&1 || true
      for lib in /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/lib/aarch64-linux-gnu/libjemalloc.so.2; do
        [ -f "$lib" ] && NASNET_JEMALLOC=$lib && break
      done
    fi
  fi
  if [ -z "$NASNET_JEMALLOC" ]; then
    echo "warning: no libjemalloc.so.2 here (Debian: apt-get install libjemalloc2): children train with" \
      "glibc's malloc and take about three times the memory (docs/performance.md)" >&2
  fi
fi
export NASNET_JEMALLOC NASNET_MALLOC_CONF

# LD_PRELOAD and MALLOC_CONF for the JVMs started from here on, when jemalloc is there
nasnet_preload() {
  if [ -n "$NASNET_JEMALLOC" ]; then
    case ":${LD_PRELOAD:-}:" in
      *":$NASNET_JEMALLOC:"*) ;;
      *) export LD_PRELOAD="$NASNET_JEMALLOC${LD_PRELOAD:+:$LD_PRELOAD}" ;;
    esac
    export MALLOC_CONF="$NASNET_MALLOC_CONF"
  fi
}
