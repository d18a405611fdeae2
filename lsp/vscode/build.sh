#!/usr/bin/env bash
# Build lsp/vscode/blamelint.vsix from a clean install of the locked dependencies.
# Needs Node >= 20 and npm; reaches nothing but the npm registry. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"

command -v npm >/dev/null || { echo "build.sh: npm is not on PATH (install Node.js >= 20)" >&2; exit 1; }

# --ignore-scripts: nothing here needs an install script, and keytar's (an optional
# dependency of vsce, only used for publishing) would try to download a prebuilt binary.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
rm -rf out blamelint.vsix
npm run --silent compile
# vsce runs `vscode:prepublish` (the compile again) and packs the production dependencies.
npx --no-install @vscode/vsce package --out blamelint.vsix
