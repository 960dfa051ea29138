#!/usr/bin/env bash
# Set up .venv with somekit and its offline models; with --test, also what the tests need
# (system packages for speech/OCR tests, the torch CPU build, a Label Studio server venv).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}

if [ "$mode" = "--test" ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  # espeak-ng speaks the ASR test sentences; wqy-zenhei draws Chinese text for OCR tests.
  if ! command -v espeak-ng >/dev/null || [ ! -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng fonts-wqy-zenhei >/dev/null
  fi
  # Headless Chromium and its WebDriver: the browser tests open the HTML report and Label Studio's
  # review pages (tests/test_report_browser.py, tests/fixtures/browser.py).
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q -U pip
# requirements.lock pins every dependency to the set CI tested (regenerate: scripts/lock.sh).
lock=(-c requirements.lock)
if [ "$mode" = "--test" ]; then
  # torch==2.13.0 resolves to the CPU build on this machine's disk; unpinned torch pulls CUDA.
  .venv/bin/pip install -q "${lock[@]}" "torch==2.13.0"
  .venv/bin/pip install -q "${lock[@]}" -e ".[embedded,media,vl,persona,cluster,test]"
  if [ -f scripts/label_studio.sh ]; then bash scripts/label_studio.sh install; fi
else
  .venv/bin/pip install -q "${lock[@]}" -e ".[embedded,media,persona]"   # persona: the demo scrubs names in its Bluesky sample
fi
echo "setup done: $(.venv/bin/somekit --version)"
