#!/usr/bin/env bash
# lint.sh - the source rules a compiler does not check (issue 10 item 6,
# curl's checksrc in spirit), over src/, tools/, fuzz/ and tests/unit/:
#   - banned functions: unbounded or unchecked copies and formats (strcpy,
#     strcat, sprintf, vsprintf, gets, strncpy, strncat, stpcpy), numbers
#     without error checks (atoi, atol, atoll, scanf), hidden state or
#     non-reentrancy in a threaded server (strtok, rand, srand, localtime,
#     gmtime, ctime, asctime, gethostbyname), unsafe temporary names
#     (tmpnam, mktemp), alloca, system;
#   - handlers run transactions only through act_write/act_read (store.h's
#     re-run contract), and write no prototype of their own (act.h declares
#     them from actions.def);
#   - files stay under 800 lines;
#   - src/api/param_names.def matches the params.def files.
# Closing line: "lint: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
pass=0 fail=0
check() { # check WHAT OUTPUT: passes when OUTPUT is empty
  if [ -z "$2" ]; then pass=$((pass + 1)); echo "ok - $1"
  else fail=$((fail + 1)); echo "not ok - $1"; printf '%s\n' "$2" | head -20 | sed 's/^/    /'; fi
}
FILES=$(find src tools fuzz tests/unit -name '*.[ch]' | sort)
# comments and string literals are not code: strip them before matching
strip() {
  perl -0777 -pe 's{/\*.*?\*/}{ my $c = $&; $c =~ s/[^\n]//g; $c }gse; s{//[^\n]*}{}g; s{"(?:[^"\\\n]|\\.)*"}{""}g' "$1"
}
BANNED='strcpy|strcat|sprintf|vsprintf|gets|strncpy|strncat|stpcpy|atoi|atol|atoll|scanf|strtok|rand|srand|localtime|gmtime|ctime|asctime|gethostbyname|tmpnam|mktemp|alloca|system'
hits=""
for f in $FILES; do
  h=$(strip "$f" | grep -nE "(^|[^A-Za-z0-9_.>])($BANNED)[[:space:]]*\(" | sed "s|^|$f:|")
  [ -n "$h" ] && hits+="$h"$'\n'
done
check "no banned function ($BANNED)" "$(printf '%s' "$hits" | sed '/^$/d')"

direct=$(grep -nE '\bstore_(write|read)[[:space:]]*\(' src/actions/*.c | grep -vE '^src/actions/(act|auto_release)\.c:')
check "handlers run transactions through act_write/act_read only" "$direct"
protos=$(grep -nE '^enum err_id act_[a-z0-9_]+\(struct req \*r\);' src/actions/*.c)
check "no handler prototype outside act.h" "$protos"

long=$(for f in $FILES; do n=$(wc -l <"$f"); [ "$n" -ge 800 ] && echo "$f: $n lines"; done)
check "every file under 800 lines" "$long"

stale=$(scripts/param-names.sh --check 2>&1)
check "src/api/param_names.def is current" "$stale"

echo "lint: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
