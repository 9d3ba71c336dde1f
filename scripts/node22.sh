#!/bin/sh
# scripts/node22.sh COMMAND [ARG...]: runs COMMAND with Node.js 22 or later first on PATH.
#
# The one Node.js bootstrap of this repository, used by `npm test`, `npm run demo` and .ci/run.
# Where the node on PATH is older than 22, it says so in one line, installs Node.js 22 once from the npm
# registry (the `node` package, which carries the official binaries) into a cache folder
# ($NODE22_HOME, default ~/.cache/node22), and runs COMMAND with that node first on PATH. The system
# node is never replaced. With Node.js 22 or later already on PATH it just runs COMMAND.
set -eu

required=22
found=$(node -p 'process.versions.node' 2>/dev/null || echo none)
major=${found%%.*}
case $major in '' | *[!0-9]*) major=0 ;; esac

if [ "$major" -lt "$required" ]; then
  prefix=${NODE22_HOME:-$HOME/.cache/node22}
  what=${npm_lifecycle_event:+npm run $npm_lifecycle_event}
  echo "${what:-$*}: found Node.js $found, need $required or later; running under Node.js $required from the npm registry (cached in $prefix)" >&2
  if [ ! -x "$prefix/node_modules/.bin/node" ]; then
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "node@$required" >/dev/null
  fi
  PATH="$prefix/node_modules/.bin:$PATH"
  export PATH
fi
[ $# -gt 0 ] || { node --version; exit 0; }
exec "$@"
