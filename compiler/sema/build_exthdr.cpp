// Selectors of headers the kernel walks rather than reads at a fixed offset:
// IPv6 extension headers, TCP and IPv4 options, SCTP chunks and DCCP
// options (nft_exthdr). Each builds the exthdr expression nft's parser
// builds, with the template at nft's field index.
#include <fmt/format.h>
#include <linux/netfilter/nf_tables.h>

#include "compiler/sema/build.hpp"
#include "compiler/sema/exprs.hpp"

namespace nftc::sema {

namespace {

// TCP option kinds (RFC 793 and successors) as nft names them; sack1-3 are
// nft's own numbers for the second to fourth SACK block.
constexpr unsigned kTcpoptSack = 5;
constexpr unsigned kTcpoptSack1 = 256, kTcpoptSack2 = 257, kTcpoptSack3 = 258;

std::optional<unsigned> tcpopt_kind(std::string_view name) {
  struct Kind {
    std::string_view name;
    unsigned kind;
  };
  static constexpr Kind kinds[] = {
      {"eol", 0},         {"nop", 1},         {"noop", 1},          {"mss", 2},       {"maxseg", 2},
      {"window", 3},      {"sack-perm", 4},   {"sack-permitted", 4}, {"sack", 5},      {"sack0", 5},
      {"sack1", kTcpoptSack1}, {"sack2", kTcpoptSack2}, {"sack3", kTcpoptSack3}, {"timestamp", 8}, {"echo", 8},
      {"md5sig", 19},     {"mptcp", 30},      {"fastopen", 34},
  };
  for (const Kind& k : kinds)
    if (k.name == name) return k.kind;
  return std::nullopt;
}

// Field indices shared by every option (nft's tcpopt_common) and the
// kind-specific ones that follow them.
constexpr unsigned kOptKind = 0, kOptLength = 1, kOptFirstField = 2;

const HdrTemplate kUnknownTemplate{.token = "unknown", .dtype = &invalid_type};

// Options nft has no description for: only kind and length can be read.
const ExthdrDesc& tcpopt_fallback() {
  static const ExthdrDesc desc = [] {
    ExthdrDesc d;
    d.name = "unknown";
    d.templates[kOptKind] = {.token = "kind", .dtype = &integer_type, .offset = 0, .len = 8,
                             .byteorder = ByteOrder::big};
    d.templates[kOptLength] = {.token = "length", .dtype = &integer_type, .offset = 8, .len = 8,
                               .byteorder = ByteOrder::big};
    return d;
  }();
  return desc;
}

// DCCP options: nft describes each by its type only, so a single layout
// serves every option number.
const ExthdrDesc& dccpopt_desc() {
  static const ExthdrDesc desc = [] {
    ExthdrDesc d;
    d.name = "dccp option";
    d.templates[0] = {.token = "type", .dtype = &integer_type, .offset = 0, .len = 8, .byteorder = ByteOrder::big};
    return d;
  }();
  return desc;
}

void assign_template(Expr* e, const ExthdrDesc* desc, const HdrTemplate* tmpl, std::uint8_t op) {
  ExthdrData& x = e->exthdr();
  x.op = op;
  x.desc = desc;
  x.tmpl = tmpl;
  x.offset = tmpl->offset;
}

// nft's tcpopt_expr_alloc: nullptr when the option has no such field.
Expr* tcpopt_expr(IrArena& ir, Span span, unsigned kind, unsigned field) {
  if (kind >= kTcpoptSack1 && kind <= kTcpoptSack3) {
    unsigned block = kind - kTcpoptSack1 + 1;  // left/right of SACK block N sit 2N fields further
    if (field == kOptFirstField || field == kOptFirstField + 1) field += 2 * block;
    kind = kTcpoptSack;
  }
  const ExthdrDesc* desc = kind < 256 ? tcpopt_by_kind(static_cast<std::uint8_t>(kind)) : nullptr;
  if (desc == nullptr) {
    if (kind > 255) return nullptr;
    const ExthdrDesc* fb = &tcpopt_fallback();
    const HdrTemplate* tmpl = field <= kOptLength ? &fb->templates[field] : &kUnknownTemplate;
    Expr* e = ir.expr(Kind::exthdr, span);
    e->dtype = &integer_type;
    e->byteorder = ByteOrder::big;
    e->len = 8;
    e->exthdr().raw_type = static_cast<std::uint8_t>(kind);
    assign_template(e, fb, tmpl, NFT_EXTHDR_OP_TCPOPT);
    return e;
  }
  if (field >= desc->templates.size()) return nullptr;
  const HdrTemplate* tmpl = &desc->templates[field];
  if (tmpl->dtype == nullptr) return nullptr;
  Expr* e = ir.expr(Kind::exthdr, span);
  e->dtype = tmpl->dtype;
  e->byteorder = ByteOrder::big;
  e->len = tmpl->len;
  e->exthdr().raw_type = desc->type;
  assign_template(e, desc, tmpl, NFT_EXTHDR_OP_TCPOPT);
  return e;
}

// nft's tcpopt_init_raw: tcp option @kind,offset,length.
void tcpopt_init_raw(Expr* e, unsigned kind, unsigned offset, unsigned len, std::uint32_t flags) {
  ExthdrData& x = e->exthdr();
  e->len = len;
  x.flags = flags;
  x.offset = offset;
  x.op = NFT_EXTHDR_OP_TCPOPT;
  x.tmpl = &kUnknownTemplate;
  e->dtype = (flags & NFT_EXTHDR_F_PRESENT) ? &boolean_type : &integer_type;
  const ExthdrDesc* desc = kind < 256 ? tcpopt_by_kind(static_cast<std::uint8_t>(kind)) : nullptr;
  if (desc == nullptr) return;
  x.desc = desc;
  for (const HdrTemplate& t : desc->templates) {
    if (t.offset != offset || t.len != len) continue;
    if (!(flags & NFT_EXTHDR_F_PRESENT)) e->dtype = t.dtype;
    x.tmpl = &t;
    break;
  }
}

unsigned tcpopt_field(std::string_view field) {
  if (field.empty()) return kOptKind;
  if (field == "length") return kOptLength;
  // size (mss), count (window), tsval (timestamp), subtype (mptcp), left (sack)
  if (field == "tsecr" || field == "right") return kOptFirstField + 1;
  return kOptFirstField;
}

}  // namespace

Expr* Builder::exthdr_selector(const ast::Expr& e) {
  const ast::Selector& s = *e.sel;
  IrArena& ir = ctx_.ir;
  Span span = e.span;
  switch (s.kind) {
    case ast::SelectorKind::exthdr: {
      const ExthdrDesc* desc = exthdr_by_name(s.proto);
      if (desc == nullptr) {
        fail(span, fmt::format("unknown extension header {}", s.proto));
        return nullptr;
      }
      int index = -1;
      if (s.field == "addr" && s.proto == "rt0") {
        index = 2 + static_cast<int>(s.n1) - 1;  // addr[1] is the second field
      } else if (s.field == "sid") {
        index = 4 + static_cast<int>(s.n1) - 1;  // sid[1] follows last-entry, flags and tag
      } else {
        index = exthdr_field_index(desc, s.field);
      }
      if (index <= 0 || static_cast<std::size_t>(index) >= desc->templates.size() ||
          desc->templates[static_cast<std::size_t>(index)].len == 0) {
        if (s.field == "addr" || s.field == "sid")
          fail(span, fmt::format("{} {}[{}] is out of range: nft knows {}[1] and {}[2]", s.proto, s.field, s.n1,
                                 s.field, s.field));
        else
          fail(span, fmt::format("{} has no field {}", s.proto, s.field));
        return nullptr;
      }
      return exthdr_expr(ir, span, desc, static_cast<unsigned>(index), NFT_EXTHDR_OP_IPV6);
    }
    case ast::SelectorKind::exthdr_exists: {
      // exthdr NAME: the presence of the header, read through its first field.
      static constexpr std::pair<std::string_view, std::uint8_t> protos[] = {
          {"hbh", 0}, {"rt", 43}, {"frag", 44}, {"dst", 60}, {"mh", 135}};
      const ExthdrDesc* desc = nullptr;
      for (auto [name, nexthdr] : protos)
        if (name == s.proto) desc = exthdr_find_proto(nexthdr);
      Expr* x = exthdr_expr(ir, span, desc, 1, NFT_EXTHDR_OP_IPV6);
      x->exthdr().flags = NFT_EXTHDR_F_PRESENT;
      return x;
    }
    case ast::SelectorKind::tcp_option: {
      unsigned kind = 0;
      bool numeric = !s.proto.empty() && s.proto.front() >= '0' && s.proto.front() <= '9';
      if (numeric) {
        if (s.n3 > 255) {
          fail(span, "value too large");
          return nullptr;
        }
        kind = static_cast<unsigned>(s.n3);
      } else if (auto k = tcpopt_kind(s.proto)) {
        kind = *k;
      } else {
        fail(span, fmt::format("unknown tcp option {}", s.proto));
        return nullptr;
      }
      if (s.raw) {
        Expr* x = tcpopt_expr(ir, span, kind, kOptKind);
        if (x == nullptr) {
          fail(span, "Could not find a tcp option template");
          return nullptr;
        }
        tcpopt_init_raw(x, kind, static_cast<unsigned>(s.n1), static_cast<unsigned>(s.n2), 0);
        return x;
      }
      Expr* x = tcpopt_expr(ir, span, kind, tcpopt_field(s.field));
      if (x == nullptr) {
        fail(span, "Could not find a tcp option template");
        return nullptr;
      }
      if (s.field.empty()) x->exthdr().flags = NFT_EXTHDR_F_PRESENT;
      return x;
    }
    case ast::SelectorKind::ip_option: {
      const ExthdrDesc* desc = ipopt_by_name(s.proto);
      unsigned field = 1;  // type
      if (s.field == "length") field = 2;
      else if (s.field == "value") field = 3;
      else if (s.field == "ptr") field = 4;
      else if (s.field == "addr") field = 5;
      if (desc == nullptr || desc->templates[field].len == 0) {
        fail(span, "unknown ip option type/field");
        return nullptr;
      }
      const HdrTemplate* tmpl = &desc->templates[field];
      Expr* x = ir.expr(Kind::exthdr, span);
      x->dtype = tmpl->dtype;
      x->byteorder = ByteOrder::big;
      x->len = tmpl->len;
      x->exthdr().raw_type = desc->type;
      assign_template(x, desc, tmpl, NFT_EXTHDR_OP_IPV4);
      if (field == 1) x->exthdr().flags = NFT_EXTHDR_F_PRESENT;
      return x;
    }
    case ast::SelectorKind::sctp_chunk: {
      const ExthdrDesc* desc = sctp_chunk_by_name(s.proto);
      if (desc == nullptr) {
        fail(span, fmt::format("unknown sctp chunk {}", s.proto));
        return nullptr;
      }
      int index = 0;  // type
      if (!s.field.empty()) index = exthdr_field_index(desc, s.field);
      if (index < 0 || desc->templates[static_cast<std::size_t>(index)].dtype == nullptr) {
        fail(span, fmt::format("sctp chunk {} has no field {}", s.proto, s.field));
        return nullptr;
      }
      const HdrTemplate* tmpl = &desc->templates[static_cast<std::size_t>(index)];
      Expr* x = ir.expr(Kind::exthdr, span);
      x->dtype = tmpl->dtype;
      x->byteorder = ByteOrder::big;
      x->len = tmpl->len;
      x->exthdr().raw_type = desc->type;
      assign_template(x, desc, tmpl, 3);  // NFT_EXTHDR_OP_SCTP
      if (s.field.empty()) x->exthdr().flags = NFT_EXTHDR_F_PRESENT;
      return x;
    }
    case ast::SelectorKind::dccp_option: {
      if (s.n1 > 255) {
        fail(span, "value too large");
        return nullptr;
      }
      const ExthdrDesc* desc = &dccpopt_desc();
      const HdrTemplate* tmpl = &desc->templates[0];
      Expr* x = ir.expr(Kind::exthdr, span);
      x->dtype = tmpl->dtype;
      x->byteorder = ByteOrder::big;
      x->len = 8;
      x->exthdr().raw_type = static_cast<std::uint8_t>(s.n1);
      x->exthdr().flags = NFT_EXTHDR_F_PRESENT;
      assign_template(x, desc, tmpl, 4);  // NFT_EXTHDR_OP_DCCP
      return x;
    }
    default: break;
  }
  fail(span, "not an extension header selector");
  return nullptr;
}

}  // namespace nftc::sema
