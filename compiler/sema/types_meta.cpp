// The datatypes of meta, rt, fib and socket keys (nft's meta.c, rt.c,
// fib.c, datatype.c's cgroupv2): interfaces, users, groups, classids,
// realms, packet types, dates and times.
//
// Where nft consults the machine (interface indexes, /etc/passwd,
// /etc/group, /etc/iproute2), nftc uses fixed tables so that a ruleset means
// the same everywhere: see each parser for what it accepts.
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netpacket/packet.h>
#include <sys/stat.h>
#include <grp.h>
#include <pwd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fmt/format.h>

#include "compiler/sema/types_impl.hpp"

namespace nftc::sema {

namespace {

using detail::c_str;
using detail::sym_text;

// ---------------------------------------------------------------------------
// Interfaces

// The loopback device is interface 1 in every network namespace
// (LOOPBACK_IFINDEX); other names are resolved on the machine nftc runs on,
// as nft resolves them, so the index is this machine's.
constexpr std::string_view kLoopbackName = "lo";
constexpr int kLoopbackIndex = 1;

bool ifindex_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  const std::string& s = sym_text(sym);
  int ifindex = s == kLoopbackName ? kLoopbackIndex : static_cast<int>(if_nametoindex(s.c_str()));
  if (ifindex == 0) {
    char* end = nullptr;
    errno = 0;
    long n = std::strtol(s.c_str(), &end, 10);
    if (n < 0 || n > INT_MAX || *end != '\0' || errno != 0 || s.empty())
      return ctx.error_with_help(sym.span, fmt::format("Interface does not exist: '{}'", s),
                                 "iif/oif resolve the name to an index here and now; match the name with "
                                 "iifname/oifname to work with interfaces that come and go");
    ifindex = static_cast<int>(n);
  }
  out = ctx.constant(sym.span, sym.dtype, ByteOrder::host, 32, Value(static_cast<std::uint32_t>(ifindex)));
  return true;
}

void ifindex_type_print(const Expr& e, std::string& out, const PrintOptions&) {
  int ifindex = static_cast<int>(e.value.u32());
  if (ifindex == kLoopbackIndex) out += fmt::format("\"{}\"", kLoopbackName);
  else out += std::to_string(ifindex);
}

constexpr SymbolicConstant kArphrdSymbols[] = {
    {"ether", ARPHRD_ETHER}, {"ppp", ARPHRD_PPP},
    // dummy types
    {"ipip", ARPHRD_TUNNEL}, {"ipip6", ARPHRD_TUNNEL6}, {"loopback", ARPHRD_LOOPBACK}, {"sit", ARPHRD_SIT},
    {"ipgre", ARPHRD_IPGRE},
};
constexpr SymbolTable kArphrdTable{SymbolTable::hexadecimal, kArphrdSymbols};

constexpr SymbolicConstant kPkttypeSymbols[] = {
    {"host", PACKET_HOST},
    {"unicast", PACKET_HOST},  // backwards compatibility
    {"broadcast", PACKET_BROADCAST},
    {"multicast", PACKET_MULTICAST},
    {"other", PACKET_OTHERHOST},
};
constexpr SymbolTable kPkttypeTable{SymbolTable::decimal, kPkttypeSymbols};

void pkttype_type_print(const Expr& e, std::string& out, const PrintOptions& opts) {
  symbolic_constant_print(&kPkttypeTable, e, false, out, opts);
}

// nft reads /etc/iproute2/group; nftc knows iproute2's shipped default.
constexpr SymbolicConstant kDevgroupSymbols[] = {{"default", 0}};
constexpr SymbolTable kDevgroupTable{SymbolTable::decimal, kDevgroupSymbols};

bool devgroup_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  return symbolic_constant_parse(ctx, sym, kDevgroupTable, out);
}
void devgroup_type_print(const Expr& e, std::string& out, const PrintOptions& opts) {
  symbolic_constant_print(&kDevgroupTable, e, true, out, opts);
}

