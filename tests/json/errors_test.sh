#!/bin/sh
# JSON input errors: each names the JSON pointer and the line:column of the
# offending value (docs/json-input.md). Usage: errors_test.sh NFTC
set -u
nftc=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
status=0
head='{"nftables": [
  {"add": {"table": {"family": "inet", "name": "t"}}},
  {"add": {"chain": {"family": "inet", "table": "t", "name": "c"}}},'
# check NAME JSON EXPECTED: `nftc check --format concise` prints EXPECTED.
check() {
  printf '%s\n' "$2" > "$dir/$1.json"
  got=$(cd "$dir" && "$nftc" check --format concise "$1.json" 2>&1)
  if [ "$got" != "$3" ]; then
    printf 'FAIL %s\n  want: %s\n  got:  %s\n' "$1" "$3" "$got"
    status=1
  fi
}
check schema "$head
  {\"add\": {\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\",
    \"expr\": [{\"match\": {\"op\": \"=~\", \"left\": {\"meta\": {\"key\": \"mark\"}}, \"right\": 1}}]}}}
]}" "schema.json:5:31: error[JSN002]: /nftables/2/add/rule/expr/0/match/op: unknown relational operator '=~'"
check semantic "$head
  {\"add\": {\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\",
    \"expr\": [{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"tcp\", \"field\": \"dport\"}}, \"right\": \"nonsense\"}}]}}}
]}" "semantic.json:5:106: error[SEM001]: could not resolve service 'nonsense' (at /nftables/2/add/rule/expr/0/match/right)"
check syntax '{"nftables": [
  {"add": {"table": {"family": "inet", "name": "t"}},
]}' "syntax.json:3:1: error[JSN001]: invalid JSON: syntax error while parsing object key - unexpected ']'; expected string literal"
check missing "$head
  {\"add\": {\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\"}}}
]}" "missing.json:4:20: error[JSN002]: /nftables/2/add/rule: missing \"expr\""
check unknown "$head
  {\"add\": {\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"expr\": [{\"frobnicate\": null}]}}}
]}" "unknown.json:4:76: error[JSN002]: /nftables/2/add/rule/expr/0: unknown statement 'frobnicate'"
check document '[1]' "document.json:1:1: error[JSN002]: /: a libnftables JSON document is an object with an \"nftables\" array"
# Forced: the same text read as nft syntax.
printf '[1]\n' > "$dir/forced.json"
got=$(cd "$dir" && "$nftc" check --format concise --input-format nft forced.json 2>&1)
case $got in
  *SYN001*) ;;
  *) printf 'FAIL forced\n  got: %s\n' "$got"; status=1 ;;
esac
[ $status -eq 0 ] && echo "json errors: all passed"
exit $status
