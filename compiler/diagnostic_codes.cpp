// The table of diagnostic codes that nftc's front end, analysis and backends
// report. Codes are stable: never renumber, only add. Lint rules live in
// rules/ with their own table.
//
//   IO  input and output (exit code 2)
//   SYN syntax errors
//   JSN JSON input that is not libnftables JSON
//   SEM semantic errors nft reports before sending anything to the kernel
//   KRN errors the kernel would raise, predicted statically
//   NLK what the netlink batch cannot carry
//   APPLY errors the kernel returned for a batch nftc sent
#include "compiler/diagnostics.hpp"

namespace nftc {

const std::vector<DiagnosticCode>& builtin_codes() {
  static const std::vector<DiagnosticCode> codes = {
      {"IO001", "cannot-read", "an input file cannot be opened or read"},
      {"IO002", "not-a-file", "an input path names a directory or another non-regular file"},
      {"IO003", "binary-input", "an input file is not text (it contains NUL bytes or invalid UTF-8)"},
      {"IO004", "empty-input", "the input is empty"},
      {"IO005", "stdin-unavailable", "standard input is closed or cannot be read"},
      {"IO006", "include-not-found", "an include names no readable file"},
      {"IO007", "include-cycle", "a file includes itself, directly or through other files"},
      {"IO008", "include-depth", "includes are nested too deeply"},
      {"IO009", "output-failed", "an output file cannot be written"},
      {"SYN001", "syntax-error", "the text does not follow the nft grammar"},
      {"SYN002", "unterminated-string", "a quoted string has no closing quote"},
      {"SYN003", "invalid-character", "a character that nft never accepts"},
      {"SYN004", "unknown-keyword", "a word that is not a keyword in this position"},
      {"SYN005", "undefined-variable", "a $variable is used but never defined"},
      {"SYN006", "redefined-variable", "define names a variable that is already defined"},
      {"SYN007", "invalid-number", "a number is malformed or out of range"},
      {"SYN008", "unsupported-command", "a command that has no meaning in a ruleset file"},
      {"JSN001", "json-syntax", "a JSON input is not valid JSON"},
      {"JSN002", "json-schema", "a JSON input does not follow the libnftables JSON schema (version 1)"},
      {"SEM001", "invalid", "nft rejects the expression, statement or declaration (types, protocols, values)"},
      {"SEM002", "unknown-object", "a table, chain, set, map, flowtable or stateful object that is not declared"},
      {"LOW001", "unlowerable", "the kernel cannot take the expression as written (registers, value sizes)"},
      {"KRN001", "chain-type-unsupported", "the kernel has no chain of this type for the family and hook"},
      {"KRN002", "already-exists", "`create` names something that already exists"},
      {"KRN003", "jump-to-base-chain", "a jump or goto targets a base chain"},
      {"KRN004", "policy-without-hook", "a policy is set on a chain that has no hook"},
      {"KRN005", "nat-priority", "a nat chain's priority is at or before conntrack's (-200)"},
      {"KRN006", "chain-loop", "jumps and gotos form a loop that a base chain reaches"},
      {"KRN007", "flowtable-hook", "a flowtable hooks somewhere other than ingress"},
      {"KRN008", "chain-redefined", "a chain is declared again with a different type, hook or priority"},
      {"KRN009", "hook-restricted", "an expression or statement runs in a hook, chain type or family its kernel module refuses"},
      {"KRN010", "expression-refused", "the kernel refuses an expression's attributes: a key, flag, length, range or family it does not take"},
      {"KRN011", "jump-depth", "a base chain reaches a chain through more jumps and gotos than the kernel's jump stack holds"},
      {"KRN012", "object-refused", "the kernel refuses a stateful object's configuration (layer 3 protocol, helper, rate)"},
      {"KRN013", "set-refused", "the kernel refuses a set's declaration or elements (flags, size, statements)"},
      {"NLK001", "not-in-batch", "the command cannot be sent as nft sends it (libnftnl 1.2.4, or kernel state needed)"},
      {"NLK002", "command-not-sent", "a command that is not part of a batch (list, reset, monitor, ...) is skipped"},
      {"APPLY001", "kernel-rejected", "the kernel rejected a message of the batch; nothing was changed"},
      {"APPLY002", "commit-failed", "the kernel rejected the transaction when committing it; nothing was changed"},
      {"APPLY003", "no-permission", "applying a ruleset needs CAP_NET_ADMIN in the network namespace"},
      {"APPLY004", "netlink-failed", "the netlink socket failed; the outcome may be unknown"},
  };
  return codes;
}

}  // namespace nftc
