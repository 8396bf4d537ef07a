// Building unevaluated IR from the AST: expressions and selectors.
#include <fmt/format.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/xfrm.h>

#include "compiler/sema/analyzer.hpp"
#include "compiler/sema/build.hpp"
#include "compiler/sema/exprs.hpp"

namespace nftc::sema {

bool Builder::fail(Span span, std::string message) { return ctx_.error(span, std::move(message)); }

const ast::Expr& Builder::resolve(const ast::Expr& e) {
  const ast::Expr* cur = &e;
  for (int depth = 0; cur->kind == ast::ExprKind::variable && cur->def != nullptr && depth < 64; ++depth)
    cur = cur->def->value;
  return *cur;
}

bool Builder::text(const ast::Expr& e0, std::string& out) {
  const ast::Expr& e = resolve(e0);
  switch (e.kind) {
    case ast::ExprKind::symbol:
    case ast::ExprKind::number:
      out = std::string(e.text);
      return true;
    default:
      return fail(e0.span, "expected a string");
  }
}

bool Builder::time_ms(const ast::Expr& e0, std::uint64_t& ms, bool allow_never) {
  const ast::Expr& e = resolve(e0);
  std::string t(e.text);
  if (allow_never && t == "never") {
    ms = ~std::uint64_t{0};
    return true;
  }
  std::string err;
  if (!time_parse(t, ms, err)) return fail(e0.span, err);
  return true;
}

Expr* Builder::verdict(const ast::Expr& e) {
  std::int32_t code = kVerdictAccept;
  switch (e.verdict) {
    case ast::VerdictKind::accept: code = kVerdictAccept; break;
    case ast::VerdictKind::drop: code = kVerdictDrop; break;
    case ast::VerdictKind::continue_: code = kVerdictContinue; break;
    case ast::VerdictKind::return_: code = kVerdictReturn; break;
    case ast::VerdictKind::jump: code = kVerdictJump; break;
    case ast::VerdictKind::goto_: code = kVerdictGoto; break;
    case ast::VerdictKind::queue: code = kVerdictQueue; break;
  }
  Expr* chain = nullptr;
  if (e.a != nullptr) {
    // A chain name is a string constant, whatever word it is.
    const ast::Expr& name = resolve(*e.a);
    if (name.kind == ast::ExprKind::symbol) {
      std::string text(name.text);
      if (text.size() > Value::kBits / 8) {
        fail(e.a->span, fmt::format("chain names of more than {} bytes are not supported by nftc", Value::kBits / 8));
        return nullptr;
      }
      chain = constant_expr(ctx_.ir, e.a->span, &string_type, ByteOrder::host, static_cast<unsigned>(text.size() * 8),
                            Value());
      chain->value = Value::from_bytes(
          std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()),
          ByteOrder::host);
    } else {
      chain = expr(*e.a);
      if (chain == nullptr) return nullptr;
    }
  }
  return verdict_expr(ctx_.ir, e.span, code, chain);
}

// An element: a set_elem with options, or a key alone (the element is
// where the key is written, a variable's value included).
Expr* Builder::set_elem(const ast::Expr& e0) {
  const ast::Expr& e = resolve(e0);
  const bool with_options = e.kind == ast::ExprKind::set_elem;
  Expr* key = expr(with_options ? *e.a : e0);
  if (key == nullptr) return nullptr;
  Expr* elem = set_elem_expr(ctx_.ir, with_options ? e.span : e0.span, key);
  if (with_options) {
    ElemData& d = elem->elem();
    const ast::ElemOptions& o = e.options();
    if (o.timeout && !time_ms(*o.timeout, d.timeout, true)) return nullptr;
    if (o.expires && !time_ms(*o.expires, d.expiration)) return nullptr;
    if (!o.comment.empty()) {
      d.comment = std::string(o.comment.text);
      d.has_comment = true;
    }
    for (const ast::Stmt* s : o.stmts) {
      Stmt* st = stmt(*s);
      if (st == nullptr) return nullptr;
      d.stmts.push_back(st);
    }
  }
  return elem;
}

