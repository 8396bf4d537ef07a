#include "compiler/ast.hpp"

namespace nftc::ast {

std::string_view family_name(Family f) {
  switch (f) {
    case Family::ip: return "ip";
    case Family::ip6: return "ip6";
    case Family::inet: return "inet";
    case Family::arp: return "arp";
    case Family::bridge: return "bridge";
    case Family::netdev: return "netdev";
  }
  return "ip";
}

std::optional<Family> family_from_name(std::string_view name) {
  if (name == "ip") return Family::ip;
  if (name == "ip6") return Family::ip6;
  if (name == "inet") return Family::inet;
  if (name == "arp") return Family::arp;
  if (name == "bridge") return Family::bridge;
  if (name == "netdev") return Family::netdev;
  return std::nullopt;
}

std::string_view binop_text(BinOp op) {
  switch (op) {
    case BinOp::band: return "&";
    case BinOp::bor: return "|";
    case BinOp::bxor: return "^";
    case BinOp::lshift: return "<<";
    case BinOp::rshift: return ">>";
  }
  return "&";
}

std::string_view relop_text(RelOp op) {
  switch (op) {
    case RelOp::implicit: return "";
    case RelOp::eq: return "==";
    case RelOp::neq: return "!=";
    case RelOp::lt: return "<";
    case RelOp::gt: return ">";
    case RelOp::lte: return "<=";
    case RelOp::gte: return ">=";
    case RelOp::negate: return "!";
  }
  return "";
}

std::string_view verdict_text(VerdictKind v) {
  switch (v) {
    case VerdictKind::accept: return "accept";
    case VerdictKind::drop: return "drop";
    case VerdictKind::continue_: return "continue";
    case VerdictKind::jump: return "jump";
    case VerdictKind::goto_: return "goto";
    case VerdictKind::return_: return "return";
    case VerdictKind::queue: return "queue";
  }
  return "accept";
}

std::string_view obj_kind_name(ObjKind k) {
  switch (k) {
    case ObjKind::counter: return "counter";
    case ObjKind::quota: return "quota";
    case ObjKind::limit: return "limit";
    case ObjKind::ct_helper: return "ct helper";
    case ObjKind::ct_timeout: return "ct timeout";
    case ObjKind::ct_expect: return "ct expectation";
    case ObjKind::secmark: return "secmark";
    case ObjKind::synproxy: return "synproxy";
    case ObjKind::tunnel: return "tunnel";
  }
  return "counter";
}

std::string_view cmd_op_name(CmdOp op) {
  switch (op) {
    case CmdOp::add: return "add";
    case CmdOp::create: return "create";
    case CmdOp::insert: return "insert";
    case CmdOp::replace: return "replace";
    case CmdOp::del: return "delete";
    case CmdOp::destroy: return "destroy";
    case CmdOp::get: return "get";
    case CmdOp::list: return "list";
    case CmdOp::reset: return "reset";
    case CmdOp::flush: return "flush";
    case CmdOp::rename: return "rename";
    case CmdOp::describe: return "describe";
    case CmdOp::import: return "import";
    case CmdOp::export_: return "export";
    case CmdOp::monitor: return "monitor";
  }
  return "add";
}

}  // namespace nftc::ast
