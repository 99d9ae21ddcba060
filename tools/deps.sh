#!/bin/sh
# Install what casefile needs to build (and, with "test" or "bench", to test
# or benchmark) on Debian/Ubuntu. As root it runs apt-get; otherwise it prints
# the exact command and fails, so nothing is installed behind the user's back.
set -eu

want="build-essential pkg-config tzdata libarchive-dev libpcre2-dev zlib1g-dev \
libssh2-1-dev libyaml-dev libjansson-dev libssl-dev libcmocka-dev"
for level in "$@"; do
	case "$level" in
	test)   want="$want tzdata lintian fakeroot clang libclang-rt-14-dev openssh-server openssh-client sudo jq xz-utils sosreport iproute2 procps shellcheck python3-yaml python3-jsonschema ansible-core cmark-gfm chromium groff-base man-db dpkg-dev zsh" ;;
	static) want="$want libzstd-dev liblz4-dev libacl1-dev libgpg-error-dev libbz2-dev liblzma-dev nettle-dev" ;;
	bench)  want="$want sosreport ripgrep time bc jq openssh-server" ;;
	esac
done

missing=""
for p in $want; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in *"ok installed"*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: missing packages:$missing (no apt-get here: install them with your package manager)" >&2
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
