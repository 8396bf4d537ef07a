// One transaction: the batch goes out in one sendmsg, the kernel checks each
// message in turn (nfnetlink_rcv_batch), then commits or aborts the lot.
// With NLM_F_ACK on every message each one is answered, successes included;
// answers are queued before sendmsg returns, so reading until the socket is
// empty reads them all. An error the commit finds is answered against the
// batch's begin message, before the per-message answers.
#include "backends/netlink/apply.hpp"

#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sys/socket.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <memory>

#include "backends/netlink/nftnl.hpp"

namespace nftc::netlink {

namespace {

struct SocketCloser {
  void operator()(mnl_socket* s) const { mnl_socket_close(s); }
};
using SocketPtr = std::unique_ptr<mnl_socket, SocketCloser>;

// The largest answer: an error echoes at most a whole message (64 KiB of
// attributes) unless capped, plus the extended ack.
constexpr std::size_t kReceiveBuffer = 65536 + 8192;

int extack_attr(const nlattr* attr, void* data) {
  auto* tb = static_cast<const nlattr**>(data);
  std::uint16_t type = mnl_attr_get_type(attr);
  if (type <= NLMSGERR_ATTR_MAX) tb[type] = attr;
  return MNL_CB_OK;
}

Answer read_answer(const nlmsghdr* nlh) {
  Answer a;
  const auto* err = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(nlh));
  a.error = err->error < 0 ? -err->error : err->error;
  if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS)) return a;
  unsigned hlen = sizeof(*err);
  if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) hlen += mnl_nlmsg_get_payload_len(&err->msg);
  const nlattr* tb[NLMSGERR_ATTR_MAX + 1] = {};
  if (mnl_attr_parse(nlh, hlen, extack_attr, tb) != MNL_CB_OK) return a;
  if (tb[NLMSGERR_ATTR_OFFS] != nullptr && mnl_attr_get_payload_len(tb[NLMSGERR_ATTR_OFFS]) >= 4)
    a.offset = mnl_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]);
  if (tb[NLMSGERR_ATTR_MSG] != nullptr) a.message = mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]);
  return a;
}

// Raises a socket buffer to `size`: forced as root, else up to the system
// limit (net.core.wmem_max, rmem_max).
void raise_buffer(int fd, int name, int forced, std::size_t size) {
  int current = 0;
  socklen_t len = sizeof current;
  getsockopt(fd, SOL_SOCKET, name, &current, &len);
  if (static_cast<std::size_t>(current) >= size) return;
  int want = size > INT32_MAX / 2 ? INT32_MAX / 2 : static_cast<int>(size);
  if (setsockopt(fd, SOL_SOCKET, forced, &want, sizeof want) < 0) setsockopt(fd, SOL_SOCKET, name, &want, sizeof want);
}

std::string what_failed(const Message& m) {
  return m.what.empty() ? std::string("message") : m.what;
}

}  // namespace

ApplyStatus apply_batch(const Batch& batch, const ApplyOptions& options, DiagnosticSink& sink) {
  // The bytes as nft sends them, but every command asks for an answer, and
  // --check stops before the end so that the kernel aborts.
  std::vector<std::uint8_t> bytes = batch.bytes;
  std::size_t length = bytes.size();
  std::size_t expected = 0;
  for (const Message& m : batch.messages) {
    if (m.type == NFNL_MSG_BATCH_BEGIN) continue;
    if (m.type == NFNL_MSG_BATCH_END) {
      if (options.check) length = m.offset;
      continue;
    }
    reinterpret_cast<nlmsghdr*>(bytes.data() + m.offset)->nlmsg_flags |= NLM_F_ACK;
    ++expected;
  }
  if (expected == 0) return options.check ? ApplyStatus::checked : ApplyStatus::committed;

  auto io_error = [&](std::string what) {
    sink.error("APPLY004", Span{}, std::move(what)).path = "nftc apply";
    return ApplyStatus::failed;
  };
  SocketPtr nl(mnl_socket_open(NETLINK_NETFILTER));
  if (!nl) return io_error(fmt::format("cannot open a netfilter netlink socket: {}", std::strerror(errno)));
  if (mnl_socket_bind(nl.get(), 0, MNL_SOCKET_AUTOPID) < 0)
    return io_error(fmt::format("cannot bind the netlink socket: {}", std::strerror(errno)));
  int fd = mnl_socket_get_fd(nl.get());
  int one = 1;
  // Errors name the attribute at fault; they need not echo the message.
  mnl_socket_setsockopt(nl.get(), NETLINK_EXT_ACK, &one, sizeof one);
  mnl_socket_setsockopt(nl.get(), NETLINK_CAP_ACK, &one, sizeof one);
  // The kernel takes the batch as one buffer no larger than the send
  // buffer (EMSGSIZE otherwise); answers need about 1 KiB each of receive
  // buffer (ENOBUFS otherwise), as nft reckons.
  raise_buffer(fd, SO_SNDBUF, SO_SNDBUFFORCE, length + 65536);
  raise_buffer(fd, SO_RCVBUF, SO_RCVBUFFORCE, expected * 1024 + kReceiveBuffer);

  if (mnl_socket_sendto(nl.get(), bytes.data(), length) < 0) {
    if (errno == EMSGSIZE)
      return io_error(fmt::format("the batch ({} bytes) is larger than the socket may send: {}", length,
                                  std::strerror(errno)));
    return io_error(fmt::format("cannot send the batch: {}", std::strerror(errno)));
  }

  std::vector<Answer> answers;
  bool lost = false;
  std::vector<char> buf(kReceiveBuffer);
  std::uint32_t portid = mnl_socket_get_portid(nl.get());
  // Every answer is queued before sendmsg returns: read until none is left.
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 0) <= 0) break;
    ssize_t n = recv(fd, buf.data(), buf.size(), MSG_DONTWAIT);
    if (n < 0) {
      if (errno == ENOBUFS) {  // the receive buffer overflowed: some answers are gone
        lost = true;
        continue;
      }
      if (errno == EAGAIN || errno == EINTR) continue;
      return io_error(fmt::format("cannot read the kernel's answers: {}", std::strerror(errno)));
    }
    int left = static_cast<int>(n);
    for (auto* nlh = reinterpret_cast<const nlmsghdr*>(buf.data()); mnl_nlmsg_ok(nlh, left);
         nlh = mnl_nlmsg_next(nlh, &left)) {
      if (nlh->nlmsg_pid != portid || nlh->nlmsg_type != NLMSG_ERROR) continue;
      Answer a = read_answer(nlh);
      a.seq = nlh->nlmsg_seq;
      answers.push_back(std::move(a));
    }
  }
  return report_answers(batch, answers, lost, options, sink);
}