Expr* Builder::set_literal(const ast::Expr& e) {
  Expr* set = set_expr(ctx_.ir, e.span);
  for (const ast::Expr* item0 : e.items) {
    // Items as written: a variable is an element's key (set_elem resolves it).
    const ast::Expr& item = *item0;
    Expr* member;
    switch (item.kind) {
      case ast::ExprKind::mapping: {
        // { key : value }: nft puts the mapping inside the element.
        Expr* elem = set_elem(*item.a);
        if (elem == nullptr) return nullptr;
        Expr* value = item.b->kind == ast::ExprKind::verdict ? verdict(*item.b) : expr(*item.b);
        if (value == nullptr) return nullptr;
        elem->left = mapping_expr(ctx_.ir, item.span, elem->left, value);
        member = elem;
        break;
      }
      case ast::ExprKind::set: {
        // A nested set: an element whose key is the set; evaluation merges it.
        Expr* inner = set_literal(item);
        if (inner == nullptr) return nullptr;
        member = set_elem_expr(ctx_.ir, item.span, inner);
        break;
      }
      default:
        member = set_elem(item);
        if (member == nullptr) return nullptr;
        break;
    }
    set->items.push_back(member);
  }
  return set;
}

Expr* Builder::expr(const ast::Expr& e0) {
  const ast::Expr& e = resolve(e0);
  if (e.kind == ast::ExprKind::variable) {
    fail(e0.span, fmt::format("unknown variable '${}'", e0.text));
    return nullptr;
  }
  switch (e.kind) {
    case ast::ExprKind::symbol: {
      // Protocol keywords on the right-hand side are constants of their
      // own type in nft's grammar, not symbols the context parses.
      if (!e.quoted) {
        static constexpr std::pair<std::string_view, std::uint8_t> protocols[] = {
            {"tcp", 6},  {"udp", 17},    {"udplite", 136}, {"esp", 50}, {"ah", 51},   {"icmp", 1},
            {"igmp", 2}, {"icmpv6", 58}, {"gre", 47},      {"comp", 108}, {"dccp", 33}, {"sctp", 132}};
        for (auto [name, number] : protocols)
          if (e.text == name) return constant_expr(ctx_.ir, e.span, &inet_protocol_type, ByteOrder::host, 8, Value(number));
        if (e.text == "redirect") return constant_expr(ctx_.ir, e.span, &icmp_type_type, ByteOrder::host, 8, Value(5));
      }
      return symbol_expr(ctx_.ir, e.span, SymbolType::value, std::string(e.text));
    }
    case ast::ExprKind::number:
      // nft turns a number into a symbol, parsed by the type the context
      // expects: 22 is a port after `tcp dport`, a mark after `meta mark`.
      return symbol_expr(ctx_.ir, e.span, SymbolType::value, std::to_string(e.num));
    case ast::ExprKind::boolean:
      return constant_expr(ctx_.ir, e.span, &boolean_type, ByteOrder::host, 8, Value(e.num));
    case ast::ExprKind::wildcard:
      return catchall_expr(ctx_.ir, e.span);
    case ast::ExprKind::selector:
      return selector(e);
    case ast::ExprKind::binop: {
      Expr* l = expr(*e.a);
      Expr* r = l ? expr(*e.b) : nullptr;
      if (r == nullptr) return nullptr;
      Op op = Op::band;
      switch (e.binop) {
        case ast::BinOp::band: op = Op::band; break;
        case ast::BinOp::bor: op = Op::bor; break;
        case ast::BinOp::bxor: op = Op::bxor; break;
        case ast::BinOp::lshift: op = Op::lshift; break;
        case ast::BinOp::rshift: op = Op::rshift; break;
      }
      return binop_expr(ctx_.ir, e.span, op, l, r);
    }
    case ast::ExprKind::concat: {
      Expr* c = concat_expr(ctx_.ir, e.span);
      for (const ast::Expr* i : e.items) {
        Expr* x = expr(*i);
        if (x == nullptr) return nullptr;
        // A variable holding a concatenation splices in.
        if (x->kind == Kind::concat) c->items.insert(c->items.end(), x->items.begin(), x->items.end());
        else c->items.push_back(x);
      }
      return c;
    }
    case ast::ExprKind::prefix: {
      Expr* base = expr(*e.a);
      if (base == nullptr) return nullptr;
      return prefix_expr(ctx_.ir, e.span, base, static_cast<unsigned>(e.num));
    }
    case ast::ExprKind::range: {
      Expr* l = expr(*e.a);
      Expr* r = l ? expr(*e.b) : nullptr;
      if (r == nullptr) return nullptr;
      return range_expr(ctx_.ir, e.span, l, r);
    }
    case ast::ExprKind::list: {
      Expr* l = list_expr(ctx_.ir, e.span);
      for (const ast::Expr* i : e.items) {
        Expr* x = expr(*i);
        if (x == nullptr) return nullptr;
        l->items.push_back(x);
      }
      return l;
    }
    case ast::ExprKind::set:
      return set_literal(e);
    case ast::ExprKind::set_elem:
      return set_elem(e);
    case ast::ExprKind::mapping: {
      Expr* l = expr(*e.a);
      Expr* r = l ? expr(*e.b) : nullptr;
      if (r == nullptr) return nullptr;
      return mapping_expr(ctx_.ir, e.span, l, r);
    }
    case ast::ExprKind::set_ref:
      return symbol_expr(ctx_.ir, e.span, SymbolType::set, std::string(e.text));
    case ast::ExprKind::map: {
      Expr* key = expr(*e.a);
      Expr* m = key ? expr(*e.b) : nullptr;
      if (m == nullptr) return nullptr;
      return map_expr(ctx_.ir, e.span, key, m);
    }
    case ast::ExprKind::verdict:
      return verdict(e);
    case ast::ExprKind::variable:
      break;
  }
  fail(e.span, "unsupported expression");
  return nullptr;
}