// nft reads /etc/iproute2/rt_realms; nftc knows iproute2's shipped default.
constexpr SymbolicConstant kRealmSymbols[] = {{"cosmos", 0}};
constexpr SymbolTable kRealmTable{SymbolTable::decimal, kRealmSymbols};

bool realm_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  return symbolic_constant_parse(ctx, sym, kRealmTable, out);
}
void realm_type_print(const Expr& e, std::string& out, const PrintOptions& opts) {
  symbolic_constant_print(&kRealmTable, e, true, out, opts);
}

// ---------------------------------------------------------------------------
// TC classids: "major:minor" in hex, root, none, or a number.

bool tchandle_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  const std::string& s = sym_text(sym);
  std::uint32_t handle;
  if (s == "root") {
    handle = TC_H_ROOT;
  } else if (s == "none") {
    handle = TC_H_UNSPEC;
  } else if (s.find(':') != std::string::npos) {
    auto bad = [&] {
      return ctx.error(sym.span, fmt::format("'{}' is not a TC classid: use MAJOR:MINOR in hex, root or none", s));
    };
    char* colon = nullptr;
    errno = 0;
    auto major = static_cast<std::uint32_t>(std::strtoul(s.c_str(), &colon, 16));
    if (errno != 0 || colon == s.c_str() || *colon != ':') return bad();
    char* end = nullptr;
    errno = 0;
    auto minor = static_cast<std::uint32_t>(std::strtoul(colon + 1, &end, 16));
    if (errno != 0 || *end != '\0') return bad();
    handle = (major << 16) | minor;
  } else {
    // nft takes whatever strtoull makes of it, garbage included.
    handle = static_cast<std::uint32_t>(std::strtoull(s.c_str(), nullptr, 0));
  }
  out = ctx.constant(sym.span, sym.dtype, ByteOrder::host, 32, Value(handle));
  return true;
}

void tchandle_type_print(const Expr& e, std::string& out, const PrintOptions&) {
  std::uint32_t handle = e.value.u32();
  if (handle == TC_H_ROOT) out += "root";
  else if (handle == TC_H_UNSPEC) out += "none";
  else out += fmt::format("{:x}:{:x}", TC_H_MAJ(handle) >> 16, TC_H_MIN(handle));
}

// ---------------------------------------------------------------------------
// Users and groups. Like nft, names are looked up in the user database of
// the machine nftc runs on (so compile where the ruleset will run, or write
// numbers); a name that is not there is an error.

bool id_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out, int base, std::string_view what,
                   std::string_view numeric) {
  const std::string& s = sym_text(sym);
  std::uint32_t id;
  bool found = false;
  if (what == "user") {
    if (const passwd* pw = getpwnam(s.c_str())) id = pw->pw_uid, found = true;
  } else if (const group* gr = getgrnam(s.c_str())) {
    id = gr->gr_gid, found = true;
  }
  if (!found) {
    char* end = nullptr;
    unsigned long long n = std::strtoull(s.c_str(), &end, base);
    if (n > UINT32_MAX) return ctx.error(sym.span, fmt::format("{} {} is too large", what, s));
    if (*end != '\0' || end == s.c_str())
      return ctx.error_with_help(sym.span, fmt::format("unknown {} '{}'", what, s),
                                 fmt::format("names are looked up on the machine nftc runs on, as nft does; write "
                                             "the numeric {} to compile for another machine",
                                             numeric));
    id = static_cast<std::uint32_t>(n);
  }
  out = ctx.constant(sym.span, sym.dtype, ByteOrder::host, 32, Value(id));
  return true;
}

bool uid_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  return id_type_parse(ctx, sym, out, 10, "user", "uid");
}
bool gid_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  return id_type_parse(ctx, sym, out, 0, "group", "gid");
}

// nft prints names only with -u (--guid), from the machine's database; nftc
// always prints the number.
void id_type_print(const Expr& e, std::string& out, const PrintOptions& opts) { detail::basetype_print(e, out, opts); }

