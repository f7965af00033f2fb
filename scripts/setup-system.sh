#!/usr/bin/env bash
# The Debian packages the edition's build and tests need: XeLaTeX with Chinese support, the
# Noto CJK fonts and make (the PDF: `sphinx -M latexpdf` runs make), epubcheck (the EPUB),
# poppler-utils (PDF checks and page images), Chromium (browser tests, screenshots) and jing
# (validating the TEI export against the TEI P5 schema).
# Installs only what is missing; does nothing, and needs no privileges, when all is there.
set -euo pipefail

PACKAGES=(
  texlive-xetex
  texlive-lang-chinese
  texlive-latex-extra
  texlive-latex-recommended
  texlive-fonts-recommended
  latexmk
  fonts-noto-cjk
  fonts-freefont-otf
  epubcheck
  poppler-utils
  chromium
  jing
  make
)

fail() {
  echo "setup-system: $*" >&2
  exit 1
}

command -v dpkg-query >/dev/null 2>&1 ||
  fail "not a Debian system (no dpkg-query); install by hand: ${PACKAGES[*]}"

missing=()
for package in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$package")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup-system: all ${#PACKAGES[@]} system packages are installed"
  exit 0
fi

command -v apt-get >/dev/null 2>&1 ||
  fail "apt-get not found; install by hand: ${missing[*]}"

# No questions from debconf; env passes the setting through sudo, which drops the environment.
if [[ $(id -u) -eq 0 ]]; then
  as_root=(env DEBIAN_FRONTEND=noninteractive)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n env DEBIAN_FRONTEND=noninteractive)
else
  fail "missing ${missing[*]}; run as root or with passwordless sudo: sudo bash $0"
fi

echo "setup-system: installing ${missing[*]}"
"${as_root[@]}" apt-get update -q ||
  fail "apt-get update failed; install by hand: ${missing[*]}"
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" ||
  fail "apt-get install failed for: ${missing[*]}"
echo "setup-system: done"