// ---------------------------------------------------------------------------
// Selectors

Expr* Builder::payload_selector(const ast::Expr& e) {
  const ast::Selector& s = *e.sel;
  const ProtoDesc* desc = proto_by_name(s.proto);
  if (desc == nullptr) {
    fail(e.span, fmt::format("unknown protocol '{}'", s.proto));
    return nullptr;
  }
  std::string token(s.field);
  if (s.proto == "arp" && !s.qualifier.empty()) token += " " + std::string(s.qualifier);
  int field = proto_field_index(desc, token);
  if (field < 0) {
    fail(e.span, fmt::format("unknown {} header field '{}'", s.proto, token));
    return nullptr;
  }
  Expr* p = payload_expr(ctx_.ir, e.span, desc, static_cast<unsigned>(field));
  // th could be any transport protocol: nft reads it raw, with no dependency.
  if (desc == &proto_th) p->payload().is_raw = true;
  if (!s.qualifier.empty() && s.proto != "arp") {
    // An inner header carried by a tunnel (vxlan ip saddr …).
    const ProtoDesc* tunnel = proto_by_name(s.qualifier);
    if (tunnel == nullptr) {
      fail(e.span, fmt::format("unknown tunnel '{}'", s.qualifier));
      return nullptr;
    }
    p->payload().inner_desc = tunnel;
  } else if (desc == &proto_vxlan || desc == &proto_geneve) {
    p->payload().inner_desc = desc;
  }
  return p;
}

