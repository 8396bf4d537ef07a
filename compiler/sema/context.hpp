// The evaluation context: what nft's eval_ctx holds while it evaluates one
// command, rule and statement. Analysis follows nft's evaluation step by
// step, so the state is the same: the expected type of the expression being
// evaluated (ectx), the protocol context of the rule (which headers are
// known), the set being filled, the statement length.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "compiler/diagnostics.hpp"
#include "compiler/sema/datatype.hpp"
#include "compiler/sema/ir.hpp"
#include "compiler/sema/proto.hpp"

namespace nftc::sema {

inline constexpr unsigned kProtoCtxNumProtos = 16;

struct ProtoCtx {
  Family family = Family::ip;
  bool inner = false;
  std::uint8_t icmp_type = 0;  // th_dep.icmp.type
  struct Base {
    Span location;
    const ProtoDesc* desc = nullptr;
    struct {
      Span location;
      const ProtoDesc* desc = nullptr;
    } protos[kProtoCtxNumProtos];
    unsigned num_protos = 0;
  };
  std::array<Base, kProtoBaseMax + 1> protocol{};
  std::array<const ProtoDesc*, kProtoCtxNumProtos> stacked_ll{};
  unsigned stacked_ll_count = 0;

  void init(Family f, bool inner_ctx);
  void update(ProtoBase base, Span loc, const ProtoDesc* desc);
  bool is_ambiguous(ProtoBase base) const { return protocol[size_t(base)].num_protos > 1; }
  const ProtoDesc* find_conflict(ProtoBase base, const ProtoDesc* desc) const;
  const ProtoDesc* desc(ProtoBase base) const { return protocol[size_t(base)].desc; }
};

// Updates the protocol context from an equality match on a protocol key
// (nft's relational_expr_pctx_update).
void relational_pctx_update(ProtoCtx& pctx, const Expr* rel);

// The expected type of the expression being evaluated (nft's expr_ctx).
struct ExprCtx {
  const Datatype* dtype = nullptr;
  ByteOrder byteorder = ByteOrder::invalid;
  unsigned len = 0;
  unsigned maxval = 0;
  const Expr* key = nullptr;

  void set(const Datatype* d, ByteOrder bo, unsigned l, unsigned max) {
    dtype = d;
    byteorder = bo;
    len = l;
    maxval = max;
    key = nullptr;
  }
  void set(const Datatype* d, unsigned l) { set(d, d ? d->byteorder : ByteOrder::invalid, l, 0); }
  void reset() { *this = ExprCtx{}; }
};

// What the command being evaluated names.
struct CmdInfo {
  enum class Op { add, create, insert, replace, del, destroy, get, reset, other } op = Op::add;
  Family family = Family::ip;
  std::string table;
};

class Analyzer;

struct EvalCtx : ParseCtx {
  Analyzer& an;
  IrArena& ir;
  TypeStore& types;
  DiagnosticSink& diags;
  CmdInfo cmd;
  Table* table = nullptr;      // the table of the command
  Rule* rule = nullptr;
  Stmt* stmt = nullptr;        // the statement being evaluated
  Set* set = nullptr;          // the set whose elements are being evaluated
  ExprCtx ectx;
  unsigned stmt_len = 0;
  const ProtoDesc* inner_desc = nullptr;
  std::array<ProtoCtx, 2> pctx_store{};  // outer and inner (tunnel) headers
  struct {
    unsigned binop = 0;
    unsigned list = 0;
  } recursion;
  bool errors = false;

  EvalCtx(Analyzer& a, IrArena& arena, TypeStore& t, DiagnosticSink& d) : an(a), ir(arena), types(t), diags(d) {}

  ProtoCtx& pctx() { return pctx_store[inner_desc ? 1 : 0]; }

  // ParseCtx
  IrArena& arena() override { return ir; }
  bool error(Span span, std::string message) override;
  bool error_with_help(Span span, std::string message, std::string help) override;
  // An error with a second span ("expr_binary_error").
  bool error2(Span primary, Span secondary, std::string message);
  // An error with its own code (SEM002, KRN…) and an optional help line.
  bool fail(std::string_view code, Span span, std::string message, std::string help = {});
};

// The datatype a concatenation's type id describes.
const Datatype* concat_type(EvalCtx& ctx, std::uint32_t type);

}  // namespace nftc::sema