// ---------------------------------------------------------------------------
// Time of packet reception: meta time (a date, in ns since the epoch), meta
// hour (seconds since midnight UTC), meta day (weekday). nft interprets and
// prints dates and hours in the local time zone (TZ), and so does nftc.

constexpr std::int64_t kSecondsPerDay = 86400;

// "YYYY-MM-DD[ HH:MM[:SS]]" in local time → seconds since the epoch.
bool parse_iso_date(const char* text, std::uint64_t& tstamp) {
  std::tm tm{};
  // As nft: the first format that matches a prefix wins (trailing text is
  // not checked), and each attempt writes into the same tm.
  if (strptime(text, "%Y-%m-%d %T", &tm) == nullptr && strptime(text, "%Y-%m-%d %R", &tm) == nullptr &&
      strptime(text, "%Y-%m-%d", &tm) == nullptr)
    return false;
  std::time_t ts = timegm(&tm);
  if (ts == static_cast<std::time_t>(-1)) return false;
  std::tm cur{};
  if (localtime_r(&ts, &cur) == nullptr) return false;
  tstamp = static_cast<std::uint64_t>(ts - cur.tm_gmtoff);
  return true;
}

bool date_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  const char* text = c_str(sym);
  std::uint64_t tstamp;
  if (!parse_iso_date(text, tstamp)) {
    char* end = nullptr;
    tstamp = std::strtoul(text, &end, 10);
    if (*end != '\0' || end == text)
      return ctx.error(sym.span,
                       fmt::format("'{}' is not a date: use \"YYYY-MM-DD [HH:MM[:SS]]\" or seconds since the epoch",
                                   sym_text(sym)));
  }
  out = ctx.constant(sym.span, sym.dtype, ByteOrder::host, 64, Value(tstamp * 1000000000ull));
  return true;
}

void date_type_print(const Expr& e, std::string& out, const PrintOptions&) {
  std::uint64_t secs = e.value.u64() / 1000000000ull;
  auto ts = static_cast<std::time_t>(secs);
  std::tm tm{};
  if (localtime_r(&ts, &tm) != nullptr) secs += static_cast<std::uint64_t>(tm.tm_gmtoff);
  ts = static_cast<std::time_t>(secs);
  char buf[21];
  if (gmtime_r(&ts, &tm) != nullptr && std::strftime(buf, sizeof(buf) - 1, "%Y-%m-%d %T", &tm) != 0)
    out += fmt::format("\"{}\"", buf);
  else
    out += "Error converting timestamp to printed time";
}

bool hour_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  const char* text = c_str(sym);
  char* end = nullptr;
  // A plain number is seconds since midnight UTC, not adjusted.
  auto result = static_cast<std::uint32_t>(std::strtoul(text, &end, 10));
  if (*end == '\0' && end != text) {
    out = ctx.constant(sym.span, sym.dtype, ByteOrder::host, 32, Value(result));
    return true;
  }
  result = 0;
  // nft subtracts the UTC offset in effect now (not on the day matched).
  std::time_t now = std::time(nullptr);
  std::tm cur{};
  bool have_cur = now != static_cast<std::time_t>(-1) && localtime_r(&now, &cur) != nullptr;

  std::tm tm{};
  const char* rest = strptime(text, "%T", &tm);
  if (rest == nullptr || *rest != '\0') {
    rest = strptime(text, "%R", &tm);
    if (rest == nullptr || *rest != '\0') {
      if (rest != nullptr)
        return ctx.error(sym.span, fmt::format("'{}' is not a time of day: trailing '{}'", sym_text(sym), rest));
      std::uint64_t ms;
      std::string err;
      if (!time_parse(sym_text(sym), ms, err))
        return ctx.error(sym.span, fmt::format("'{}' is not a time of day: use \"HH:MM[:SS]\"", sym_text(sym)));
      result = static_cast<std::uint32_t>(ms / 1000);
    }
  }
  if (result == 0) result = static_cast<std::uint32_t>(tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec);
  if (have_cur) {
    long off = cur.tm_gmtoff;
    if (static_cast<long>(result) >= off) result = static_cast<std::uint32_t>((result - off) % kSecondsPerDay);
    else result = static_cast<std::uint32_t>(kSecondsPerDay - off + result);
  }
  out = ctx.constant(sym.span, sym.dtype, ByteOrder::host, 32, Value(result));
  return true;
}

