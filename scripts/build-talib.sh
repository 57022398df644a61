#!/usr/bin/env sh
# Builds the `talib` dev dependency (TA-Lib C, the reference for indicator tests) from its bundled sources.
# Its published tarball ships macOS object files that `make` would treat as up to date, so npm's own
# install script is denied in package.json and the library is rebuilt cleanly here instead.
set -e
dir="node_modules/talib"
[ -f "$dir/binding.gyp" ] || exit 0            # production install: no dev dependencies
[ -f "$dir/build/Release/.riskloop-built" ] && exit 0
cd "$dir"
find src/lib/temp src/lib/lib build -name '*.o' -delete 2>/dev/null || true
rm -f src/lib/lib/*.a build/Release/talib.node
node src/lib/build.js >/dev/null
# npm exposes its bundled node-gyp to lifecycle scripts; fall back to the copy inside npm itself.
gyp="${npm_config_node_gyp:-$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js}"
# Build against the headers of the running Node (no download): npm's nodedir, else Node's own prefix.
nodedir="${npm_config_nodedir:-$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")}"
node "$gyp" rebuild --nodedir="$nodedir" >/dev/null 2>&1
touch build/Release/.riskloop-built
echo "talib built from source"
