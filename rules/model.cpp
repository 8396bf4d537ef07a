#include "rules/model.hpp"

#include <fmt/format.h>
#include <linux/netfilter/nf_tables.h>

#include <algorithm>
#include <type_traits>

#include "compiler/sema/datatype.hpp"
#include "compiler/sema/exprs.hpp"
#include "compiler/sema/proto.hpp"

namespace nftc::lint {

using sema::Expr;
using sema::Kind;
using sema::Op;
using sema::Stmt;
using sema::StmtType;
using Value = sema::Value;

// ---------------------------------------------------------------------------
// Interval sets

namespace {

Value max_of(unsigned width) { return Value::bitmask(width); }

bool is_max(const Value& v, unsigned width) { return v == max_of(width); }

}  // namespace

IntervalSet IntervalSet::all(unsigned width) { return range(width, Value(), max_of(width)); }

IntervalSet IntervalSet::none(unsigned width) {
  IntervalSet s;
  s.width_ = width;
  return s;
}

IntervalSet IntervalSet::range(unsigned width, const Value& lo, const Value& hi) {
  IntervalSet s;
  s.width_ = width;
  Value l = lo.truncated(width), h = hi.truncated(width);
  if (l.compare(h) <= 0) s.ranges_.emplace_back(l, h);
  return s;
}

void IntervalSet::normalise() {
  std::sort(ranges_.begin(), ranges_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<Value, Value>> out;
  for (auto& r : ranges_) {
    if (!out.empty()) {
      auto& last = out.back();
      // Overlapping or adjacent: merge.
      if (is_max(last.second, width_) || r.first.compare(last.second.add_u64(1)) <= 0) {
        if (last.second < r.second) last.second = r.second;
        continue;
      }
    }
    out.push_back(r);
  }
  ranges_ = std::move(out);
}

IntervalSet IntervalSet::unite(const IntervalSet& o) const {
  IntervalSet s = *this;
  if (s.width_ == 0) s.width_ = o.width_;
  s.ranges_.insert(s.ranges_.end(), o.ranges_.begin(), o.ranges_.end());
  s.normalise();
  return s;
}

IntervalSet IntervalSet::intersect(const IntervalSet& o) const {
  IntervalSet s = none(std::max(width_, o.width_));
  std::size_t i = 0, j = 0;
  while (i < ranges_.size() && j < o.ranges_.size()) {
    const auto& a = ranges_[i];
    const auto& b = o.ranges_[j];
    Value lo = a.first < b.first ? b.first : a.first;
    Value hi = a.second < b.second ? a.second : b.second;
    if (lo.compare(hi) <= 0) s.ranges_.emplace_back(lo, hi);
    if (a.second < b.second) ++i;
    else ++j;
  }
  return s;
}

IntervalSet IntervalSet::complement() const {
  IntervalSet s = none(width_);
  Value next;  // the lowest value not yet covered
  bool done = false;
  for (const auto& r : ranges_) {
    if (next < r.first) s.ranges_.emplace_back(next, r.first.sub_u64(1));
    if (is_max(r.second, width_)) {
      done = true;
      break;
    }
    next = r.second.add_u64(1);
  }
  if (!done) s.ranges_.emplace_back(next, max_of(width_));
  return s;
}

bool IntervalSet::contains(const Value& v) const {
  for (const auto& r : ranges_)
    if (r.first.compare(v) <= 0 && v.compare(r.second) <= 0) return true;
  return false;
}

// ---------------------------------------------------------------------------
// Fields and values

namespace {

bool is_string_type(const Expr* e) { return e->dtype && sema::expr_basetype(e)->type == sema::TYPE_STRING; }

std::string proto_name(const sema::ProtoDesc* d) { return d ? std::string(d->name) : std::string(); }

std::optional<Field> field_of(const Expr* e) {
  Field f;
  f.width = e->len;
  f.string = is_string_type(e);
  switch (e->kind) {
    case Kind::payload: {
      const auto& p = e->payload();
      f.id = fmt::format("payload/{}/{}/{}/{}", static_cast<int>(p.base), p.offset, e->len, proto_name(p.inner_desc));
      return f;
    }
    case Kind::exthdr: {
      const auto& x = e->exthdr();
      f.id = fmt::format("exthdr/{}/{}/{}/{}/{}", x.op, x.raw_type, x.offset, e->len, x.flags);
      return f;
    }
    case Kind::meta:
      f.id = fmt::format("meta/{}/{}", e->meta().key, proto_name(e->meta().inner_desc));
      return f;
    case Kind::ct: f.id = fmt::format("ct/{}/{}", e->ct().key, e->ct().direction); return f;
    case Kind::rt: f.id = fmt::format("rt/{}", e->as<sema::RtData>().key); return f;
    case Kind::socket:
      f.id = fmt::format("socket/{}/{}", e->as<sema::SocketData>().key, e->as<sema::SocketData>().level);
      return f;
    case Kind::fib:
      f.id = fmt::format("fib/{}/{}", e->as<sema::FibData>().flags, e->as<sema::FibData>().result);
      return f;
    case Kind::osf:
      f.id = fmt::format("osf/{}/{}", e->as<sema::OsfData>().ttl, e->as<sema::OsfData>().flags);
      return f;
    case Kind::xfrm: {
      const auto& x = e->as<sema::XfrmData>();
      f.id = fmt::format("xfrm/{}/{}/{}", x.key, x.direction, x.spnum);
      return f;
    }
    case Kind::tunnel: f.id = fmt::format("tunnel/{}", e->as<sema::TunnelData>().key); return f;
    case Kind::unary: {
      // A byte-order conversion does not change which values match.
      if (e->left == nullptr) return std::nullopt;
      auto inner = field_of(e->left);
      if (inner) inner->width = e->len;
      return inner;
    }
    case Kind::binop:
      if (e->op == Op::band && e->left && e->right && e->right->kind == Kind::value) {
        auto inner = field_of(e->left);
        if (!inner) return std::nullopt;
        inner->id += "&" + e->right->value.to_hex();
        inner->width = e->len;
        return inner;
      }
      return std::nullopt;
    default: return std::nullopt;
  }
}

// A constant as the model orders it: strings compare as text (big-endian
// numbers), everything else as the number it is.
Value numeric(const Expr* c, const Field& f) {
  if (!is_string_type(c)) return c->value;
  return string_value(c->value.to_bytes_string(f.width / 8, sema::ByteOrder::host), f.width);
}

std::optional<IntervalSet> key_values(const Expr* k, const Field& f) {
  switch (k->kind) {
    case Kind::value: return IntervalSet::single(f.width, numeric(k, f));
    case Kind::range:
      if (k->left->kind != Kind::value || k->right->kind != Kind::value) return std::nullopt;
      return IntervalSet::range(f.width, numeric(k->left, f), numeric(k->right, f));
    case Kind::range_value:
      // Already ordered as the model orders (strings were turned around).
      return IntervalSet::range(f.width, k->value, k->as<sema::RangeValueData>().high);
    case Kind::prefix: {
      if (k->left == nullptr || k->left->kind != Kind::value) return std::nullopt;
      unsigned plen = k->as<sema::PrefixData>().prefix_len;
      if (plen > f.width) return std::nullopt;
      Value host = Value::bitmask(f.width - plen);
      Value base = numeric(k->left, f);
      Value lo = base & ~host;
      return IntervalSet::range(f.width, lo, lo | host);
    }
    case Kind::set_elem_catchall: return IntervalSet::all(f.width);
    default: return std::nullopt;
  }
}

// The values an anonymous set (or a literal set) holds, if all are plain.
std::optional<IntervalSet> set_values(const Expr* right, const Field& f) {
  const Expr* init = nullptr;
  if (right->kind == Kind::set) init = right;
  else if (right->kind == Kind::set_ref && right->set_ref().set && right->set_ref().set->anonymous())
    init = right->set_ref().set->init;
  if (init == nullptr) return std::nullopt;
  IntervalSet out = IntervalSet::none(f.width);
  for (const Expr* i : init->items) {
    const Expr* k = i->kind == Kind::set_elem ? i->left : i;
    if (k == nullptr || k->kind == Kind::mapping) return std::nullopt;
    auto v = key_values(k, f);
    if (!v) return std::nullopt;
    out = out.unite(*v);
  }
  return out;
}

// The canonical text of an expression, for comparing inexact matches.
void identity(const Expr* e, std::string& out) {
  if (e == nullptr) {
    out += "_";
    return;
  }
  out += fmt::format("({}:{}:{}:", sema::kind_name(e->kind), static_cast<int>(e->op), e->len);
  if (auto f = field_of(e)) out += f->id;
  switch (e->kind) {
    case Kind::value: out += e->value.to_hex(); break;
    case Kind::range_value: out += e->value.to_hex() + "-" + e->as<sema::RangeValueData>().high.to_hex(); break;
    case Kind::prefix: out += std::to_string(e->as<sema::PrefixData>().prefix_len); break;
    case Kind::set_ref: {
      const sema::Set* s = e->set_ref().set;
      if (s && s->anonymous()) identity(s->init, out);
      else if (s) out += "@" + s->name;
      break;
    }
    case Kind::verdict: out += std::to_string(e->as<sema::VerdictData>().verdict); break;
    default: break;
  }
  identity(e->left, out);
  identity(e->right, out);
  for (const Expr* i : e->items) identity(i, out);
  out += ")";
}

Match make_match(const Expr* rel) {
  Match m;
  m.expr = rel;
  m.span = rel->span;
  identity(rel, m.identity);
  auto f = field_of(rel->left);
  if (!f) return m;
  m.field = *f;
  const Expr* r = rel->right;
  std::optional<IntervalSet> vals;
  switch (r->kind) {
    case Kind::set:
    case Kind::set_ref: vals = set_values(r, *f); break;
    case Kind::value:
    case Kind::range:
    case Kind::prefix:
    case Kind::range_value: vals = key_values(r, *f); break;
    default: break;
  }
  if (!vals) return m;
  bool bitmask = r->dtype && r->dtype->basetype && r->dtype->basetype->type == sema::TYPE_BITMASK;
  switch (rel->op) {
    case Op::implicit:
      if (bitmask && r->kind == Kind::value) {
        // (field & mask) != 0; exact only for ct state, where one bit is set.
        if (!is_ct_state(*f)) return m;
        IntervalSet s = IntervalSet::none(f->width);
        for (unsigned b = 0; b < f->width; ++b)
          if (r->value.test_bit(b)) {
            Value v;
            v.set_bit(b);
            s = s.unite(IntervalSet::single(f->width, v));
          }
        m.allowed = s;
        m.exact = true;
        return m;
      }
      [[fallthrough]];
    case Op::eq: m.allowed = *vals; break;
    case Op::neq: m.allowed = vals->complement(); break;
    case Op::lt:
    case Op::lte:
    case Op::gt:
    case Op::gte: {
      if (r->kind != Kind::value) return m;
      Value v = vals->ranges().front().first;
      Value top = Value::bitmask(f->width);
      if (rel->op == Op::lt) m.allowed = v.is_zero() ? IntervalSet::none(f->width) : IntervalSet::range(f->width, Value(), v.sub_u64(1));
      else if (rel->op == Op::lte) m.allowed = IntervalSet::range(f->width, Value(), v);
      else if (rel->op == Op::gt) m.allowed = v == top ? IntervalSet::none(f->width) : IntervalSet::range(f->width, v.add_u64(1), top);
      else m.allowed = IntervalSet::range(f->width, v, top);
      break;
    }
    default: return m;
  }
  m.exact = true;
  return m;
}

VerdictKind verdict_kind(std::int32_t code) {
  switch (code) {
    case sema::kVerdictAccept: return VerdictKind::accept;
    case sema::kVerdictDrop: return VerdictKind::drop;
    case sema::kVerdictQueue: return VerdictKind::queue;
    case sema::kVerdictJump: return VerdictKind::jump;
    case sema::kVerdictGoto: return VerdictKind::goto_;
    case sema::kVerdictReturn: return VerdictKind::return_;
    case sema::kVerdictContinue: return VerdictKind::continue_;
    default: return VerdictKind::other;
  }
}

std::string chain_name(const Expr* chain) {
  if (chain == nullptr || chain->kind != Kind::value) return {};
  std::string s = chain->value.to_bytes_string(chain->len / 8, sema::ByteOrder::host);
  if (auto nul = s.find('\0'); nul != std::string::npos) s.resize(nul);
  return s;
}

}  // namespace

Value string_value(std::string_view s, unsigned width) {
  std::string bytes(s);
  bytes.resize(width / 8, '\0');
  return Value::from_bytes(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()),
                           sema::ByteOrder::big);
}

bool is_ct_state(const Field& f) { return f.id == fmt::format("ct/{}/-1", static_cast<unsigned>(NFT_CT_STATE)); }

bool is_iif_like(const Field& f) {
  return f.id == fmt::format("meta/{}/", static_cast<unsigned>(NFT_META_IIF)) ||
         f.id == fmt::format("meta/{}/", static_cast<unsigned>(NFT_META_IIFNAME));
}

// A statement that looks a value up in a map stops the rule when the key is
// not there (the kernel's NFT_BREAK): the rest of the rule is conditional.
bool uses_map(const Stmt* s) {
  bool found = false;
  auto visit = [&](const Expr* e, auto&& self) -> void {
    if (e == nullptr || found) return;
    if (e->kind == Kind::map) {
      found = true;
      return;
    }
    self(e->left, self);
    self(e->right, self);
    for (const Expr* i : e->items) self(i, self);
  };
  visit(s->expr, visit);
  std::visit(
      [&](const auto& d) {
        auto member = [&](const auto& x) {
          if constexpr (std::is_convertible_v<std::decay_t<decltype(x)>, const Expr*>) visit(x, visit);
        };
        if constexpr (requires { d.expr; }) member(d.expr);
        if constexpr (requires { d.val; }) member(d.val);
        if constexpr (requires { d.addr; }) member(d.addr);
        if constexpr (requires { d.proto; }) member(d.proto);
        if constexpr (requires { d.port; }) member(d.port);
        if constexpr (requires { d.queue; }) member(d.queue);
        if constexpr (requires { d.to; }) member(d.to);
        if constexpr (requires { d.dev; }) member(d.dev);
      },
      s->data);
  return found;
}

RuleModel model_rule(const sema::Rule& rule) {
  RuleModel m;
  m.rule = &rule;
  for (const Stmt* s : rule.stmts) {
    if (s->type != StmtType::verdict && uses_map(s)) m.opaque = true;
    switch (s->type) {
      case StmtType::expression:
        if (s->expr && s->expr->kind == Kind::relational) {
          if (s->expr->left && (s->expr->left->kind == Kind::numgen || s->expr->left->kind == Kind::hash)) {
            m.opaque = true;  // random or packet-dependent in a way we do not model
          }
          m.matches.push_back(make_match(s->expr));
        } else {
          m.opaque = true;
        }
        break;
      case StmtType::verdict:
        if (s->expr && s->expr->kind == Kind::verdict) {
          const auto& v = s->expr->as<sema::VerdictData>();
          m.verdict = verdict_kind(v.verdict);
          m.target = chain_name(v.chain);
        } else {
          m.verdict = VerdictKind::vmap;
        }
        m.verdict_span = s->span;
        break;
      case StmtType::chain: {
        const auto& c = s->as<sema::ChainStmt>();
        m.verdict = c.expr ? verdict_kind(c.expr->as<sema::VerdictData>().verdict) : VerdictKind::jump;
        m.target = c.chain ? c.chain->name : std::string();
        m.verdict_span = s->span;
        break;
      }
      case StmtType::limit:
      case StmtType::quota:
      case StmtType::connlimit:
      case StmtType::meter: m.opaque = true; break;
      case StmtType::objref: {
        std::uint32_t t = s->as<sema::ObjrefStmt>().type;
        if (t == NFT_OBJECT_LIMIT || t == NFT_OBJECT_QUOTA) m.opaque = true;
        else m.side_effects = true;
        break;
      }
      case StmtType::set:
      case StmtType::map:
        // Adding to a full set stops the rule (NFT_BREAK), and set
        // statements may carry limits.
        m.opaque = true;
        m.side_effects = true;
        break;
      case StmtType::nat:
      case StmtType::reject:
        m.verdict = s->type == StmtType::nat ? VerdictKind::nat : VerdictKind::reject;
        m.verdict_span = s->span;
        m.side_effects = true;
        break;
      case StmtType::counter:
      case StmtType::last:
      case StmtType::log: break;
      default: m.side_effects = true; break;
    }
    if (s->flags & sema::kStmtTerminal) m.terminal = true;
  }
  switch (m.verdict) {
    case VerdictKind::accept:
    case VerdictKind::drop:
    case VerdictKind::reject:
    case VerdictKind::queue:
    case VerdictKind::goto_:
    case VerdictKind::return_:
    case VerdictKind::nat: m.terminal = true; break;
    case VerdictKind::vmap:
    case VerdictKind::jump:
    case VerdictKind::continue_: m.terminal = false; break;
    default: break;
  }
  return m;
}

std::vector<MergedField> merge_fields(const RuleModel& m) {
  std::vector<MergedField> out;
  for (const Match& x : m.matches) {
    if (!x.exact) continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const MergedField& f) { return f.field == x.field; });
    if (it == out.end()) {
      out.push_back({x.field, x.allowed, {&x}});
    } else {
      it->allowed = it->allowed.intersect(x.allowed);
      it->matches.push_back(&x);
    }
  }
  return out;
}

bool covers(const RuleModel& earlier, const RuleModel& later) {
  if (earlier.opaque) return false;
  std::vector<MergedField> a = merge_fields(earlier), b = merge_fields(later);
  for (const MergedField& fa : a) {
    auto it = std::find_if(b.begin(), b.end(), [&](const MergedField& f) { return f.field == fa.field; });
    if (it == b.end() || !it->allowed.subset_of(fa.allowed)) return false;
  }
  for (const Match& x : earlier.matches) {
    if (x.exact) continue;
    bool same = std::any_of(later.matches.begin(), later.matches.end(),
                            [&](const Match& y) { return !y.exact && y.identity == x.identity; });
    if (!same) return false;
  }
  return true;
}

const MergedField* contradiction(const std::vector<MergedField>& fields) {
  for (const MergedField& f : fields)
    if (f.allowed.empty()) return &f;
  return nullptr;
}

}  // namespace nftc::lint
