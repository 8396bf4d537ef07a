// Constructors for IR expressions and statements, as nft's *_alloc
// functions build them (the type, byte order, length and flags a fresh node
// starts with).
#pragma once

#include "compiler/sema/context.hpp"

namespace nftc::sema {

Expr* constant_expr(IrArena& a, Span s, const Datatype* dtype, ByteOrder bo, unsigned len, const Value& v);
Expr* symbol_expr(IrArena& a, Span s, SymbolType t, std::string text);
Expr* verdict_expr(IrArena& a, Span s, std::int32_t verdict, Expr* chain);
Expr* prefix_expr(IrArena& a, Span s, Expr* base, unsigned prefix_len);
Expr* range_expr(IrArena& a, Span s, Expr* low, Expr* high);
Expr* unary_expr(IrArena& a, Span s, Op op, Expr* arg);
Expr* binop_expr(IrArena& a, Span s, Op op, Expr* left, Expr* right);
Expr* relational_expr(IrArena& a, Span s, Op op, Expr* left, Expr* right);
Expr* concat_expr(IrArena& a, Span s);
Expr* list_expr(IrArena& a, Span s);
Expr* set_expr(IrArena& a, Span s);
Expr* set_ref_expr(IrArena& a, Span s, Set* set);
Expr* set_elem_expr(IrArena& a, Span s, Expr* key);
Expr* mapping_expr(IrArena& a, Span s, Expr* key, Expr* data);
Expr* map_expr(IrArena& a, Span s, Expr* key, Expr* mappings);
Expr* catchall_expr(IrArena& a, Span s);

Expr* payload_expr(IrArena& a, Span s, const ProtoDesc* desc, unsigned type);
void payload_init_raw(Expr* e, ProtoBase base, unsigned offset, unsigned len);
Expr* exthdr_expr(IrArena& a, Span s, const ExthdrDesc* desc, unsigned type, std::uint8_t op);
Expr* meta_expr(IrArena& a, Span s, std::uint32_t key);
Expr* ct_expr(IrArena& a, Span s, std::uint32_t key, std::int8_t direction);
Expr* rt_expr(IrArena& a, Span s, std::uint32_t key, bool invert_family);

Stmt* expr_stmt(IrArena& a, Span s, Expr* e);
Stmt* verdict_stmt(IrArena& a, Span s, Expr* e);
Stmt* meta_iiftype_stmt(IrArena& a, Span s, std::uint16_t type);

inline unsigned div_round_up(unsigned n, unsigned d) { return (n + d - 1) / d; }
inline unsigned round_up(unsigned n, unsigned d) { return div_round_up(n, d) * d; }
// Registers a value of `len` bits occupies, in 4-byte units (padded).
inline unsigned netlink_padded_len(unsigned len) { return round_up(len, 32); }
inline unsigned netlink_register_space(unsigned len) { return div_round_up(len, 32); }
// Bytes that hold `bits` bits.
inline unsigned bytes_of(unsigned bits) { return div_round_up(bits, 8); }

const Datatype* expr_basetype(const Expr* e);
bool payload_expr_equal(const Expr* a, const Expr* b);
// A payload expression that does not start and end on byte boundaries.
bool payload_needs_adjustment(const Expr* e);
// ct saddr/daddr without ip or ip6: the address family is unknown.
bool is_ct_addr_any(const Expr* e);
// Values of datatype b can be compared with (or assigned to) a: the same
// type, or b is a mark's base type.
bool datatype_compatible(const Datatype* a, const Datatype* b);
bool expr_type_catchall(const Expr* e);

// Set flags (NFT_SET_*), as nft's set_is_* helpers test them.
bool set_is_anonymous(std::uint32_t f);
bool set_is_map(std::uint32_t f);
bool set_is_datamap(std::uint32_t f);
bool set_is_objmap(std::uint32_t f);
bool set_is_interval(std::uint32_t f);
bool set_is_meter_compat(std::uint32_t f);

}  // namespace nftc::sema