void hour_type_print(const Expr& e, std::string& out, const PrintOptions&) {
  std::uint32_t seconds = e.value.u32();
  std::time_t now = std::time(nullptr);
  std::tm cur{};
  if (now != static_cast<std::time_t>(-1) && localtime_r(&now, &cur) != nullptr) {
    auto adj = static_cast<std::int32_t>(seconds + cur.tm_gmtoff);
    if (adj < 0) adj += kSecondsPerDay;
    else if (adj >= kSecondsPerDay) adj -= kSecondsPerDay;
    seconds = static_cast<std::uint32_t>(adj);
  }
  std::uint32_t minutes = seconds / 60, hours = minutes / 60;
  seconds %= 60;
  minutes %= 60;
  out += fmt::format("\"{:02}:{:02}", hours, minutes);
  if (seconds != 0) out += fmt::format(":{:02}", seconds);
  out += '"';
}

constexpr SymbolicConstant kDaySymbols[] = {
    {"Sunday", 0},   {"Monday", 1}, {"Tuesday", 2}, {"Wednesday", 3},
    {"Thursday", 4}, {"Friday", 5}, {"Saturday", 6},
};
constexpr SymbolTable kDayTable{SymbolTable::decimal, kDaySymbols};

void day_type_print(const Expr& e, std::string& out, const PrintOptions& opts) {
  symbolic_constant_print(&kDayTable, e, true, out, opts);
}

// ---------------------------------------------------------------------------
// cgroup v2: a path under /sys/fs/cgroup, matched by the inode number of its
// directory.

constexpr std::string_view kCgroupRoot = "/sys/fs/cgroup";

bool cgroupv2_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  const std::string& s = sym_text(sym);
  std::string path = fmt::format("{}/{}", kCgroupRoot, s);
  struct stat st {};
  std::uint64_t ino;
  if (stat(path.c_str(), &st) == 0) {
    // As nft: the path as it is on the machine nftc runs on.
    ino = st.st_ino;
  } else {
    // nftc also takes the inode number itself, which does not depend on
    // the machine compiling the ruleset.
    char* end = nullptr;
    errno = 0;
    ino = std::strtoull(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || errno != 0 || s[0] == '-')
      return ctx.error_with_help(sym.span, fmt::format("cgroupv2 path '{}' does not exist on this machine", path),
                                 "a cgroup is matched by the inode number of its directory; write that number, or "
                                 "compile where the cgroup exists");
  }
  out = ctx.constant(sym.span, &cgroupv2_type, ByteOrder::host, 64, Value(ino));
  return true;
}

void cgroupv2_type_print(const Expr& e, std::string& out, const PrintOptions&) {
  std::uint64_t id = e.value.u64();
  // As nft: the path of the cgroup with that inode, if this machine has one.
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(kCgroupRoot, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    struct stat st {};
    if (lstat(it->path().c_str(), &st) == 0 && st.st_ino == id) {
      out += fmt::format("\"{}\"", it->path().lexically_relative(kCgroupRoot).string());
      return;
    }
  }
  out += std::to_string(id);
}

// ---------------------------------------------------------------------------
// fib address types (RTN_*).

constexpr SymbolicConstant kFibAddrSymbols[] = {
    {"unspec", RTN_UNSPEC},       {"unicast", RTN_UNICAST},         {"local", RTN_LOCAL},
    {"broadcast", RTN_BROADCAST}, {"anycast", RTN_ANYCAST},         {"multicast", RTN_MULTICAST},
    {"blackhole", RTN_BLACKHOLE}, {"unreachable", RTN_UNREACHABLE}, {"prohibit", RTN_PROHIBIT},
};
constexpr SymbolTable kFibAddrTable{SymbolTable::decimal, kFibAddrSymbols};

}  // namespace

