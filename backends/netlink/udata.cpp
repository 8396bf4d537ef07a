// The userdata nft stores with a set (mnl_nft_set_add): the key and data
// byte order, the auto-merge flag, the typeof expressions, the data
// interval flag and the comment. nft reads it back when it lists the set:
// the byte order decides how elements print, the typeof expressions give
// `typeof` back instead of `type`.
//
// The typeof encoding follows nft 1.0.6, the version Debian 12 ships and
// the one that reads the ruleset back: later releases number expression
// kinds differently from fib on (they inserted the tunnel expression).
#include "backends/netlink/udata.hpp"

#include "backends/netlink/nftnl.hpp"
#include "compiler/sema/datatype.hpp"
#include "compiler/sema/proto.hpp"

namespace nftc::netlink {

namespace {

using sema::Expr;
using sema::Kind;

// nft 1.0.6's enum expr_types, for the kinds that have typeof userdata.
constexpr std::uint32_t kExprVerdict = 1;
constexpr std::uint32_t kExprPayload = 7;
constexpr std::uint32_t kExprExthdr = 8;
constexpr std::uint32_t kExprMeta = 9;
constexpr std::uint32_t kExprSocket = 10;
constexpr std::uint32_t kExprOsf = 11;
constexpr std::uint32_t kExprCt = 12;
constexpr std::uint32_t kExprConcat = 13;
constexpr std::uint32_t kExprNumgen = 23;
constexpr std::uint32_t kExprHash = 24;
constexpr std::uint32_t kExprRt = 25;
constexpr std::uint32_t kExprFib = 26;
constexpr std::uint32_t kExprXfrm = 27;

// The expression kind nft stores, or none for kinds without typeof
// userdata (constants: sets declared with `type`).
std::optional<std::uint32_t> typeof_kind(const Expr* e) {
  switch (e->kind) {
    case Kind::verdict: return kExprVerdict;
    case Kind::payload: return kExprPayload;
    case Kind::exthdr: return kExprExthdr;
    case Kind::meta: return kExprMeta;
    case Kind::socket: return kExprSocket;
    case Kind::osf: return kExprOsf;
    case Kind::ct: return kExprCt;
    case Kind::concat: return kExprConcat;
    case Kind::numgen: return kExprNumgen;
    case Kind::hash: return kExprHash;
    case Kind::rt: return kExprRt;
    case Kind::fib: return kExprFib;
    case Kind::xfrm: return kExprXfrm;
    default: return std::nullopt;
  }
}

void put_u32(nftnl_udata_buf* b, std::uint8_t type, std::uint32_t v) { nftnl_udata_put_u32(b, type, v); }

template <class Desc>
std::uint32_t template_index(const Desc* desc, const sema::HdrTemplate* tmpl) {
  if (desc == nullptr || tmpl == nullptr) return 0;
  return static_cast<std::uint32_t>(tmpl - &desc->templates[0]);
}

bool build(nftnl_udata_buf* b, const Expr* e);

// nft's concat_expr_build_udata: one nest per member, each with its kind
// and its own userdata. It gives up at the first member without userdata,
// leaving the nests it opened so far.
bool build_concat(nftnl_udata_buf* b, const Expr* e) {
  std::uint8_t i = 0;
  for (const Expr* item : e->items) {
    if (item->kind == Kind::binop) item = item->left;  // expr_build_udata_recurse
    auto kind = typeof_kind(item);
    if (!kind || i >= NFT_REG32_SIZE) return false;  // nft stops at four members
    nftnl_udata* nest = nftnl_udata_nest_start(b, i);  // NFTNL_UDATA_SET_KEY_CONCAT_NEST + i
    put_u32(b, 0, *kind);                               // NFTNL_UDATA_SET_KEY_CONCAT_SUB_TYPE
    nftnl_udata* data = nftnl_udata_nest_start(b, 1);  // NFTNL_UDATA_SET_KEY_CONCAT_SUB_DATA
    bool ok = build(b, item);
    if (!ok) return false;
    nftnl_udata_nest_end(b, data);
    nftnl_udata_nest_end(b, nest);
    ++i;
  }
  return true;
}

// Each kind's build_udata, with nft's attribute numbers.
bool build(nftnl_udata_buf* b, const Expr* e) {
  switch (e->kind) {
    case Kind::verdict:
    case Kind::osf: return true;
    case Kind::payload: {
      const sema::PayloadData& p = e->payload();
      std::uint32_t desc = p.desc != nullptr ? static_cast<std::uint32_t>(p.desc->id) : 0;
      put_u32(b, 0, desc);  // NFTNL_UDATA_SET_KEY_PAYLOAD_DESC
      put_u32(b, 1, desc != 0 ? template_index(p.desc, p.tmpl) : 0);  // _TYPE
      if (desc == 0) {
        put_u32(b, 2, static_cast<std::uint32_t>(p.base));  // _BASE
        put_u32(b, 3, p.offset);                             // _OFFSET
      }
      if (e->dtype != nullptr && e->dtype->type == sema::TYPE_INTEGER) put_u32(b, 4, e->len);  // _LEN
      return true;
    }
    case Kind::exthdr: {
      const sema::ExthdrData& x = e->exthdr();
      put_u32(b, 1, template_index(x.desc, x.tmpl));  // NFTNL_UDATA_EXTHDR_TYPE
      switch (x.op) {
        case NFT_EXTHDR_OP_IPV6:
          put_u32(b, 0, x.desc != nullptr ? static_cast<std::uint32_t>(x.desc->id) : 0);  // _DESC
          return true;
        case NFT_EXTHDR_OP_TCPOPT:
        case NFT_EXTHDR_OP_IPV4:
        case NFT_EXTHDR_OP_SCTP:
          put_u32(b, 2, x.op);        // _OP
          put_u32(b, 0, x.raw_type);  // _DESC
          return true;
        default: return false;
      }
    }
    case Kind::meta: put_u32(b, 0, e->meta().key); return true;
    case Kind::socket: put_u32(b, 0, e->as<sema::SocketData>().key); return true;
    case Kind::rt: put_u32(b, 0, e->as<sema::RtData>().key); return true;
    case Kind::ct: {
      put_u32(b, 0, e->ct().key);
      // nft stores the direction, an int8_t, as a u32: none is 0xffffffff.
      put_u32(b, 1, static_cast<std::uint32_t>(static_cast<std::int32_t>(e->ct().direction)));
      return true;
    }
    case Kind::numgen: {
      const auto& n = e->as<sema::NumgenData>();
      put_u32(b, 0, n.type);
      put_u32(b, 1, n.mod);
      put_u32(b, 2, n.offset);
      return true;
    }
    case Kind::hash: {
      const auto& h = e->as<sema::HashData>();
      put_u32(b, 0, h.type);
      put_u32(b, 1, h.offset);
      put_u32(b, 2, h.mod);
      put_u32(b, 3, h.seed);
      put_u32(b, 4, h.seed_set ? 1 : 0);
      return true;
    }
    case Kind::fib: {
      const auto& f = e->as<sema::FibData>();
      put_u32(b, 0, f.result);
      put_u32(b, 1, f.flags);
      return true;
    }
    case Kind::xfrm: {
      const auto& x = e->as<sema::XfrmData>();
      put_u32(b, 0, x.key);
      put_u32(b, 1, x.spnum);
      put_u32(b, 2, x.direction);
      return true;
    }
    case Kind::concat: return build_concat(b, e);
    default: return false;
  }
}

// nft's set_key_expression: the kind and its userdata, nested under `type`.
void typeof_expression(nftnl_udata_buf* b, const Expr* e, std::uint8_t type) {
  auto kind = typeof_kind(e);
  if (!kind) return;
  nftnl_udata* outer = nftnl_udata_nest_start(b, type);
  put_u32(b, NFTNL_UDATA_SET_TYPEOF_EXPR, *kind);
  nftnl_udata* data = nftnl_udata_nest_start(b, NFTNL_UDATA_SET_TYPEOF_DATA);
  build(b, e);  // a failure leaves the nest as far as it got, as in nft
  nftnl_udata_nest_end(b, data);
  nftnl_udata_nest_end(b, outer);
}

}  // namespace

std::vector<std::uint8_t> set_userdata(const sema::Set& set) {
  UdataPtr buf = checked(UdataPtr(nftnl_udata_buf_alloc(kUserdataMax)));
  nftnl_udata_buf* b = buf.get();
  const bool datamap = (set.flags & NFT_SET_MAP) != 0;
  if (set.key != nullptr) put_u32(b, NFTNL_UDATA_SET_KEYBYTEORDER, static_cast<std::uint32_t>(set.key->byteorder));
  if (datamap && set.data != nullptr)
    put_u32(b, NFTNL_UDATA_SET_DATABYTEORDER, static_cast<std::uint32_t>(set.data->byteorder));
  if (set.automerge) put_u32(b, NFTNL_UDATA_SET_MERGE_ELEMENTS, 1);
  if (set.key != nullptr) typeof_expression(b, set.key, NFTNL_UDATA_SET_KEY_TYPEOF);
  if (set.data != nullptr) {
    typeof_expression(b, set.data, NFTNL_UDATA_SET_DATA_TYPEOF);
    put_u32(b, NFTNL_UDATA_SET_DATA_INTERVAL, (set.data->flags & sema::kExprInterval) ? 1 : 0);
  }
  if (!set.comment.empty()) nftnl_udata_put_strz(b, NFTNL_UDATA_SET_COMMENT, set.comment.c_str());
  const auto* data = static_cast<const std::uint8_t*>(nftnl_udata_buf_data(b));
  return {data, data + nftnl_udata_buf_len(b)};
}

}  // namespace nftc::netlink
