// The words of libnftnl's debug text: kernel numbers and the names it prints
// for them. The printer reads them one way, the test parser the other.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace nftc::bytecode_text {

struct NamedValue {
  std::uint32_t value;
  std::string_view name;
};
using NameTable = std::span<const NamedValue>;

// The name of `value`, or libnftnl's "unknown".
std::string_view name_of(NameTable table, std::uint32_t value);
std::optional<std::uint32_t> value_of(NameTable table, std::string_view name);

NameTable family_names();        // NFPROTO_*: "ip", "ip6", "inet", ...
NameTable verdict_names();       // NF_ACCEPT, NFT_JUMP, ... (as uint32)
NameTable payload_base_names();  // "link", "network", ... (printed with " header")
NameTable cmp_op_names();        // "eq", "neq", "lt", "lte", "gt", "gte"
NameTable range_op_names();      // "eq", "neq"
NameTable byteorder_op_names();  // "ntoh", "hton"
NameTable meta_key_names();
NameTable ct_key_names();
NameTable ct_dir_names();  // "original", "reply"
NameTable rt_key_names();
NameTable socket_key_names();
NameTable xfrm_key_names();
NameTable xfrm_dir_names();  // "in", "out"
NameTable tunnel_key_names();
NameTable fib_result_names();   // "oif", "oifname", "type"
NameTable fib_flag_names();     // NFTA_FIB_F_* except PRESENT, in print order
NameTable exthdr_op_names();    // "ipv6", "tcpopt", "ipv4"; SCTP and DCCP print nothing
NameTable nat_type_names();     // "snat", "dnat"
NameTable dynset_op_names();    // "add", "update", "delete"
NameTable limit_type_names();   // "packets", "bytes"
NameTable log_flag_names();     // NF_LOG_* bits, in print order
NameTable queue_flag_names();   // NFT_QUEUE_FLAG_* bits, in print order
NameTable numgen_type_names();  // "inc", "random"

}  // namespace nftc::bytecode_text
