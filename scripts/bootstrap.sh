#!/usr/bin/env bash
# Create the two virtual environments if missing and install the pinned requirements.
#   .venv/rasa  Python 3.10: the Rasa 3.6.21 server (open-source Rasa runs on 3.10 only)
#   .venv/app   Python 3.11: action server, recommender, catalog tools, web app, voice skill
# and builds the recommender's native row scorer into .venv/app (needs a C compiler; optional).
# Re-installs only when a requirements file changed (a stamp holds its hash).
set -euo pipefail
cd "$(dirname "$0")/.."

ensure_venv() {
  local name="$1" version="$2" requirements="$3"
  local dir=".venv/$name"
  local stamp="$dir/.installed-$(sha256sum "$requirements" | cut -c1-16)"
  [ -f "$stamp" ] && return 0
  local python
  python="$(bash scripts/find_python.sh "$version")"
  echo "==> setting up $dir with $python ($requirements)"
  [ -x "$dir/bin/python" ] || "$python" -m venv "$dir"
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip==26.3"
  if grep -q '^torch==' "$requirements"; then
    # The CPU build first: an unpinned resolution would pull a multi-GB CUDA build.
    "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "$(grep '^torch==' "$requirements")"
  fi
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
  rm -f "$dir"/.installed-*
  touch "$stamp"
}

ensure_venv rasa 3.10 requirements/rasa.txt
ensure_venv app 3.11 requirements/app.txt

# The exact search's native kernel (recommender/row_scorer.c); without a C compiler the
# recommender uses its torch path, so a failed build is a warning, not an error.
if [ ! -f "$(.venv/app/bin/python -c 'from recommender.row_scorer import library_path; print(library_path())')" ]; then
  PYTHONPATH="$PWD" .venv/app/bin/python -m recommender.row_scorer build || true
fi
