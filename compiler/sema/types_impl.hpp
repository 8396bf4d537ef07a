// Helpers shared by the datatype files (datatype.cpp, types_*.cpp): not a
// public interface. The print functions of the core types live in
// types_print.cpp and are attached to the types in datatype.cpp.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "compiler/sema/datatype.hpp"

namespace nftc::sema::detail {

inline const std::string& sym_text(const Expr& sym) { return std::get<SymbolData>(sym.data).text; }

// nft's mpz_export_data: the low `out.size()` bytes of `v` in `order`. An
// invalid order exports big-endian, as nft's does.
void export_bytes(const Value& v, ByteOrder order, std::span<std::uint8_t> out);

// The constant as nft compares it with a symbol table entry: its value
// exported in the expression's byte order and read back as a host integer
// (symbolic_constant_print).
std::uint64_t symbol_key(const Expr& e);

// nft_gmp_print for the formats datatypes use: "%Zu", "0x%Zx", "0x%.8Zx", …
void gmp_format(std::string& out, std::string_view fmt, const Value& v);

// Prints `e` with its root base type's printer (nft's expr_basetype(e)->print).
void basetype_print(const Expr& e, std::string& out, const PrintOptions& opts);

// A C string of the symbol, for the libc parsers nft uses (strtoul, strptime).
inline const char* c_str(const Expr& sym) { return sym_text(sym).c_str(); }

// Printers of the core types.
void invalid_type_print(const Expr& e, std::string& out, const PrintOptions& opts);
void verdict_type_print(const Expr& e, std::string& out, const PrintOptions& opts);
void integer_type_print(const Expr& e, std::string& out, const PrintOptions& opts);
void xinteger_type_print(const Expr& e, std::string& out, const PrintOptions& opts);
void queue_type_print(const Expr& e, std::string& out, const PrintOptions& opts);
void string_type_print(const Expr& e, std::string& out, const PrintOptions& opts);
void lladdr_type_print(const Expr& e, std::string& out, const PrintOptions& opts);
void ipaddr_type_print(const Expr& e, std::string& out, const PrintOptions& opts);
void ip6addr_type_print(const Expr& e, std::string& out, const PrintOptions& opts);
void inet_protocol_type_print(const Expr& e, std::string& out, const PrintOptions& opts);
void inet_service_type_print(const Expr& e, std::string& out, const PrintOptions& opts);
void mark_type_print(const Expr& e, std::string& out, const PrintOptions& opts);
void time_type_print(const Expr& e, std::string& out, const PrintOptions& opts);

}  // namespace nftc::sema::detail