Expr* Builder::selector(const ast::Expr& e) {
  const ast::Selector& s = *e.sel;
  IrArena& ir = ctx_.ir;
  switch (s.kind) {
    case ast::SelectorKind::payload:
      return payload_selector(e);
    case ast::SelectorKind::payload_raw: {
      ProtoBase base = s.qualifier == "ll" ? ProtoBase::ll
                       : s.qualifier == "nh" ? ProtoBase::network
                       : s.qualifier == "th" ? ProtoBase::transport
                                             : ProtoBase::inner;
      Expr* p = payload_expr(ir, e.span, nullptr, 0);
      payload_init_raw(p, base, static_cast<unsigned>(s.n1), static_cast<unsigned>(s.n2));
      p->byteorder = ByteOrder::big;
      p->payload().is_raw = true;
      return p;
    }
    case ast::SelectorKind::meta: {
      auto key = meta_key_by_name(s.field);
      if (!key) {
        fail(e.span, fmt::format("unknown meta key '{}'", s.field));
        return nullptr;
      }
      return meta_expr(ir, e.span, *key);
    }
    case ast::SelectorKind::ct: {
      std::int8_t dir = s.qualifier == "original" ? 0 : s.qualifier == "reply" ? 1 : -1;
      std::string field(s.field);
      std::uint32_t key;
      if (!s.proto.empty()) {
        bool v6 = s.proto == "ip6";
        bool src = field == "saddr";
        key = v6 ? (src ? NFT_CT_SRC_IP6 : NFT_CT_DST_IP6) : (src ? NFT_CT_SRC_IP : NFT_CT_DST_IP);
      } else {
        auto k = ct_key_by_name(field);
        if (!k) {
          fail(e.span, fmt::format("unknown ct key '{}'", field));
          return nullptr;
        }
        key = *k;
      }
      return ct_expr(ir, e.span, key, dir);
    }
    case ast::SelectorKind::rt: {
      std::uint32_t key = s.field == "classid"   ? NFT_RT_CLASSID
                          : s.field == "nexthop" ? NFT_RT_NEXTHOP4
                          : s.field == "mtu"     ? NFT_RT_TCPMSS
                                                 : NFT_RT_XFRM;
      bool invalid = s.qualifier.empty();
      if (s.qualifier == "ip6" && key == NFT_RT_NEXTHOP4) key = NFT_RT_NEXTHOP6;
      return rt_expr(ir, e.span, key, invalid);
    }
    case ast::SelectorKind::fib: {
      std::uint32_t flags = 0, result;
      for (std::string_view f : s.flags) {
        if (f == "saddr") flags |= NFTA_FIB_F_SADDR;
        else if (f == "daddr") flags |= NFTA_FIB_F_DADDR;
        else if (f == "mark") flags |= NFTA_FIB_F_MARK;
        else if (f == "iif") flags |= NFTA_FIB_F_IIF;
        else if (f == "oif") flags |= NFTA_FIB_F_OIF;
      }
      if (s.field == "oif") result = NFT_FIB_RESULT_OIF;
      else if (s.field == "oifname") result = NFT_FIB_RESULT_OIFNAME;
      else if (s.field == "type") result = NFT_FIB_RESULT_ADDRTYPE;
      else {
        result = NFT_FIB_RESULT_OIF;
        flags |= NFTA_FIB_F_PRESENT;
      }
      if ((flags & (NFTA_FIB_F_SADDR | NFTA_FIB_F_DADDR)) == 0) {
        fail(e.span, "fib: need either saddr or daddr");
        return nullptr;
      }
      if ((flags & (NFTA_FIB_F_SADDR | NFTA_FIB_F_DADDR)) == (NFTA_FIB_F_SADDR | NFTA_FIB_F_DADDR)) {
        fail(e.span, "fib: saddr and daddr are mutually exclusive");
        return nullptr;
      }
      if ((flags & (NFTA_FIB_F_IIF | NFTA_FIB_F_OIF)) == (NFTA_FIB_F_IIF | NFTA_FIB_F_OIF)) {
        fail(e.span, "fib: iif and oif are mutually exclusive");
        return nullptr;
      }
      const Datatype* type = &ifindex_type;
      unsigned len = 32;
      if (result == NFT_FIB_RESULT_OIFNAME) type = &ifname_type, len = 16 * 8;
      else if (result == NFT_FIB_RESULT_ADDRTYPE) type = &fib_addr_type;
      if (flags & NFTA_FIB_F_PRESENT) type = &boolean_type, len = 8;
      Expr* f = ir.expr(Kind::fib, e.span);
      f->dtype = type;
      f->byteorder = ByteOrder::host;
      f->len = len;
      f->as<FibData>().result = result;
      f->as<FibData>().flags = flags;
      return f;
    }
    case ast::SelectorKind::socket: {
      std::uint32_t key = s.field == "transparent" ? NFT_SOCKET_TRANSPARENT
                          : s.field == "mark"      ? NFT_SOCKET_MARK
                          : s.field == "wildcard"  ? NFT_SOCKET_WILDCARD
                                                   : NFT_SOCKET_CGROUPV2;
      const KeyTemplate* tmpl = socket_template(key);
      Expr* x = ir.expr(Kind::socket, e.span);
      x->dtype = tmpl ? tmpl->dtype : &invalid_type;
      x->byteorder = tmpl ? tmpl->byteorder : ByteOrder::host;
      x->len = tmpl ? tmpl->len : 0;
      x->as<SocketData>().key = key;
      x->as<SocketData>().level = static_cast<std::uint32_t>(s.n1);
      return x;
    }
    case ast::SelectorKind::osf: {
      Expr* x = ir.expr(Kind::osf, e.span);
      x->dtype = &string_type;
      x->byteorder = ByteOrder::host;
      x->len = 16 * 8;  // NFT_OSF_MAXGENRELEN
      x->as<OsfData>().ttl = s.qualifier == "loose" ? 1 : s.qualifier == "skip" ? 2 : 0;
      x->as<OsfData>().flags = s.field == "version" ? 1 /* NFT_OSF_F_VERSION */ : 0;
      return x;
    }
    case ast::SelectorKind::numgen: {
      Expr* x = ir.expr(Kind::numgen, e.span);
      x->dtype = &integer_type;
      x->byteorder = ByteOrder::host;
      x->len = 32;
      x->as<NumgenData>().type = s.qualifier == "inc" ? NFT_NG_INCREMENTAL : NFT_NG_RANDOM;
      x->as<NumgenData>().mod = static_cast<std::uint32_t>(s.n1);
      x->as<NumgenData>().offset = static_cast<std::uint32_t>(s.n3);
      return x;
    }
    case ast::SelectorKind::hash: {
      Expr* x = ir.expr(Kind::hash, e.span);
      x->dtype = &integer_type;
      x->byteorder = ByteOrder::host;
      x->len = 32;
      HashData& h = x->as<HashData>();
      h.type = s.qualifier == "jhash" ? NFT_HASH_JENKINS : NFT_HASH_SYM;
      h.mod = static_cast<std::uint32_t>(s.n1);
      h.seed_set = s.has_n4;
      h.seed = static_cast<std::uint32_t>(s.n2);
      h.offset = static_cast<std::uint32_t>(s.n3);
      if (e.a) {
        x->left = expr(*e.a);
        if (x->left == nullptr) return nullptr;
      }
      return x;
    }
    case ast::SelectorKind::xfrm: {
      std::uint32_t key;
      if (s.field == "spi") key = NFT_XFRM_KEY_SPI;
      else if (s.field == "reqid") key = NFT_XFRM_KEY_REQID;
      else {
        bool v6 = s.proto == "ip6";
        bool src = s.field == "saddr";
        key = v6 ? (src ? NFT_XFRM_KEY_SADDR_IP6 : NFT_XFRM_KEY_DADDR_IP6)
                 : (src ? NFT_XFRM_KEY_SADDR_IP4 : NFT_XFRM_KEY_DADDR_IP4);
      }
      if (s.n1 > 255) {
        fail(e.span, "value too large");
        return nullptr;
      }
      const KeyTemplate* tmpl = xfrm_template(key);
      Expr* x = ir.expr(Kind::xfrm, e.span);
      x->dtype = tmpl ? tmpl->dtype : &invalid_type;
      x->byteorder = tmpl ? tmpl->byteorder : ByteOrder::host;
      x->len = tmpl ? tmpl->len : 0;
      x->as<XfrmData>().key = key;
      x->as<XfrmData>().direction = s.qualifier == "in" ? XFRM_POLICY_IN : XFRM_POLICY_OUT;
      x->as<XfrmData>().spnum = static_cast<std::uint8_t>(s.n1);
      return x;
    }
    case ast::SelectorKind::tunnel: {
      std::uint32_t key = s.field == "path" ? 0 /* NFT_TUNNEL_PATH */ : 1 /* NFT_TUNNEL_ID */;
      const KeyTemplate* tmpl = tunnel_template(key);
      Expr* x = ir.expr(Kind::tunnel, e.span);
      x->dtype = tmpl ? tmpl->dtype : &invalid_type;
      x->byteorder = tmpl ? tmpl->byteorder : ByteOrder::host;
      x->len = tmpl ? tmpl->len : 0;
      x->as<TunnelData>().key = key;
      return x;
    }
    case ast::SelectorKind::exthdr:
    case ast::SelectorKind::exthdr_exists:
    case ast::SelectorKind::tcp_option:
    case ast::SelectorKind::ip_option:
    case ast::SelectorKind::sctp_chunk:
    case ast::SelectorKind::dccp_option:
      return exthdr_selector(e);
  }
  fail(e.span, "unsupported selector");
  return nullptr;
}

}  // namespace nftc::sema
