// Appends netlink messages to a batch and records where each part of each
// message came from in the source.
#pragma once

#include "backends/netlink/batch.hpp"

#include <libmnl/libmnl.h>

#include <string>

namespace nftc::netlink {

class Writer {
 public:
  Writer();

  // Starts a nf_tables message (NFT_MSG_*); the header stays valid until
  // end(). Each message gets the next sequence number.
  nlmsghdr* begin(std::uint16_t type, std::uint16_t family, std::uint16_t flags, std::string what, Span span);
  nlmsghdr* nlh() { return nlh_; }
  // The length of the open message so far: where the next attribute starts.
  std::uint32_t here() const { return nlh_->nlmsg_len; }
  // Records that the bytes from `from` to here() came from `span`.
  void part(std::uint32_t from, Span span);
  void part(std::uint32_t offset, std::uint32_t length, Span span);
  void end();
  // See Message::commit_hint.
  void commit_hint(Span span);

  // Drops the open message back to `length` bytes (an element that does not
  // fit), forgetting the parts recorded past it.
  void truncate(std::uint32_t length);

  // Forgets the open message, if any (its command failed half-way).
  void abandon();

  Batch finish();

 private:
  void grow();
  nlmsghdr* raw_begin(std::uint16_t type, std::uint16_t res_id);

  Batch batch_;
  std::size_t used_ = 0;
  nlmsghdr* nlh_ = nullptr;
  std::uint32_t seq_ = 0;
};

}  // namespace nftc::netlink