const Datatype ifindex_type{.type = TYPE_IFINDEX, .byteorder = ByteOrder::host, .size = 32, .name = "iface_index",
                            .desc = "network interface index", .basetype = &integer_type,
                            .parse = ifindex_type_parse, .print = ifindex_type_print};
const Datatype ifname_type{.type = TYPE_IFNAME, .byteorder = ByteOrder::host, .size = IFNAMSIZ * 8,
                           .name = "ifname", .desc = "network interface name", .basetype = &string_type};
const Datatype arphrd_type{.type = TYPE_ARPHRD, .byteorder = ByteOrder::host, .size = 16, .name = "iface_type",
                           .desc = "network interface type", .basetype = &integer_type, .sym_tbl = &kArphrdTable};
const Datatype pkttype_type{.type = TYPE_PKTTYPE, .byteorder = ByteOrder::host, .size = 8, .name = "pkt_type",
                            .desc = "packet type", .basetype = &integer_type, .print = pkttype_type_print,
                            .sym_tbl = &kPkttypeTable};
const Datatype devgroup_type{.type = TYPE_DEVGROUP, .byteorder = ByteOrder::host, .size = 32, .name = "devgroup",
                             .desc = "devgroup name", .basetype = &integer_type, .parse = devgroup_type_parse,
                             .print = devgroup_type_print};
const Datatype realm_type{.type = TYPE_REALM, .byteorder = ByteOrder::host, .size = 32, .name = "realm",
                          .desc = "routing realm", .basetype = &integer_type, .parse = realm_type_parse,
                          .print = realm_type_print};
const Datatype tchandle_type{.type = TYPE_CLASSID, .byteorder = ByteOrder::host, .size = 32, .name = "classid",
                             .desc = "TC classid", .basetype = &integer_type, .parse = tchandle_type_parse,
                             .print = tchandle_type_print};
const Datatype uid_type{.type = TYPE_UID, .byteorder = ByteOrder::host, .size = 32, .name = "uid", .desc = "user ID",
                        .basetype = &integer_type, .parse = uid_type_parse, .print = id_type_print};
const Datatype gid_type{.type = TYPE_GID, .byteorder = ByteOrder::host, .size = 32, .name = "gid",
                        .desc = "group ID", .basetype = &integer_type, .parse = gid_type_parse,
                        .print = id_type_print};
const Datatype date_type{.type = TYPE_TIME_DATE, .byteorder = ByteOrder::host, .size = 64, .name = "time",
                         .desc = "Relative time of packet reception", .basetype = &integer_type,
                         .parse = date_type_parse, .print = date_type_print};
const Datatype hour_type{.type = TYPE_TIME_HOUR, .byteorder = ByteOrder::host, .size = 32, .name = "hour",
                         .desc = "Hour of day of packet reception", .basetype = &integer_type,
                         .parse = hour_type_parse, .print = hour_type_print};
const Datatype day_type{.type = TYPE_TIME_DAY, .byteorder = ByteOrder::host, .size = 8, .name = "day",
                        .desc = "Day of week of packet reception", .basetype = &integer_type,
                        .print = day_type_print, .sym_tbl = &kDayTable};
const Datatype cgroupv2_type{.type = TYPE_CGROUPV2, .byteorder = ByteOrder::host, .size = 64, .name = "cgroupsv2",
                             .desc = "cgroupsv2 path", .basetype = &integer_type, .parse = cgroupv2_type_parse,
                             .print = cgroupv2_type_print};
const Datatype fib_addr_type{.type = TYPE_FIB_ADDR, .byteorder = ByteOrder::host, .size = 32,
                             .name = "fib_addrtype", .desc = "fib address type", .basetype = &integer_type,
                             .sym_tbl = &kFibAddrTable};

}  // namespace nftc::sema
