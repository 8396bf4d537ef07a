// Helpers shared by the listing's passes: nft's expression primitives
// (expression.c, gmputil.c) and header helpers (payload.c, exthdr.c, ct.c)
// as delinearization uses them. Not a public interface.
#pragma once

#include "compiler/bytecode.hpp"

#include <cstdint>
#include <span>
#include <string>

#include "compiler/listing/listing.hpp"
#include "compiler/sema/datatype.hpp"
#include "compiler/sema/exprs.hpp"
#include "compiler/sema/proto.hpp"

namespace nftc::listing::detail {

using sema::ByteOrder;
using sema::Expr;
using sema::IrArena;
using sema::Kind;
using sema::Op;
using sema::Stmt;
using sema::StmtType;
using sema::Value;

inline constexpr unsigned kNone = Value::kBits;  // what Value::scan0/scan1 return for "no such bit"
using sema::kNeverTimeout;

// nft's netlink_alloc_value: bytes as a big-endian constant of invalid type.
Expr* value_from_bytes(IrArena& ir, Span s, std::span<const std::uint8_t> bytes);
// nft's expr_set_type: prefixes, ranges, sets, set references, elements and
// mappings pass the type on to what they hold.
void set_type(Expr* e, const sema::Datatype* dtype, ByteOrder order);
// nft's constant_expr_splice: takes the top `len` bits off `e`.
Expr* splice(IrArena& ir, Expr* e, unsigned len);
// nft's mpz_switch_byteorder.
inline void switch_byteorder(Value& v, unsigned bytes) { v = v.byteswapped(bytes); }
// nft's bitmask_expr_to_binops: a value of several flags as flag | flag | ….
Expr* bitmask_to_binops(IrArena& ir, Expr* e);
// nft's range_expr_to_prefix: a range that covers a prefix becomes one.
Expr* range_to_prefix(IrArena& ir, Expr* range);
// Ranges are printed with both ends as values: the low and high value.
Value range_low(const Expr* e);
Value range_high(const Expr* e);

inline unsigned padded_len(unsigned bits) { return sema::round_up(bits, 32); }
inline unsigned padding_len(unsigned bits) { return sema::round_up(bits, 32) - bits; }
inline unsigned register_space(unsigned bits) { return sema::div_round_up(bits, 32); }

// Payload (payload.c).
bool payload_is_known(const Expr* e);
bool payload_expr_cmp(const Expr* a, const Expr* b);
void payload_expr_complete(Expr* e, const sema::ProtoCtx& ctx);
std::vector<Expr*> payload_expr_expand(IrArena& ir, Expr* e, const sema::ProtoCtx& ctx);
bool payload_expr_trim(Expr* e, Expr* mask, const sema::ProtoCtx& ctx, unsigned& shift);
bool payload_expr_trim_force(Expr* e, Expr* mask, unsigned& shift);
bool stmt_payload_expr_trim(IrArena& ir, Stmt* stmt, const sema::ProtoCtx& ctx);
bool payload_is_stacked(const sema::ProtoDesc* desc, const Expr* rel);
bool icmp_dep_type_match(sema::IcmpDep t, std::uint8_t type);
std::uint8_t icmp_dep_to_type(sema::IcmpDep t);

// Extension headers (exthdr.c, tcpopt.c, ipopt.c, sctp_chunk.c, dccpopt.c).
void exthdr_init_raw(Expr* e, std::uint8_t type, unsigned offset, unsigned len, std::uint8_t op, std::uint32_t flags);
bool exthdr_find_template(Expr* e, const Expr* mask, unsigned& shift);

// ct.c's ct_expr_update_type: addresses and ports get their family's type.
void ct_expr_update_type(const sema::ProtoCtx& ctx, Expr* e);

// A stateful expression of a set or element (netlink_parse_set_expr).
Stmt* delinearize_set_expr(Listing& l, const bc::Expr& e, sema::Family family, DiagnosticSink& sink);

// The rule post-processing (rule_parse_postprocess).
void rule_postprocess(Listing& l, sema::Rule* rule, sema::Family family);
// Post-processing of a set element key outside a rule (set element context).
void expr_postprocess_standalone(Listing& l, Expr*& e, sema::Family family);

}  // namespace nftc::listing::detail
