#!/usr/bin/env bash
# The Debian packages the edition's build and tests need: XeLaTeX with Chinese support, the
# Noto CJK fonts and make (the PDF: `sphinx -M latexpdf` runs make), epubcheck (the EPUB),
# poppler-utils (PDF checks and page images), Chromium (browser tests, screenshots) and jing
# (validating the TEI export against the TEI P5 schema).
# Installs only what is missing; does nothing, and needs no privileges, when all is there.
# nox -s build, tests, tests-latest and bench run it first; the other sessions (html,
# tests-fast, tests-oldest, check, lint, serve, preview) need none of these packages.
#
# On Ubuntu (GitHub's ubuntu-latest runners) `chromium` is not a real package (only a snap
# stub): the browser is Playwright's own Chromium there, installed with its system libraries by
# `playwright install --with-deps chromium` through EDITION_PYTHON, the Python that has the
# project's test dependencies (nox's tests session passes its own). Debian keeps its package.
#   bash scripts/setup-system.sh            install what is missing
#   bash scripts/setup-system.sh --plan     print the distribution, the packages and the browser
set -euo pipefail

# /etc/os-release names the distribution; tests point this at a file of their own.
OS_RELEASE=${EDITION_OS_RELEASE:-/etc/os-release}

PACKAGES=(
  texlive-xetex
  texlive-lang-chinese
  texlive-latex-extra
  texlive-latex-recommended
  texlive-fonts-recommended
  latexmk
  fonts-noto-cjk
  fonts-freefont-otf
  fonts-noto-core
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

# The distribution's ID (debian, ubuntu, …), or its ID_LIKE family when it is a derivative.
distribution() {
  local id="" like=""
  if [[ -r $OS_RELEASE ]]; then
    id=$(. "$OS_RELEASE" && echo "${ID:-}")
    like=$(. "$OS_RELEASE" && echo "${ID_LIKE:-}")
  fi
  case " $id $like " in
    *" ubuntu "*) echo ubuntu ;;
    *" debian "*) echo debian ;;
    *) echo "${id:-unknown}" ;;
  esac
}

DISTRIBUTION=$(distribution)
if [[ $DISTRIBUTION == ubuntu ]]; then
  # Ubuntu's chromium package only installs a snap: take Playwright's build instead (below).
  PACKAGES=("${PACKAGES[@]/chromium/}")
  BROWSER=playwright
else
  BROWSER=debian
fi
mapfile -t PACKAGES < <(printf '%s\n' "${PACKAGES[@]}" | sed '/^$/d')

if [[ ${1:-} == --plan ]]; then
  echo "distribution: $DISTRIBUTION"
  echo "packages: ${PACKAGES[*]}"
  echo "browser: $BROWSER"
  exit 0
fi

# Playwright's Chromium with the libraries it needs (Ubuntu only), through EDITION_PYTHON.
playwright_browser() {
  [[ $BROWSER == playwright ]] || return 0
  if [[ -z ${EDITION_PYTHON:-} ]]; then
    echo "setup-system: Ubuntu: the browser comes with the tests (nox -s tests installs" \
      "Playwright's Chromium); or run: python -m playwright install --with-deps chromium"
    return 0
  fi
  echo "setup-system: Ubuntu: installing Playwright's Chromium"
  "$EDITION_PYTHON" -m playwright install --with-deps chromium ||
    fail "playwright install --with-deps chromium failed"
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
  playwright_browser
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
playwright_browser
echo "setup-system: done"