ApplyStatus report_answers(const Batch& batch, const std::vector<Answer>& answers, bool lost,
                           const ApplyOptions& options, DiagnosticSink& sink) {
  std::uint32_t begin_seq = batch.messages.empty() ? 0 : batch.messages.front().seq;
  const Answer* batch_answer = nullptr;  // to the begin message: the commit, or the permission check
  std::set<std::uint32_t> answered;
  for (const Answer& a : answers) {
    if (a.seq == begin_seq) batch_answer = &a;
    else answered.insert(a.seq);
  }
  auto note_path = [](Diagnostic& d) {
    if (!d.primary.valid()) d.path = "nftc apply";
  };
  if (batch_answer != nullptr && batch_answer->error == EPERM && answered.empty()) {
    Diagnostic& d = sink.error("APPLY003", Span{}, "nftc apply needs the CAP_NET_ADMIN capability in this network namespace");
    d.with_help("run it as root (or with sudo), or in a network namespace you own");
    note_path(d);
    return ApplyStatus::no_permission;
  }

  bool rejected = false;
  for (const Answer& a : answers) {
    if (a.error == 0 || a.seq == begin_seq) continue;
    rejected = true;
    const Message* m = batch.find(a.seq);
    if (m == nullptr) continue;
    std::string text = fmt::format("the kernel rejected this {}: {}", what_failed(*m), std::strerror(a.error));
    if (!a.message.empty()) text += fmt::format(" ({})", a.message);
    Diagnostic& d = sink.error("APPLY001", m->span_at(a.offset), std::move(text));
    d.with_help(kernel_error_help(a.error, m->type));
    note_path(d);
  }
  if (batch_answer != nullptr && batch_answer->error != 0) {
    rejected = true;
    // The commit does not say which message it could not carry out.
    Span where;
    for (const Message& m : batch.messages)
      if (m.commit_hint.valid()) {
        where = m.commit_hint;
        break;
      }
    std::string text = fmt::format("the kernel rejected the transaction when committing it: {}",
                                   std::strerror(batch_answer->error));
    if (!batch_answer->message.empty()) text += fmt::format(" ({})", batch_answer->message);
    Diagnostic& d = sink.error("APPLY002", where, std::move(text));
    d.with_help(
        "errors at commit come from hardware offload (a device or driver that refuses a `flags offload` chain or "
        "flowtable, a drop policy or an inserted rule in an offload chain); `nftc apply --check` cannot see them");
    note_path(d);
  }
  if (rejected) return ApplyStatus::rejected;
  std::size_t expected = batch.command_count();
  if (answered.size() < expected) {
    Diagnostic& d = sink.error(
        "APPLY004", Span{},
        fmt::format("the kernel answered {} of {} messages{}: the outcome of the transaction is unknown",
                    answered.size(), expected, lost ? " (the receive buffer overflowed)" : ""));
    d.with_help("`nft list ruleset` shows what the kernel has now");
    note_path(d);
    return ApplyStatus::failed;
  }
  return options.check ? ApplyStatus::checked : ApplyStatus::committed;
}

}  // namespace nftc::netlink
