#!/usr/bin/env bash
# Configures and builds one CMake preset (default: "default"; "sanitize" for ASan+UBSan).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
preset=${1:-default}
cd "$root"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
