#include "compiler/bytecode.hpp"  // first: orders the socket and netfilter headers
#include "compiler/listing/names.hpp"

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include <iterator>

namespace nftc::listing {

std::string_view family_name(sema::Family family) {
  switch (family) {
    case sema::Family::ip: return "ip";
    case sema::Family::ip6: return "ip6";
    case sema::Family::inet: return "inet";
    case sema::Family::netdev: return "netdev";
    case sema::Family::arp: return "arp";
    case sema::Family::bridge: return "bridge";
  }
  return "unknown";
}

std::string_view family_name(unsigned nfproto) {
  switch (nfproto) {
    case NFPROTO_IPV4:
    case NFPROTO_IPV6:
    case NFPROTO_INET:
    case NFPROTO_NETDEV:
    case NFPROTO_ARP:
    case NFPROTO_BRIDGE: return family_name(static_cast<sema::Family>(nfproto));
    default: return "unknown";
  }
}

std::string_view hook_name(sema::Family family, std::uint32_t hook) {
  switch (family) {
    case sema::Family::arp: {
      static constexpr std::string_view names[] = {"input", "output", "forward", "ingress"};  // NF_ARP_*
      return hook < std::size(names) ? names[hook] : "unknown";
    }
    case sema::Family::netdev: {
      static constexpr std::string_view names[] = {"ingress", "egress"};  // NF_NETDEV_*
      return hook < std::size(names) ? names[hook] : "unknown";
    }
    default: {
      static constexpr std::string_view names[] = {"prerouting", "input",       "forward",
                                                   "output",     "postrouting", "ingress"};  // NF_INET_*
      return hook < std::size(names) ? names[hook] : "unknown";
    }
  }
}

std::string_view object_type_name(std::uint32_t type) {
  switch (type) {
    case NFT_OBJECT_COUNTER: return "counter";
    case NFT_OBJECT_QUOTA: return "quota";
    case NFT_OBJECT_CT_HELPER: return "ct helper";
    case NFT_OBJECT_LIMIT: return "limit";
    case NFT_OBJECT_CT_TIMEOUT: return "ct timeout";
    case NFT_OBJECT_SECMARK: return "secmark";
    case NFT_OBJECT_SYNPROXY: return "synproxy";
    case NFT_OBJECT_CT_EXPECT: return "ct expectation";
    case NFT_OBJECT_TUNNEL: return "tunnel";
    default: return "unknown";
  }
}

std::string_view time_unit(std::uint64_t seconds) {
  switch (seconds) {
    case 1: return "second";
    case 60: return "minute";
    case 3600: return "hour";
    case 86400: return "day";
    case 604800: return "week";
    default: return "error";
  }
}

std::string_view data_rate(std::uint64_t bytes, std::uint64_t& rate) {
  static constexpr std::string_view units[] = {"bytes", "kbytes", "mbytes"};
  unsigned i = 0;
  if (bytes != 0)
    for (; i + 1 < std::size(units) && bytes % 1024 == 0; ++i) bytes /= 1024;
  rate = bytes;
  return units[i];
}

std::string_view op_text(sema::Op op) {
  // The IR's own table, which prints nothing for an invalid operator.
  return op == sema::Op::invalid ? "invalid" : sema::op_symbol(op);
}

}  // namespace nftc::listing
