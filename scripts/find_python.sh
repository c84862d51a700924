#!/usr/bin/env bash
# Print the path of a Python interpreter of the wanted minor version (e.g. 3.10).
# Order: $PYTHON3_10-style variable, pythonX.Y on PATH, pyenv's versions, uv (installing with uv if needed).
set -euo pipefail
want="${1:?usage: find_python.sh 3.10}"
var="PYTHON${want/./_}"

is_version() {
  "$1" -c "import sys; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '$want' else 1)" >/dev/null 2>&1
}

if [ -n "${!var:-}" ]; then
  is_version "${!var}" && { echo "${!var}"; exit 0; }
  echo "error: \$$var=${!var} is not Python $want" >&2; exit 1
fi
if candidate="$(command -v "python$want" 2>/dev/null)" && is_version "$candidate"; then
  echo "$candidate"; exit 0
fi
if command -v pyenv >/dev/null 2>&1; then
  root="$(pyenv root)"
  for dir in $(ls -d "$root/versions/$want".* 2>/dev/null | sort -V -r); do
    if is_version "$dir/bin/python"; then echo "$dir/bin/python"; exit 0; fi
  done
fi
if command -v uv >/dev/null 2>&1; then
  if candidate="$(uv python find "$want" 2>/dev/null)" && is_version "$candidate"; then echo "$candidate"; exit 0; fi
  echo "Python $want not found; installing it with uv" >&2
  uv python install "$want" >&2
  uv python find "$want"; exit 0
fi
echo "error: Python $want not found. Install it (pyenv install $want, your OS packages, or 'pip install uv && uv python install $want'), or set \$$var." >&2
exit 1
