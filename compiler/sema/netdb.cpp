// Service and protocol names from nftc's built-in tables (netdb_data.cpp),
// never from the machine's /etc files.
#include "compiler/sema/netdb.hpp"

#include <algorithm>
#include <optional>

#include "compiler/sema/datatype.hpp"

namespace nftc::sema {

namespace {

std::optional<std::uint16_t> find_by_name(std::span<const netdb::NetdbEntry> table, std::string_view name) {
  auto it = std::lower_bound(table.begin(), table.end(), name,
                             [](const netdb::NetdbEntry& e, std::string_view n) { return e.name < n; });
  if (it == table.end() || it->name != name) return std::nullopt;
  return it->number;
}

std::string_view find_by_number(std::span<const netdb::NetdbEntry> table, std::uint16_t number) {
  auto it = std::lower_bound(table.begin(), table.end(), number,
                             [](const netdb::NetdbEntry& e, std::uint16_t n) { return e.number < n; });
  if (it == table.end() || it->number != number) return {};
  return it->name;
}

}  // namespace

std::optional<std::uint16_t> service_port(std::string_view name) { return find_by_name(netdb::kServicesByName, name); }

std::string_view service_name(std::uint16_t port) { return find_by_number(netdb::kServicesByPort, port); }

std::optional<std::uint8_t> protocol_number(std::string_view name) {
  auto n = find_by_name(netdb::kProtocolsByName, name);
  if (!n || *n > 0xff) return std::nullopt;
  return static_cast<std::uint8_t>(*n);
}

std::string_view protocol_name(std::uint8_t number) { return find_by_number(netdb::kProtocolsByNumber, number); }

}  // namespace nftc::sema
