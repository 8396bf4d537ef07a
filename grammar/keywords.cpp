// Keywords nft's scanner recognises in every state. Such a word is never a
// name or a symbol: `chain fwd` is a syntax error in nft, so it is in nftc.
// Keywords of one scanner state only (dport after tcp, saddr after ip, …)
// are ordinary words elsewhere and need no entry here.
#include <algorithm>
#include <array>
#include <string_view>

#include "grammar/lexer.hpp"

namespace nftc::grammar {
namespace {
constexpr std::array<std::string_view, 161> kGlobalKeywords = {
      "accept",
      "add",
      "ah",
      "all",
      "and",
      "arp",
      "auto-merge",
      "bridge",
      "cgroup",
      "chain",
      "comment",
      "comp",
      "constant",
      "continue",
      "counter",
      "cpu",
      "create",
      "ct",
      "day",
      "dccp",
      "define",
      "delete",
      "describe",
      "destroy",
      "device",
      "devices",
      "dnat",
      "drop",
      "dst",
      "dup",
      "dynamic",
      "ecn",
      "element",
      "elements",
      "eq",
      "esp",
      "ether",
      "exists",
      "expires",
      "export",
      "exthdr",
      "fib",
      "flags",
      "flow",
      "flowtable",
      "flush",
      "frag",
      "fwd",
      "gc-interval",
      "ge",
      "geneve",
      "get",
      "goto",
      "gre",
      "gretap",
      "gt",
      "handle",
      "hbh",
      "hook",
      "hour",
      "ibriport",
      "ibrname",
      "icmp",
      "icmpv6",
      "igmp",
      "iif",
      "iifgroup",
      "iifname",
      "iiftype",
      "import",
      "include",
      "index",
      "inet",
      "insert",
      "interval",
      "ip",
      "ip6",
      "ipsec",
      "jhash",
      "jump",
      "last",
      "le",
      "limit",
      "list",
      "log",
      "lshift",
      "lt",
      "map",
      "mark",
      "masquerade",
      "meta",
      "meter",
      "mh",
      "missing",
      "monitor",
      "ne",
      "netdev",
      "nftrace",
      "not",
      "notrack",
      "numgen",
      "obriport",
      "obrname",
      "offload",
      "oif",
      "oifgroup",
      "oifname",
      "oiftype",
      "or",
      "osf",
      "pkttype",
      "policy",
      "position",
      "priority",
      "queue",
      "quota",
      "random",
      "redefine",
      "redirect",
      "reject",
      "rename",
      "replace",
      "reset",
      "return",
      "rshift",
      "rt",
      "rt0",
      "rt2",
      "rtclassid",
      "rule",
      "ruleset",
      "sctp",
      "secmark",
      "set",
      "size",
      "skgid",
      "skuid",
      "snat",
      "socket",
      "srh",
      "symhash",
      "synproxy",
      "table",
      "tcp",
      "th",
      "time",
      "timeout",
      "tproxy",
      "tunnel",
      "type",
      "typeof",
      "udp",
      "udplite",
      "undefine",
      "update",
      "vlan",
      "vmap",
      "vni",
      "vxlan",
      "xor",
      "xt"};

// An open-addressing hash set of the keywords' keys, built at compile time:
// the lexer asks once per word.
// (An empty slot is all zeros: GCC 12 mis-evaluates default member
// initializers other than zero in such constexpr arrays.)
constexpr std::size_t kSlots = 512;
struct Slot {
  std::uint32_t key;
  std::uint16_t index_plus_one;  // 0: empty
};
constexpr auto kKeywordSlots = [] {
  std::array<Slot, kSlots> t{};
  for (std::size_t i = 0; i < kGlobalKeywords.size(); ++i) {
    std::uint32_t key = token_key(kGlobalKeywords[i]);
    std::size_t h = key & (kSlots - 1);
    while (t[h].index_plus_one != 0) h = (h + 1) & (kSlots - 1);
    t[h] = Slot{key, static_cast<std::uint16_t>(i + 1)};
  }
  return t;
}();

}  // namespace

bool is_global_keyword(std::string_view word, std::uint32_t key) {
  for (std::size_t h = key & (kSlots - 1); kKeywordSlots[h].index_plus_one != 0; h = (h + 1) & (kSlots - 1))
    if (kKeywordSlots[h].key == key && kGlobalKeywords[kKeywordSlots[h].index_plus_one - 1u] == word) return true;
  return false;
}

bool is_global_keyword(std::string_view word) { return is_global_keyword(word, token_key(word)); }

}  // namespace nftc::grammar
