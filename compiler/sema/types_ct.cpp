// The datatypes of conntrack keys (nft's ct.c): state, direction, status,
// event bits and labels.
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tuple_common.h>

#include <cerrno>
#include <cstdlib>
#include <fmt/format.h>

#include "compiler/sema/types_impl.hpp"

namespace nftc::sema {

namespace {

constexpr SymbolicConstant kCtStateSymbols[] = {
    {"invalid", NF_CT_STATE_INVALID_BIT},
    {"new", NF_CT_STATE_BIT(IP_CT_NEW)},
    {"established", NF_CT_STATE_BIT(IP_CT_ESTABLISHED)},
    {"related", NF_CT_STATE_BIT(IP_CT_RELATED)},
    {"untracked", NF_CT_STATE_UNTRACKED_BIT},
};
constexpr SymbolTable kCtStateTable{SymbolTable::hexadecimal, kCtStateSymbols};

constexpr SymbolicConstant kCtDirSymbols[] = {{"original", IP_CT_DIR_ORIGINAL}, {"reply", IP_CT_DIR_REPLY}};
constexpr SymbolTable kCtDirTable{SymbolTable::decimal, kCtDirSymbols};

// Most status bits make no sense to filter on; these are nft's. Its last
// three entries are bit numbers, not masks (IPS_HELPER_BIT, …): nft matches
// `ct status helper` against 13, and so must nftc.
constexpr SymbolicConstant kCtStatusSymbols[] = {
    {"expected", IPS_EXPECTED},
    {"seen-reply", IPS_SEEN_REPLY},
    {"assured", IPS_ASSURED},
    {"confirmed", IPS_CONFIRMED},
    {"snat", IPS_SRC_NAT},
    {"dnat", IPS_DST_NAT},
    {"seq-adjust", IPS_SEQ_ADJUST},
    {"snat-done", IPS_SRC_NAT_DONE},
    {"dnat-done", IPS_DST_NAT_DONE},
    {"dying", IPS_DYING},
    {"fixed-timeout", IPS_FIXED_TIMEOUT},
    {"helper", IPS_HELPER_BIT},
    {"offload", IPS_OFFLOAD_BIT},
    {"hw-offload", IPS_HW_OFFLOAD_BIT},
};
constexpr SymbolTable kCtStatusTable{SymbolTable::hexadecimal, kCtStatusSymbols};

constexpr SymbolicConstant kCtEventSymbols[] = {
    {"new", 1u << IPCT_NEW},         {"related", 1u << IPCT_RELATED}, {"destroy", 1u << IPCT_DESTROY},
    {"reply", 1u << IPCT_REPLY},     {"assured", 1u << IPCT_ASSURED}, {"protoinfo", 1u << IPCT_PROTOINFO},
    {"helper", 1u << IPCT_HELPER},   {"mark", 1u << IPCT_MARK},       {"seqadj", 1u << IPCT_SEQADJ},
    {"secmark", 1u << IPCT_SECMARK}, {"label", 1u << IPCT_LABEL},
};
constexpr SymbolTable kCtEventTable{SymbolTable::hexadecimal, kCtEventSymbols};

constexpr unsigned kCtLabelBits = 128;

// A label is a bit number. nft also takes names from /etc/connlabel.conf;
// nftc reads no such file, so names are errors.
bool ct_label_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  const std::string& s = detail::sym_text(sym);
  char* end = nullptr;
  errno = 0;
  unsigned long long bit = std::strtoull(s.c_str(), &end, 0);
  if (*end != '\0')
    return ctx.error_with_help(sym.span, fmt::format("unknown conntrack label '{}'", s),
                               "nftc does not read /etc/connlabel.conf, so that a ruleset means the same "
                               "everywhere; write the label's bit number (0-127)");
  if (errno != 0) return ctx.error(sym.span, fmt::format("conntrack label '{}' is out of range", s));
  if (bit >= kCtLabelBits)
    return ctx.error(sym.span, fmt::format("conntrack label bit {} is out of range (0-{})", bit, kCtLabelBits - 1));
  Value v;
  v.set_bit(static_cast<unsigned>(bit));
  out = ctx.constant(sym.span, sym.dtype, sym.dtype->byteorder, kCtLabelBits, v);
  return true;
}

void ct_label_type_print(const Expr& e, std::string& out, const PrintOptions&) {
  // With no label names, nft prints the bit number.
  out += std::to_string(e.value.scan1(0));
}

}  // namespace

const Datatype ct_state_type{.type = TYPE_CT_STATE, .byteorder = ByteOrder::host, .size = 32, .name = "ct_state",
                             .desc = "conntrack state", .basetype = &bitmask_type, .sym_tbl = &kCtStateTable};
const Datatype ct_dir_type{.type = TYPE_CT_DIR, .byteorder = ByteOrder::invalid, .size = 8, .name = "ct_dir",
                           .desc = "conntrack direction", .basetype = &integer_type, .sym_tbl = &kCtDirTable};
const Datatype ct_status_type{.type = TYPE_CT_STATUS, .byteorder = ByteOrder::host, .size = 32,
                              .name = "ct_status", .desc = "conntrack status", .basetype = &bitmask_type,
                              .sym_tbl = &kCtStatusTable};
const Datatype ct_event_type{.type = TYPE_CT_EVENTBIT, .byteorder = ByteOrder::host, .size = 32, .name = "ct_event",
                             .desc = "conntrack event bits", .basetype = &bitmask_type, .sym_tbl = &kCtEventTable};
const Datatype ct_label_type{.type = TYPE_CT_LABEL, .byteorder = ByteOrder::host, .size = kCtLabelBits,
                             .name = "ct_label", .desc = "conntrack label", .basetype = &bitmask_type,
                             .parse = ct_label_type_parse, .print = ct_label_type_print};

}  // namespace nftc::sema
