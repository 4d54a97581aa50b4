# Chromium (Debian's package) and playwright-core (npm, pinned by tests/browser/package-lock.json)
# for the browser tests of the HTML reports (tests/it/browser.rs). Sourced by scripts/test.
# Installs only what is missing; nothing to tear down (packages stay installed).
_browser_setup() {
    if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
        echo "browser.sh: installing Debian's chromium and chromium-driver" >&2
        apt-get update -qq >/dev/null &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null ||
            { echo "browser.sh: could not install chromium" >&2; return 1; }
    fi
    local dir="$PWD/tests/browser"
    # `npm ci` again when the installed playwright-core is not the version the lock pins.
    if ! node -e '
        const want = require(process.argv[1]).packages["node_modules/playwright-core"].version;
        const have = require(process.argv[2]).version;
        process.exit(want === have ? 0 : 1);
    ' "$dir/package-lock.json" "$dir/node_modules/playwright-core/package.json" 2>/dev/null; then
        (cd "$dir" && npm ci --no-audit --no-fund --silent >/dev/null) ||
            { echo "browser.sh: npm ci failed in tests/browser" >&2; return 1; }
    fi
    export INTERDICT_TEST_CHROMIUM=/usr/bin/chromium
    export INTERDICT_TEST_NODE_MODULES="$dir/node_modules"
}
# A failed install leaves the variables unset: the browser tests then fail under scripts/test
# (INTERDICT_TEST_EXTERNAL=required) with a message naming what is missing.
_browser_setup || true
unset -f _browser_setup
