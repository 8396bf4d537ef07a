// nftc's built-in copy of /etc/services and /etc/protocols (generated into
// netdb_data.cpp by scripts/gen_netdb.py). The public lookups are
// service_port/service_name and protocol_number/protocol_name in
// datatype.hpp.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace nftc::sema::netdb {

struct NetdbEntry {
  std::string_view name;
  std::uint16_t number;
};

// Sorted by name: every name and alias with the number glibc resolves it to.
extern const std::span<const NetdbEntry> kServicesByName;
extern const std::span<const NetdbEntry> kProtocolsByName;
// Sorted by number: the official name glibc prints for it.
extern const std::span<const NetdbEntry> kServicesByPort;
extern const std::span<const NetdbEntry> kProtocolsByNumber;

}  // namespace nftc::sema::netdb
