#include "compiler/sema/ir.hpp"

namespace nftc::sema {

std::string_view kind_name(Kind k) {
  switch (k) {
    case Kind::invalid: return "invalid";
    case Kind::verdict: return "verdict";
    case Kind::symbol: return "symbol";
    case Kind::variable: return "variable";
    case Kind::value: return "value";
    case Kind::prefix: return "prefix";
    case Kind::range: return "range";
    case Kind::payload: return "payload";
    case Kind::exthdr: return "exthdr";
    case Kind::meta: return "meta";
    case Kind::socket: return "socket";
    case Kind::osf: return "osf";
    case Kind::ct: return "ct";
    case Kind::concat: return "concat";
    case Kind::list: return "list";
    case Kind::set: return "set";
    case Kind::set_ref: return "set reference";
    case Kind::set_elem: return "set element";
    case Kind::mapping: return "mapping";
    case Kind::map: return "map";
    case Kind::unary: return "unary";
    case Kind::binop: return "binop";
    case Kind::relational: return "relational";
    case Kind::numgen: return "numgen";
    case Kind::hash: return "hash";
    case Kind::rt: return "rt";
    case Kind::tunnel: return "tunnel";
    case Kind::fib: return "fib";
    case Kind::xfrm: return "xfrm";
    case Kind::set_elem_catchall: return "catch-all set element";
    case Kind::range_value: return "range";
    case Kind::range_symbol: return "range";
  }
  return "invalid";
}

std::string_view op_symbol(Op op) {
  switch (op) {
    case Op::invalid: return "";
    case Op::implicit: return "";
    case Op::hton: return "hton";
    case Op::ntoh: return "ntoh";
    case Op::lshift: return "<<";
    case Op::rshift: return ">>";
    case Op::band: return "&";
    case Op::bxor: return "^";
    case Op::bor: return "|";
    case Op::eq: return "==";
    case Op::neq: return "!=";
    case Op::lt: return "<";
    case Op::gt: return ">";
    case Op::lte: return "<=";
    case Op::gte: return ">=";
    case Op::neg: return "!";
  }
  return "";
}

std::string_view stmt_type_name(StmtType t) {
  switch (t) {
    case StmtType::invalid: return "invalid";
    case StmtType::expression: return "expression";
    case StmtType::verdict: return "verdict";
    case StmtType::meter: return "meter";
    case StmtType::counter: return "counter";
    case StmtType::payload: return "payload";
    case StmtType::meta: return "meta";
    case StmtType::limit: return "limit";
    case StmtType::log: return "log";
    case StmtType::reject: return "reject";
    case StmtType::nat: return "nat";
    case StmtType::tproxy: return "tproxy";
    case StmtType::queue: return "queue";
    case StmtType::ct: return "ct";
    case StmtType::set: return "set";
    case StmtType::dup: return "dup";
    case StmtType::fwd: return "fwd";
    case StmtType::xt: return "xt";
    case StmtType::quota: return "quota";
    case StmtType::notrack: return "notrack";
    case StmtType::objref: return "objref";
    case StmtType::exthdr: return "exthdr";
    case StmtType::flow_offload: return "flow_offload";
    case StmtType::connlimit: return "connlimit";
    case StmtType::map: return "map";
    case StmtType::synproxy: return "synproxy";
    case StmtType::chain: return "chain";
    case StmtType::optstrip: return "optstrip";
    case StmtType::last: return "last";
  }
  return "invalid";
}

Expr* IrArena::clone(const Expr* e) {
  if (e == nullptr) return nullptr;
  Expr* c = expr(e->kind);
  *c = *e;
  c->left = clone(e->left);
  c->right = clone(e->right);
  for (auto& i : c->items) i = clone(i);
  if (auto* v = std::get_if<VerdictData>(&c->data)) v->chain = clone(v->chain);
  return c;
}

}  // namespace nftc::sema
