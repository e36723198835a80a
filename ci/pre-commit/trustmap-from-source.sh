#!/usr/bin/env bash
# The `trustmap` pre-commit hook: builds trustmap from the hook's checkout (once; cargo
# keeps the build in pre-commit's cache) and scans the repository pre-commit runs in.
# pre-commit's `language: rust` cannot be used: it runs `cargo install --path .` at the
# repository root, which is a virtual workspace manifest.
set -euo pipefail
manifest="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/Cargo.toml"
exec cargo run --quiet --locked --release --manifest-path "$manifest" -p trustmap -- scan "$@"
