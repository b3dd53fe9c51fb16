#!/usr/bin/env bash
# Renders every ```mermaid block of README.md, docs/*.md and docs/**/*.md with the real
# renderer (@mermaid-js/mermaid-cli, headless Chromium) and fails, naming the file and the
# block number, on any block that does not render. Run it before each submission that touches
# a diagram; docs/README.md says why it is not part of `mvn -B test`.
#
# Needs: node + npm, and Debian's chromium (/usr/bin/chromium; installed with apt-get if
# missing and we are root). Puppeteer never downloads a browser of its own.
# Everything it installs or writes stays under target/docs-check/ (git-ignored):
#   node/                    the npm install of mermaid-cli (reused while the version matches)
#   blocks/<file>.<n>.mmd    block n of <file> (slashes in the path become '__')
#   out/<file>.<n>.svg       its rendering (look at them: the check cannot see overlapping labels)
#   out/<file>.<n>.err       the renderer's error output, for a block that failed
#
# Usage: docs/check-diagrams.sh [--png]     (--png also writes out/<file>.<n>.png)
set -euo pipefail

MERMAID_CLI_VERSION=12.2.0
CHROMIUM=/usr/bin/chromium

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/target/docs-check"
PNG=0
case "${1:-}" in
  "") ;;
  --png) PNG=1 ;;
  *) echo "check-diagrams: unknown argument '$1' (accepted: --png)" >&2; exit 2 ;;
esac

if [[ ! -x "$CHROMIUM" ]]; then
  if [[ "$(id -u)" -eq 0 ]]; then
    echo "check-diagrams: $CHROMIUM missing, installing Debian's chromium" >&2
    apt-get install -y chromium >&2
  else
    echo "check-diagrams: $CHROMIUM missing; install it with: sudo apt-get install -y chromium" >&2
    exit 2
  fi
fi
command -v npm >/dev/null || { echo "check-diagrams: npm not found; install node and npm" >&2; exit 2; }

NODE_DIR="$WORK/node"
MMDC="$NODE_DIR/node_modules/.bin/mmdc"
installed="$(cat "$NODE_DIR/.version" 2>/dev/null || true)"
if [[ ! -x "$MMDC" || "$installed" != "$MERMAID_CLI_VERSION" ]]; then
  echo "check-diagrams: installing @mermaid-js/mermaid-cli@$MERMAID_CLI_VERSION into $NODE_DIR" >&2
  rm -rf "$NODE_DIR"
  mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && echo '{"private": true}' > package.json &&
     PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error \
       "@mermaid-js/mermaid-cli@$MERMAID_CLI_VERSION" >&2)
  echo "$MERMAID_CLI_VERSION" > "$NODE_DIR/.version"
fi

cat > "$WORK/puppeteer.json" <<EOF
{ "executablePath": "$CHROMIUM", "args": ["--no-sandbox", "--disable-gpu"] }
EOF

rm -rf "$WORK/blocks" "$WORK/out"
mkdir -p "$WORK/blocks" "$WORK/out"

# The Markdown files, in a stable order.
cd "$ROOT"
mapfile -t FILES < <( { echo README.md; find docs -name '*.md' -not -path '*/node_modules/*'; } | sort -u)

# Extract: block n of a file is its n-th ```mermaid fence; remember the line it starts on.
: > "$WORK/blocks/index.tsv"
for f in "${FILES[@]}"; do
  awk -v file="$f" -v dir="$WORK/blocks" '
    BEGIN { n = 0; inside = 0; key = file; gsub("/", "__", key) }
    inside && /^[ \t]*```[ \t]*$/ { inside = 0; close(out); next }
    inside { print > out; next }
    /^[ \t]*```mermaid[ \t]*$/ {
      n++; inside = 1; out = dir "/" key "." n ".mmd"
      printf "" > out
      printf "%s\t%d\t%d\t%s\n", file, n, NR, out >> (dir "/index.tsv")
    }
    END { if (inside) { printf "%s: mermaid block %d is not closed\n", file, n > "/dev/stderr"; exit 3 } }
  ' "$f"
done

total=0
failed=0
while IFS=$'\t' read -r file n line mmd; do
  total=$((total + 1))
  base="$(basename "$mmd" .mmd)"
  svg="$WORK/out/$base.svg"
  if "$MMDC" -q -p "$WORK/puppeteer.json" -i "$mmd" -o "$svg" > "$WORK/out/$base.err" 2>&1 \
      && [[ -s "$svg" ]] && ! grep -q 'Syntax error in text' "$svg"; then
    rm -f "$WORK/out/$base.err"
    if [[ "$PNG" -eq 1 ]]; then
      "$MMDC" -q -p "$WORK/puppeteer.json" -s 2 -i "$mmd" -o "$WORK/out/$base.png" >/dev/null 2>&1 || true
    fi
    echo "ok    $file block $n (line $line)"
  else
    failed=$((failed + 1))
    echo "FAIL  $file block $n (line $line): $(grep -m1 -iE 'error' "$WORK/out/$base.err" || echo 'no SVG written')"
    grep -m1 -A2 -iE 'error' "$WORK/out/$base.err" | tail -n +2 | sed 's/^/        /' || true
  fi
done < "$WORK/blocks/index.tsv"

echo "check-diagrams: $total blocks, $failed failed (renderer: mermaid-cli $MERMAID_CLI_VERSION, $("$CHROMIUM" --version 2>/dev/null | head -1))"
[[ "$failed" -eq 0 ]]
