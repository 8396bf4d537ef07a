#include "backends/netlink/writer.hpp"

#include <linux/netfilter/nfnetlink.h>

#include <libnftnl/common.h>

#include <algorithm>
#include <stdexcept>

namespace nftc::netlink {

namespace {

// Room for the open message. The kernel takes no message larger than
// 64 KiB of attributes (nla_len is 16 bits), so this is never reached;
// end() checks it all the same.
constexpr std::size_t kRoom = std::size_t{1} << 20;

}  // namespace

Writer::Writer() {
  grow();
  nlh_ = nftnl_batch_begin(reinterpret_cast<char*>(batch_.bytes.data() + used_), seq_);
  Message& m = batch_.messages.emplace_back();
  m.seq = seq_++;
  m.offset = static_cast<std::uint32_t>(used_);
  m.type = NFNL_MSG_BATCH_BEGIN;
  m.what = "batch";
  end();
}

void Writer::grow() {
  if (batch_.bytes.size() < used_ + kRoom) batch_.bytes.resize(std::max(batch_.bytes.size() * 2, used_ + kRoom));
}

nlmsghdr* Writer::begin(std::uint16_t type, std::uint16_t family, std::uint16_t flags, std::string what,
                        Span span) {
  grow();
  nlh_ = nftnl_nlmsg_build_hdr(reinterpret_cast<char*>(batch_.bytes.data() + used_), type, family, flags, seq_);
  Message& m = batch_.messages.emplace_back();
  m.seq = seq_++;
  m.offset = static_cast<std::uint32_t>(used_);
  m.type = type;
  m.what = std::move(what);
  m.span = span;
  return nlh_;
}

void Writer::part(std::uint32_t from, Span span) { part(from, here() - from, span); }

void Writer::part(std::uint32_t offset, std::uint32_t length, Span span) {
  if (!span.valid()) return;
  batch_.messages.back().parts.push_back({offset, length, span});
}

void Writer::commit_hint(Span span) { batch_.messages.back().commit_hint = span; }

void Writer::truncate(std::uint32_t length) {
  nlh_->nlmsg_len = length;
  auto& parts = batch_.messages.back().parts;
  std::erase_if(parts, [&](const PartSpan& p) { return p.offset + p.length > length; });
}

void Writer::end() {
  if (nlh_->nlmsg_len > kRoom) throw std::length_error("a netlink message outgrew its buffer");
  batch_.messages.back().length = nlh_->nlmsg_len;
  used_ += MNL_ALIGN(nlh_->nlmsg_len);
  nlh_ = nullptr;
}

void Writer::abandon() {
  if (nlh_ == nullptr) return;
  batch_.messages.pop_back();
  nlh_ = nullptr;
}

Batch Writer::finish() {
  grow();
  nlh_ = nftnl_batch_end(reinterpret_cast<char*>(batch_.bytes.data() + used_), seq_);
  Message& m = batch_.messages.emplace_back();
  m.seq = seq_++;
  m.offset = static_cast<std::uint32_t>(used_);
  m.type = NFNL_MSG_BATCH_END;
  m.what = "batch";
  end();
  batch_.bytes.resize(used_);
  return std::move(batch_);
}

// ---- Batch ------------------------------------------------------------------

Span Message::span_at(std::uint32_t at) const {
  // The innermost part that holds the offset: parts are recorded outermost
  // last (a nest ends after what it holds), so take the shortest.
  const PartSpan* best = nullptr;
  for (const PartSpan& p : parts)
    if (at >= p.offset && at < p.offset + p.length && (best == nullptr || p.length < best->length)) best = &p;
  return best != nullptr ? best->span : span;
}

const Message* Batch::find(std::uint32_t seq) const {
  auto it = std::lower_bound(messages.begin(), messages.end(), seq,
                             [](const Message& m, std::uint32_t s) { return m.seq < s; });
  return it != messages.end() && it->seq == seq ? &*it : nullptr;
}

std::size_t Batch::command_count() const {
  std::size_t n = 0;
  for (const Message& m : messages)
    if (m.type != NFNL_MSG_BATCH_BEGIN && m.type != NFNL_MSG_BATCH_END) ++n;
  return n;
}

}  // namespace nftc::netlink
