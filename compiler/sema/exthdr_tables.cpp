// IPv6 extension headers, TCP, IPv4 and DCCP options and SCTP chunks as
// data (nft's exthdr.c, tcpopt.c, ipopt.c, dccpopt.c, sctp_chunk.c):
// fields at nft's template indices, offsets and lengths in bits from the
// start of the header, option or chunk. The comments name the C struct
// members nft takes them from.
#include "compiler/bytecode.hpp"  // first: orders the socket and netfilter headers
#include "compiler/sema/proto.hpp"

#include <initializer_list>

namespace nftc::sema {

namespace {

using Templates = std::array<HdrTemplate, 10>;

struct At {
  unsigned index;
  HdrTemplate tmpl;
};

constexpr Templates templates(std::initializer_list<At> fields) {
  Templates t{};
  for (const At& f : fields) t[f.index] = f.tmpl;
  return t;
}

constexpr HdrTemplate field(std::string_view token, const Datatype* dtype, unsigned offset, unsigned len) {
  return HdrTemplate{token, dtype, static_cast<std::uint16_t>(offset), static_cast<std::uint16_t>(len),
                     ByteOrder::big, 0, IcmpDep::any};
}
// An integer field: most option and chunk fields are.
constexpr HdrTemplate num(std::string_view token, unsigned offset, unsigned len) {
  return field(token, &integer_type, offset, len);
}

// ---------------------------------------------------------------------------
// IPv6 extension headers

// struct ip6_hbh
const ExthdrDesc exthdr_hbh{
    .name = "hbh",
    .id = ExthdrId::hbh,
    .type = IPPROTO_HOPOPTS,
    .templates = templates({
        {HBHHDR_NEXTHDR, field("nexthdr", &inet_protocol_type, 0, 8)},
        {HBHHDR_HDRLENGTH, num("hdrlength", 8, 8)},
    }),
};

// struct ip6_rthdr; the type-specific headers below share its first 32 bits.
const ExthdrDesc exthdr_rt{
    .name = "rt",
    .id = ExthdrId::rt,
    .type = IPPROTO_ROUTING,
    .templates = templates({
        {RTHDR_NEXTHDR, field("nexthdr", &inet_protocol_type, 0, 8)},
        {RTHDR_HDRLENGTH, num("hdrlength", 8, 8)},
        {RTHDR_TYPE, num("type", 16, 8)},
        {RTHDR_SEG_LEFT, num("seg-left", 24, 8)},
    }),
};

// struct ip6_rthdr0: ip6r0_reserved, ip6r0_addr[]; nft names two addresses.
const ExthdrDesc exthdr_rt0{
    .name = "rt0",
    .id = ExthdrId::rt0,
    .type = IPPROTO_ROUTING,
    .templates = templates({
        {RT0HDR_RESERVED, num("reserved", 32, 8)},
        {RT0HDR_ADDR_1, field("addr[1]", &ip6addr_type, 64, 128)},
        {RT0HDR_ADDR_1 + 1, field("addr[2]", &ip6addr_type, 192, 128)},
    }),
};

// nft's struct ip6_rt2_hdr: the routing header, reserved, one address.
const ExthdrDesc exthdr_rt2{
    .name = "rt2",
    .id = ExthdrId::rt2,
    .type = IPPROTO_ROUTING,
    .templates = templates({
        {RT2HDR_RESERVED, num("reserved", 32, 32)},
        {RT2HDR_ADDR, field("addr", &ip6addr_type, 64, 128)},
    }),
};

// struct ip6_rt4 (segment routing); nft names two segments.
const ExthdrDesc exthdr_rt4{
    .name = "srh",
    .id = ExthdrId::srh,
    .type = IPPROTO_ROUTING,
    .templates = templates({
        {RT4HDR_LASTENT, num("last-entry", 32, 8)},
        {RT4HDR_FLAGS, num("flags", 40, 8)},
        {RT4HDR_TAG, num("tag", 48, 16)},
        {RT4HDR_SID_1, field("sid[1]", &ip6addr_type, 64, 128)},
        {RT4HDR_SID_1 + 1, field("sid[2]", &ip6addr_type, 192, 128)},
    }),
};

// struct ip6_frag: ip6f_offlg holds the offset, two reserved bits and M.
const ExthdrDesc exthdr_frag{
    .name = "frag",
    .id = ExthdrId::frag,
    .type = IPPROTO_FRAGMENT,
    .templates = templates({
        {FRAGHDR_NEXTHDR, field("nexthdr", &inet_protocol_type, 0, 8)},
        {FRAGHDR_RESERVED, num("reserved", 8, 8)},
        {FRAGHDR_FRAG_OFF, num("frag-off", 16, 13)},
        {FRAGHDR_RESERVED2, num("reserved2", 29, 2)},
        {FRAGHDR_MFRAGS, num("more-fragments", 31, 1)},
        {FRAGHDR_ID, num("id", 32, 32)},
    }),
};

// struct ip6_dest
const ExthdrDesc exthdr_dst{
    .name = "dst",
    .id = ExthdrId::dst,
    .type = IPPROTO_DSTOPTS,
    .templates = templates({
        {DSTHDR_NEXTHDR, field("nexthdr", &inet_protocol_type, 0, 8)},
        {DSTHDR_HDRLENGTH, num("hdrlength", 8, 8)},
    }),
};

// struct ip6_mh
const ExthdrDesc exthdr_mh{
    .name = "mh",
    .id = ExthdrId::mh,
    .type = IPPROTO_MH,
    .templates = templates({
        {MHHDR_NEXTHDR, field("nexthdr", &inet_protocol_type, 0, 8)},
        {MHHDR_HDRLENGTH, num("hdrlength", 8, 8)},
        {MHHDR_TYPE, field("type", &mh_type_type, 16, 8)},
        {MHHDR_RESERVED, num("reserved", 24, 8)},
        {MHHDR_CHECKSUM, num("checksum", 32, 16)},
    }),
};

// nft's exthdr_definitions, indexed by ExthdrId.
constexpr const ExthdrDesc* kExthdrs[] = {nullptr,     &exthdr_hbh,  &exthdr_rt,  &exthdr_rt0, &exthdr_rt2,
                                          &exthdr_rt4, &exthdr_frag, &exthdr_dst, &exthdr_mh};

// ---------------------------------------------------------------------------
// TCP options: kind, length, then the option's fields.

const ExthdrDesc tcpopt_eol{.name = "eol", .type = TCPOPT_KIND_EOL,
                            .templates = templates({{TCPOPT_COMMON_KIND, num("kind", 0, 8)}})};
const ExthdrDesc tcpopt_nop{.name = "nop", .type = TCPOPT_KIND_NOP,
                            .templates = templates({{TCPOPT_COMMON_KIND, num("kind", 0, 8)}})};
const ExthdrDesc tcpopt_maxseg{.name = "maxseg", .type = TCPOPT_KIND_MAXSEG,
                               .templates = templates({
                                   {TCPOPT_MAXSEG_KIND, num("kind", 0, 8)},
                                   {TCPOPT_MAXSEG_LENGTH, num("length", 8, 8)},
                                   {TCPOPT_MAXSEG_SIZE, num("size", 16, 16)},
                               })};
const ExthdrDesc tcpopt_window{.name = "window", .type = TCPOPT_KIND_WINDOW,
                               .templates = templates({
                                   {TCPOPT_WINDOW_KIND, num("kind", 0, 8)},
                                   {TCPOPT_WINDOW_LENGTH, num("length", 8, 8)},
                                   {TCPOPT_WINDOW_COUNT, num("count", 16, 8)},
                               })};
const ExthdrDesc tcpopt_sack_permitted{.name = "sack-perm", .type = TCPOPT_KIND_SACK_PERMITTED,
                                       .templates = templates({
                                           {TCPOPT_COMMON_KIND, num("kind", 0, 8)},
                                           {TCPOPT_COMMON_LENGTH, num("length", 8, 8)},
                                       })};
// Up to four blocks; sack1-3 select the later ones (tcpopt_find).
const ExthdrDesc tcpopt_sack{.name = "sack", .type = TCPOPT_KIND_SACK,
                             .templates = templates({
                                 {TCPOPT_SACK_KIND, num("kind", 0, 8)},
                                 {TCPOPT_SACK_LENGTH, num("length", 8, 8)},
                                 {TCPOPT_SACK_LEFT, num("left", 16, 32)},
                                 {TCPOPT_SACK_RIGHT, num("right", 48, 32)},
                                 {TCPOPT_SACK_LEFT1, num("left", 80, 32)},
                                 {TCPOPT_SACK_RIGHT1, num("right", 112, 32)},
                                 {TCPOPT_SACK_LEFT2, num("left", 144, 32)},
                                 {TCPOPT_SACK_RIGHT2, num("right", 176, 32)},
                                 {TCPOPT_SACK_LEFT3, num("left", 208, 32)},
                                 {TCPOPT_SACK_RIGHT3, num("right", 240, 32)},
                             })};
const ExthdrDesc tcpopt_timestamp{.name = "timestamp", .type = TCPOPT_KIND_TIMESTAMP,
                                  .templates = templates({
                                      {TCPOPT_TS_KIND, num("kind", 0, 8)},
                                      {TCPOPT_TS_LENGTH, num("length", 8, 8)},
                                      {TCPOPT_TS_TSVAL, num("tsval", 16, 32)},
                                      {TCPOPT_TS_TSECR, num("tsecr", 48, 32)},
                                  })};
const ExthdrDesc tcpopt_md5sig{.name = "md5sig", .type = TCPOPT_KIND_MD5SIG,
                               .templates = templates({
                                   {TCPOPT_COMMON_KIND, num("kind", 0, 8)},
                                   {TCPOPT_COMMON_LENGTH, num("length", 8, 8)},
                               })};
// The MPTCP subtype is the high nibble of byte 2.
const ExthdrDesc tcpopt_mptcp{.name = "mptcp", .type = TCPOPT_KIND_MPTCP,
                              .templates = templates({
                                  {TCPOPT_MPTCP_KIND, num("kind", 0, 8)},
                                  {TCPOPT_MPTCP_LENGTH, num("length", 8, 8)},
                                  {TCPOPT_MPTCP_SUBTYPE, field("subtype", &mptcpopt_subtype, 16, 4)},
                              })};
const ExthdrDesc tcpopt_fastopen{.name = "fastopen", .type = TCPOPT_KIND_FASTOPEN,
                                 .templates = templates({
                                     {TCPOPT_COMMON_KIND, num("kind", 0, 8)},
                                     {TCPOPT_COMMON_LENGTH, num("length", 8, 8)},
                                 })};

// nft's tcpopt_protocols, indexed by kind.
constexpr std::array<const ExthdrDesc*, TCPOPT_KIND_FASTOPEN + 1> kTcpopts = [] {
  std::array<const ExthdrDesc*, TCPOPT_KIND_FASTOPEN + 1> a{};
  a[TCPOPT_KIND_EOL] = &tcpopt_eol;
  a[TCPOPT_KIND_NOP] = &tcpopt_nop;
  a[TCPOPT_KIND_MAXSEG] = &tcpopt_maxseg;
  a[TCPOPT_KIND_WINDOW] = &tcpopt_window;
  a[TCPOPT_KIND_SACK_PERMITTED] = &tcpopt_sack_permitted;
  a[TCPOPT_KIND_SACK] = &tcpopt_sack;
  a[TCPOPT_KIND_TIMESTAMP] = &tcpopt_timestamp;
  a[TCPOPT_KIND_MD5SIG] = &tcpopt_md5sig;
  a[TCPOPT_KIND_MPTCP] = &tcpopt_mptcp;
  a[TCPOPT_KIND_FASTOPEN] = &tcpopt_fastopen;
  return a;
}();

// The words of `tcp option NAME` (nft's scanner), with the kind its
// grammar makes of them.
struct TcpoptName {
  std::string_view name;
  unsigned kind;
};
constexpr TcpoptName kTcpoptNames[] = {
    {"eol", TCPOPT_KIND_EOL},
    {"nop", TCPOPT_KIND_NOP},
    {"maxseg", TCPOPT_KIND_MAXSEG},
    {"mss", TCPOPT_KIND_MAXSEG},
    {"window", TCPOPT_KIND_WINDOW},
    {"sack-perm", TCPOPT_KIND_SACK_PERMITTED},
    {"sack-permitted", TCPOPT_KIND_SACK_PERMITTED},
    {"sack", TCPOPT_KIND_SACK},
    {"sack0", TCPOPT_KIND_SACK},
    {"sack1", TCPOPT_KIND_SACK1},
    {"sack2", TCPOPT_KIND_SACK2},
    {"sack3", TCPOPT_KIND_SACK3},
    {"timestamp", TCPOPT_KIND_TIMESTAMP},
    {"echo", TCPOPT_KIND_ECHO},
    {"md5sig", TCPOPT_KIND_MD5SIG},
    {"mptcp", TCPOPT_KIND_MPTCP},
    {"fastopen", TCPOPT_KIND_FASTOPEN},
};

// ---------------------------------------------------------------------------
// IPv4 options: type, length, then pointer and addresses (source routes,
// record route) or a value (router alert).

constexpr std::uint8_t kIpoptRr = 7, kIpoptLsrr = 131, kIpoptSsrr = 137, kIpoptRa = 148;  // IPOPT_*

constexpr Templates kIpoptRouteTemplates = templates({
    {IPOPT_FIELD_TYPE, num("type", 0, 8)},
    {IPOPT_FIELD_LENGTH, num("length", 8, 8)},
    {IPOPT_FIELD_PTR, num("ptr", 16, 8)},
    {IPOPT_FIELD_ADDR_0, field("addr", &ipaddr_type, 24, 32)},
});

const ExthdrDesc ipopt_lsrr{.name = "lsrr", .type = kIpoptLsrr, .templates = kIpoptRouteTemplates};
const ExthdrDesc ipopt_rr{.name = "rr", .type = kIpoptRr, .templates = kIpoptRouteTemplates};
const ExthdrDesc ipopt_ssrr{.name = "ssrr", .type = kIpoptSsrr, .templates = kIpoptRouteTemplates};
const ExthdrDesc ipopt_ra{.name = "ra", .type = kIpoptRa,
                          .templates = templates({
                              {IPOPT_FIELD_TYPE, num("type", 0, 8)},
                              {IPOPT_FIELD_LENGTH, num("length", 8, 8)},
                              {IPOPT_FIELD_VALUE, num("value", 16, 16)},
                          })};

constexpr const ExthdrDesc* kIpopts[] = {&ipopt_lsrr, &ipopt_rr, &ipopt_ssrr, &ipopt_ra};

// ---------------------------------------------------------------------------
// SCTP chunks: type, flags, length, then the chunk's fields.

constexpr At kChunkType{SCTP_CHUNK_COMMON_TYPE, num("type", 0, 8)};
constexpr At kChunkFlags{SCTP_CHUNK_COMMON_FLAGS, num("flags", 8, 8)};
constexpr At kChunkLength{SCTP_CHUNK_COMMON_LENGTH, num("length", 16, 16)};
constexpr Templates kChunkCommon = templates({kChunkType, kChunkFlags, kChunkLength});

const ExthdrDesc sctp_chunk_data{.name = "data", .type = 0,
                                 .templates = templates({
                                     kChunkType, kChunkFlags, kChunkLength,
                                     {SCTP_CHUNK_DATA_TSN, num("tsn", 32, 32)},
                                     {SCTP_CHUNK_DATA_STREAM, num("stream", 64, 16)},
                                     {SCTP_CHUNK_DATA_SSN, num("ssn", 80, 16)},
                                     {SCTP_CHUNK_DATA_PPID, num("ppid", 96, 32)},
                                 })};
constexpr Templates kChunkInit = templates({
    kChunkType, kChunkFlags, kChunkLength,
    {SCTP_CHUNK_INIT_TAG, num("init-tag", 32, 32)},
    {SCTP_CHUNK_INIT_RWND, num("a-rwnd", 64, 32)},
    {SCTP_CHUNK_INIT_OSTREAMS, num("num-outbound-streams", 96, 16)},
    {SCTP_CHUNK_INIT_ISTREAMS, num("num-inbound-streams", 112, 16)},
    {SCTP_CHUNK_INIT_TSN, num("initial-tsn", 128, 32)},
});
const ExthdrDesc sctp_chunk_init{.name = "init", .type = 1, .templates = kChunkInit};
const ExthdrDesc sctp_chunk_init_ack{.name = "init-ack", .type = 2, .templates = kChunkInit};
const ExthdrDesc sctp_chunk_sack{.name = "sack", .type = 3,
                                 .templates = templates({
                                     kChunkType, kChunkFlags, kChunkLength,
                                     {SCTP_CHUNK_SACK_CTSN_ACK, num("cum-tsn-ack", 32, 32)},
                                     {SCTP_CHUNK_SACK_RWND, num("a-rwnd", 64, 32)},
                                     {SCTP_CHUNK_SACK_GACK_BLOCKS, num("num-gap-ack-blocks", 96, 16)},
                                     {SCTP_CHUNK_SACK_DUP_TSNS, num("num-dup-tsns", 112, 16)},
                                 })};
const ExthdrDesc sctp_chunk_heartbeat{.name = "heartbeat", .type = 4, .templates = kChunkCommon};
const ExthdrDesc sctp_chunk_heartbeat_ack{.name = "heartbeat-ack", .type = 5, .templates = kChunkCommon};
const ExthdrDesc sctp_chunk_abort{.name = "abort", .type = 6, .templates = kChunkCommon};
const ExthdrDesc sctp_chunk_shutdown{.name = "shutdown", .type = 7,
                                     .templates = templates({
                                         kChunkType, kChunkFlags, kChunkLength,
                                         {SCTP_CHUNK_SHUTDOWN_CTSN_ACK, num("cum-tsn-ack", 32, 32)},
                                     })};
const ExthdrDesc sctp_chunk_shutdown_ack{.name = "shutdown-ack", .type = 8, .templates = kChunkCommon};
const ExthdrDesc sctp_chunk_error{.name = "error", .type = 9, .templates = kChunkCommon};
const ExthdrDesc sctp_chunk_cookie_echo{.name = "cookie-echo", .type = 10, .templates = kChunkCommon};
const ExthdrDesc sctp_chunk_cookie_ack{.name = "cookie-ack", .type = 11, .templates = kChunkCommon};
constexpr Templates kChunkLowestTsn = templates({
    kChunkType, kChunkFlags, kChunkLength,
    {SCTP_CHUNK_ECNE_CWR_MIN_TSN, num("lowest-tsn", 32, 32)},
});
const ExthdrDesc sctp_chunk_ecne{.name = "ecne", .type = 12, .templates = kChunkLowestTsn};
const ExthdrDesc sctp_chunk_cwr{.name = "cwr", .type = 13, .templates = kChunkLowestTsn};
const ExthdrDesc sctp_chunk_shutdown_complete{.name = "shutdown-complete", .type = 14, .templates = kChunkCommon};
constexpr Templates kChunkSeqno = templates({
    kChunkType, kChunkFlags, kChunkLength,
    {SCTP_CHUNK_ASCONF_SEQNO, num("seqno", 32, 32)},
});
const ExthdrDesc sctp_chunk_asconf_ack{.name = "asconf-ack", .type = 128, .templates = kChunkSeqno};
const ExthdrDesc sctp_chunk_forward_tsn{.name = "forward-tsn", .type = 192,
                                        .templates = templates({
                                            kChunkType, kChunkFlags, kChunkLength,
                                            {SCTP_CHUNK_FORWARD_TSN_NCTSN, num("new-cum-tsn", 32, 32)},
                                        })};
const ExthdrDesc sctp_chunk_asconf{.name = "asconf", .type = 193, .templates = kChunkSeqno};

// In nft's table order (by type), which sctp_chunk_by_name searches.
constexpr const ExthdrDesc* kSctpChunks[] = {
    &sctp_chunk_data,          &sctp_chunk_init,         &sctp_chunk_init_ack,    &sctp_chunk_sack,
    &sctp_chunk_heartbeat,     &sctp_chunk_heartbeat_ack, &sctp_chunk_abort,      &sctp_chunk_shutdown,
    &sctp_chunk_shutdown_ack,  &sctp_chunk_error,        &sctp_chunk_cookie_echo, &sctp_chunk_cookie_ack,
    &sctp_chunk_ecne,          &sctp_chunk_cwr,          &sctp_chunk_shutdown_complete,
    &sctp_chunk_asconf_ack,    &sctp_chunk_forward_tsn,  &sctp_chunk_asconf,
};

// ---------------------------------------------------------------------------
// DCCP options: only their presence is matched (`dccp option N`); ranges of
// reserved and CCID-specific types share a description.

constexpr Templates kDccpoptType = templates({{DCCPOPT_FIELD_TYPE, num("type", 0, 8)}});

constexpr ExthdrDesc dccpopt(std::string_view name, std::uint8_t type) {
  return ExthdrDesc{.name = name, .type = type, .templates = kDccpoptType};
}

const ExthdrDesc kDccpopts[] = {
    dccpopt("padding", 0),
    dccpopt("mandatory", 1),
    dccpopt("slow_receiver", 2),
    dccpopt("reserved_short", 3),  // 3-31
    dccpopt("change_l", 32),
    dccpopt("confirm_l", 33),
    dccpopt("change_r", 34),
    dccpopt("confirm_r", 35),
    dccpopt("init_cookie", 36),
    dccpopt("ndp_count", 37),
    dccpopt("ack_vector_nonce_0", 38),
    dccpopt("ack_vector_nonce_1", 39),
    dccpopt("data_dropped", 40),
    dccpopt("timestamp", 41),
    dccpopt("timestamp_echo", 42),
    dccpopt("elapsed_time", 43),
    dccpopt("data_checksum", 44),
    dccpopt("reserved_long", 45),   // 45-127
    dccpopt("ccid_specific", 128),  // 128-255
};

}  // namespace

const HdrTemplate exthdr_unknown_template{"unknown", &invalid_type, 0, 0, ByteOrder::invalid, 0, IcmpDep::any};

// An option nft has no description of: kind and length only. nft gives it
// no name.
const ExthdrDesc tcpopt_fallback{.templates = templates({
                                     {TCPOPT_COMMON_KIND, num("kind", 0, 8)},
                                     {TCPOPT_COMMON_LENGTH, num("length", 8, 8)},
                                 })};

const ExthdrDesc* exthdr_by_name(std::string_view name) {
  for (const ExthdrDesc* d : kExthdrs)
    if (d != nullptr && d->name == name) return d;
  return nullptr;
}

const ExthdrDesc* exthdr_find_desc(ExthdrId id) {
  auto i = static_cast<std::size_t>(id);
  return i < std::size(kExthdrs) ? kExthdrs[i] : nullptr;
}

const ExthdrDesc* exthdr_find_proto(std::uint8_t nexthdr) {
  switch (nexthdr) {
    case IPPROTO_HOPOPTS: return &exthdr_hbh;
    case IPPROTO_ROUTING: return &exthdr_rt;
    case IPPROTO_FRAGMENT: return &exthdr_frag;
    case IPPROTO_DSTOPTS: return &exthdr_dst;
    case IPPROTO_MH: return &exthdr_mh;
    default: return nullptr;
  }
}

std::optional<unsigned> tcpopt_kind_by_name(std::string_view name) {
  for (const TcpoptName& n : kTcpoptNames)
    if (n.name == name) return n.kind;
  return std::nullopt;
}

const ExthdrDesc* tcpopt_by_name(std::string_view name) {
  auto kind = tcpopt_kind_by_name(name);
  if (!kind) return nullptr;
  return tcpopt_by_kind(static_cast<std::uint8_t>(*kind >= TCPOPT_KIND_SACK1 ? TCPOPT_KIND_SACK : *kind));
}

const ExthdrDesc* tcpopt_by_kind(std::uint8_t kind) { return kind < kTcpopts.size() ? kTcpopts[kind] : nullptr; }

std::optional<TcpoptField> tcpopt_find(unsigned kind, unsigned field) {
  // sack1-3 name the later blocks of the one SACK option.
  if (kind >= TCPOPT_KIND_SACK1 && kind <= TCPOPT_KIND_SACK3) {
    unsigned block = kind - TCPOPT_KIND_SACK1 + 1;
    if (field == TCPOPT_SACK_LEFT || field == TCPOPT_SACK_RIGHT) field += 2 * block;
    kind = TCPOPT_KIND_SACK;
  }
  if (kind > 255) return std::nullopt;
  const ExthdrDesc* desc = tcpopt_by_kind(static_cast<std::uint8_t>(kind));
  if (desc == nullptr) {
    // Unknown kinds: kind and length only, as 8-bit integers.
    const HdrTemplate* tmpl = field <= TCPOPT_COMMON_LENGTH ? &tcpopt_fallback.templates[field]
                                                             : &exthdr_unknown_template;
    return TcpoptField{&tcpopt_fallback, tmpl, field, static_cast<std::uint8_t>(kind)};
  }
  if (field >= desc->templates.size() || desc->templates[field].dtype == nullptr) return std::nullopt;
  return TcpoptField{desc, &desc->templates[field], field, desc->type};
}

const ExthdrDesc* ipopt_by_name(std::string_view name) {
  for (const ExthdrDesc* d : kIpopts)
    if (d->name == name) return d;
  return nullptr;
}

const ExthdrDesc* ipopt_by_type(std::uint8_t type) {
  for (const ExthdrDesc* d : kIpopts)
    if (d->type == type) return d;
  return nullptr;
}

const ExthdrDesc* sctp_chunk_by_name(std::string_view name) {
  for (const ExthdrDesc* d : kSctpChunks)
    if (d->name == name) return d;
  return nullptr;
}

const ExthdrDesc* sctp_chunk_by_type(std::uint8_t type) {
  for (const ExthdrDesc* d : kSctpChunks)
    if (d->type == type) return d;
  return nullptr;
}

const ExthdrDesc* dccpopt_find_desc(std::uint8_t type) {
  std::uint8_t key = type;
  if (type >= 3 && type <= 31) key = 3;
  else if (type >= 45 && type <= 127) key = 45;
  else if (type >= 128) key = 128;
  for (const ExthdrDesc& d : kDccpopts)
    if (d.type == key) return &d;
  return nullptr;  // unreachable: every type falls in a range
}

int exthdr_field_index(const ExthdrDesc* desc, std::string_view token) {
  for (std::size_t i = 0; i < desc->templates.size(); ++i) {
    const HdrTemplate& t = desc->templates[i];
    if (!t.token.empty() && t.token == token) return static_cast<int>(i);
  }
  return -1;
}

const HdrTemplate* exthdr_template_at(const ExthdrDesc* desc, unsigned offset, unsigned len) {
  for (const HdrTemplate& t : desc->templates)
    if (t.dtype != nullptr && t.offset == offset && t.len == len) return &t;
  return nullptr;
}

}  // namespace nftc::sema
