#!/usr/bin/env bash
# Regenerate requirements.lock: the exact versions of everything CI installs (the package with the
# extras `scripts/setup.sh --test` asks for, plus the CPU torch), resolved by pip without
# installing anything. setup.sh installs with `-c requirements.lock`, so CI and a fresh clone get
# these versions; the versions that shape the bytes are also recorded in each MANIFEST.json.
# Run after changing dependencies in pyproject.toml, and commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
py="${PYTHON:-.venv/bin/python}"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
"$py" -m pip install -q --dry-run --ignore-installed --report "$report" -e ".[embedded,media,vl,persona,cluster,test]" "torch==2.13.0" \
  2>&1 | grep -v "^WARNING: Location" || true
"$py" - "$report" > requirements.lock.tmp <<'PY'
import json, sys, platform
r = json.load(open(sys.argv[1]))
pins = sorted((i["metadata"]["name"].lower(), i["metadata"]["version"]) for i in r["install"]
              if i["metadata"]["name"].lower() not in ("somekit", "pip"))
print("# Exact dependency set of CI (scripts/setup.sh --test); regenerate with scripts/lock.sh.")
print(f"# Resolved for Python {platform.python_version()} on {platform.machine()} Linux.")
for name, version in pins:
    print(f"{name}=={version}")
PY
mv requirements.lock.tmp requirements.lock
echo "requirements.lock: $(grep -c '==' requirements.lock) pins"
