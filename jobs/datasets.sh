# Sourced by jobs/nasnet and the bench scripts: installs the Debian dataset packages that a command's
# arguments (or the configuration files they name) read, when missing and this user may install
# packages, as jobs/allocator.sh installs jemalloc. Today one: Fashion-MNIST's 60,000 + 10,000 images,
# Debian's dataset-fashion-mnist, read from /usr/share/datasets/fashion-mnist (conf/fashion-full.conf).
# Where it cannot be installed the command itself refuses before any child trains, naming the package.
# shellcheck shell=bash
nasnet_datasets() {
  local wants=false arg
  for arg in "$@"; do
    case "$arg" in
      */usr/share/datasets/fashion-mnist*) wants=true ;;
    esac
    if [ -f "$arg" ] && grep -q '/usr/share/datasets/fashion-mnist' "$arg" 2>/dev/null; then
      wants=true
    fi
  done
  $wants || return 0
  [ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] && return 0
  command -v apt-get >/dev/null 2>&1 || return 0
  if [ "$(id -u)" = 0 ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; then
    echo "installing dataset-fashion-mnist (the full Fashion-MNIST the configuration reads)" >&2
    local as_root=()
    [ "$(id -u)" = 0 ] || as_root=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    { "${as_root[@]}" apt-get install -y -qq dataset-fashion-mnist \
      || { "${as_root[@]}" apt-get update -qq && "${as_root[@]}" apt-get install -y -qq dataset-fashion-mnist; }; } \
      >/dev/null 2>&1 || true
  fi
}
