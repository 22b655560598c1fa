#!/usr/bin/env bash
# run.sh - installs the build dependencies when missing, builds ecsd and runs
# it on its embedded default (SQLite in ./ecsd-data, 127.0.0.1:8080, the
# development account). Extra arguments go to ecsd (see ecsd --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh build
make -j"$(nproc)" build/ecsd build/ecs >&2
exec ./build/ecsd "$@"
