// The netlink backend without a kernel: the batch's messages, their order
// and attributes, element lists split under 64 KiB, spans of message parts,
// and how the kernel's answers become diagnostics.
#include <doctest/doctest.h>

#include "backends/netlink/apply.hpp"
#include "backends/netlink/batch.hpp"

#include <linux/netfilter/nfnetlink.h>

#include <libmnl/libmnl.h>

#include <cerrno>
#include <map>
#include <memory>
#include <sstream>

#include <fmt/format.h>

#include "compiler/parser.hpp"
#include "compiler/render.hpp"

namespace {

using namespace nftc;
using netlink::Batch;
using netlink::Message;

struct Compiled {
  SourceManager sm;
  DiagnosticSink sink;
  ast::Script script;
  std::unique_ptr<sema::Analysis> analysis;
  Batch batch;
};

std::unique_ptr<Compiled> compile(std::string text) {
  auto c = std::make_unique<Compiled>();
  FileId id = c->sm.add("t.nft", std::move(text));
  parse_file(c->sm, c->sink, id, c->script, ParseOptions{});
  REQUIRE_FALSE(c->sink.has_errors());
  sema::Analyzer analyzer(c->sm, c->sink, sema::AnalyseOptions{});
  c->analysis = analyzer.run(c->script);
  REQUIRE_FALSE(c->sink.has_errors());
  c->batch = netlink::build_batch(*c->analysis, c->sink);
  REQUIRE_FALSE(c->sink.has_errors());
  return c;
}

const nlmsghdr* header(const Batch& b, const Message& m) {
  return reinterpret_cast<const nlmsghdr*>(b.bytes.data() + m.offset);
}

// The top-level attributes of a nf_tables message, by type.
std::map<std::uint16_t, const nlattr*> attrs(const Batch& b, const Message& m) {
  std::map<std::uint16_t, const nlattr*> out;
  const nlmsghdr* nlh = header(b, m);
  const auto* a = static_cast<const nlattr*>(mnl_nlmsg_get_payload_offset(nlh, sizeof(nfgenmsg)));
  const char* tail = static_cast<const char*>(mnl_nlmsg_get_payload_tail(nlh));
  for (; mnl_attr_ok(a, static_cast<int>(tail - reinterpret_cast<const char*>(a))); a = mnl_attr_next(a))
    out[mnl_attr_get_type(a)] = a;
  return out;
}

std::vector<std::uint16_t> types(const Batch& b) {
  std::vector<std::uint16_t> out;
  for (const Message& m : b.messages) out.push_back(m.type);
  return out;
}

std::string rendered(const Compiled& c) {
  std::ostringstream out;
  RenderOptions ro;
  render(DiagnosticFormat::concise, out, c.sm, c.sink.all(), ro);
  return out.str();
}

Span span_of(const Compiled& c, std::string_view needle) {
  const std::string& text = c.sm.file(0).text;
  auto at = text.find(needle);
  REQUIRE(at != std::string::npos);
  return Span{0, static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + needle.size())};
}

}  // namespace

TEST_CASE("netlink: a table, a base chain and a rule, as nft sends them") {
  auto c = compile("table ip t {\n  chain c {\n    type filter hook input priority 0; policy drop;\n"
                   "    tcp dport 22 accept comment \"ssh\"\n  }\n}\n");
  const Batch& b = c->batch;
  CHECK(types(b) == std::vector<std::uint16_t>{NFNL_MSG_BATCH_BEGIN, NFT_MSG_NEWTABLE, NFT_MSG_NEWCHAIN,
                                               NFT_MSG_NEWRULE, NFNL_MSG_BATCH_END});
  for (std::size_t i = 0; i < b.messages.size(); ++i) {
    CHECK(b.messages[i].seq == i);
    CHECK(header(b, b.messages[i])->nlmsg_seq == i);
    CHECK((header(b, b.messages[i])->nlmsg_flags & NLM_F_ACK) == 0);  // nft asks for errors only
  }
  CHECK(b.command_count() == 3);
  const Message& chain = b.messages[2];
  auto ca = attrs(b, chain);
  CHECK(std::string(mnl_attr_get_str(ca.at(NFTA_CHAIN_NAME))) == "c");
  CHECK(std::string(mnl_attr_get_str(ca.at(NFTA_CHAIN_TYPE))) == "filter");
  CHECK(ntohl(mnl_attr_get_u32(ca.at(NFTA_CHAIN_POLICY))) == NF_DROP);
  CHECK(ca.count(NFTA_CHAIN_HOOK) == 1);
  CHECK(ca.count(NFTA_CHAIN_FLAGS) == 0);  // no `flags offload`
  const Message& rule = b.messages[3];
  CHECK(header(b, rule)->nlmsg_flags == (NLM_F_REQUEST | NLM_F_CREATE | NLM_F_APPEND));
  auto ra = attrs(b, rule);
  CHECK(std::string(mnl_attr_get_str(ra.at(NFTA_RULE_CHAIN))) == "c");
  CHECK(ra.count(NFTA_RULE_USERDATA) == 1);
}

TEST_CASE("netlink: an anonymous set comes before its rule, which names it by id") {
  auto c = compile("table ip t {\n  chain c {\n    ip saddr { 10.0.0.1, 10.0.0.2 } accept\n  }\n}\n");
  const Batch& b = c->batch;
  CHECK(types(b) == std::vector<std::uint16_t>{NFNL_MSG_BATCH_BEGIN, NFT_MSG_NEWTABLE, NFT_MSG_NEWCHAIN,
                                               NFT_MSG_NEWSET, NFT_MSG_NEWSETELEM, NFT_MSG_NEWRULE,
                                               NFNL_MSG_BATCH_END});
  auto set = attrs(b, b.messages[3]);
  CHECK(std::string(mnl_attr_get_str(set.at(NFTA_SET_NAME))) == "__set%d");
  CHECK(ntohl(mnl_attr_get_u32(set.at(NFTA_SET_FLAGS))) == (NFT_SET_ANONYMOUS | NFT_SET_CONSTANT));
  std::uint32_t id = ntohl(mnl_attr_get_u32(set.at(NFTA_SET_ID)));
  auto elems = attrs(b, b.messages[4]);
  CHECK(ntohl(mnl_attr_get_u32(elems.at(NFTA_SET_ELEM_LIST_SET_ID))) == id);
}

TEST_CASE("netlink: a long element list is split into messages under 64 KiB") {
  std::string text = "table ip t {\n  set s {\n    type ipv4_addr\n    elements = { ";
  const int n = 20000;
  for (int i = 0; i < n; ++i) text += fmt::format("{}10.{}.{}.{}", i ? ", " : "", i >> 16, (i >> 8) & 255, i & 255);
  text += " }\n  }\n}\n";
  auto c = compile(std::move(text));
  const Batch& b = c->batch;
  int messages = 0, elements = 0;
  for (const Message& m : b.messages) {
    if (m.type != NFT_MSG_NEWSETELEM) continue;
    ++messages;
    const nlattr* list = attrs(b, m).at(NFTA_SET_ELEM_LIST_ELEMENTS);
    CHECK(list->nla_len <= UINT16_MAX);
    const auto* e = static_cast<const nlattr*>(mnl_attr_get_payload(list));
    const char* end = reinterpret_cast<const char*>(list) + list->nla_len;
    for (; mnl_attr_ok(e, static_cast<int>(end - reinterpret_cast<const char*>(e))); e = mnl_attr_next(e)) ++elements;
    CHECK(m.parts.size() > 0);  // each element keeps its span
  }
  CHECK(messages > 1);
  CHECK(elements == n);
}

TEST_CASE("netlink: an anonymous chain is created by id and jumped to by id") {
  auto c = compile("table inet t {\n  chain c {\n    type filter hook input priority 0;\n"
                   "    tcp dport 22 jump { counter accept }\n  }\n}\n");
  const Batch& b = c->batch;
  CHECK(types(b) == std::vector<std::uint16_t>{NFNL_MSG_BATCH_BEGIN, NFT_MSG_NEWTABLE, NFT_MSG_NEWCHAIN,
                                               NFT_MSG_NEWCHAIN, NFT_MSG_NEWRULE, NFT_MSG_NEWRULE,
                                               NFNL_MSG_BATCH_END});
  auto bound = attrs(b, b.messages[3]);
  CHECK(bound.count(NFTA_CHAIN_NAME) == 0);  // the kernel names it
  std::uint32_t id = ntohl(mnl_attr_get_u32(bound.at(NFTA_CHAIN_ID)));
  CHECK(ntohl(mnl_attr_get_u32(bound.at(NFTA_CHAIN_FLAGS))) == NFT_CHAIN_BINDING);
  auto inner = attrs(b, b.messages[4]);
  CHECK(ntohl(mnl_attr_get_u32(inner.at(NFTA_RULE_CHAIN_ID))) == id);
  CHECK(inner.count(NFTA_RULE_CHAIN) == 0);
  // The jump's verdict carries the id too (NFTA_VERDICT_CHAIN_ID).
  const Message& outer = b.messages[5];
  std::string bytes(reinterpret_cast<const char*>(b.bytes.data() + outer.offset), outer.length);
  std::uint32_t be = htonl(id);
  CHECK(bytes.find(std::string(reinterpret_cast<const char*>(&be), 4)) != std::string::npos);
}

TEST_CASE("netlink: flags offload is sent exactly where the source says it") {
  auto c = compile("table netdev t {\n  chain c {\n    type filter hook ingress device \"lo\" priority 1;"
                   " flags offload;\n  }\n  chain d {\n    type filter hook ingress device \"lo\" priority 2;\n  }\n}\n");
  const Batch& b = c->batch;
  auto with = attrs(b, b.messages[2]);
  auto without = attrs(b, b.messages[3]);
  REQUIRE(with.count(NFTA_CHAIN_FLAGS) == 1);
  CHECK(ntohl(mnl_attr_get_u32(with.at(NFTA_CHAIN_FLAGS))) == NFT_CHAIN_HW_OFFLOAD);
  CHECK(without.count(NFTA_CHAIN_FLAGS) == 0);
  CHECK(b.messages[2].commit_hint.valid());
  CHECK_FALSE(b.messages[3].commit_hint.valid());
}

TEST_CASE("netlink: flush ruleset names every family unless one is given") {
  auto all = compile("flush ruleset\n");
  auto ip6 = compile("flush ruleset ip6\n");
  CHECK(all->batch.messages[1].type == NFT_MSG_DELTABLE);
  const auto* g1 = static_cast<const nfgenmsg*>(mnl_nlmsg_get_payload(header(all->batch, all->batch.messages[1])));
  const auto* g2 = static_cast<const nfgenmsg*>(mnl_nlmsg_get_payload(header(ip6->batch, ip6->batch.messages[1])));
  CHECK(g1->nfgen_family == NFPROTO_UNSPEC);
  CHECK(g2->nfgen_family == NFPROTO_IPV6);
}

TEST_CASE("netlink: a kernel error offset maps to the expression or element at fault") {
  auto c = compile("table ip t {\n  set s { type ipv4_addr; elements = { 1.1.1.1, 2.2.2.2 } }\n"
                   "  chain c {\n    meta mark 1 counter accept\n  }\n}\n");
  const Batch& b = c->batch;
  const Message* rule = nullptr;
  const Message* elems = nullptr;
  for (const Message& m : b.messages) {
    if (m.type == NFT_MSG_NEWRULE) rule = &m;
    if (m.type == NFT_MSG_NEWSETELEM) elems = &m;
  }
  REQUIRE(rule != nullptr);
  REQUIRE(elems != nullptr);
  // The counter is the third expression (meta, cmp, counter, immediate).
  REQUIRE(rule->parts.size() == 4);
  CHECK(rule->span_at(rule->parts[2].offset) == span_of(*c, "counter"));
  CHECK(rule->span_at(rule->parts[2].offset + 6) == span_of(*c, "counter"));  // inside it
  CHECK(rule->span_at(0) == rule->span);
  REQUIRE(elems->parts.size() == 2);
  CHECK(elems->span_at(elems->parts[1].offset) == span_of(*c, "2.2.2.2"));
}

TEST_CASE("netlink: the kernel's answers become diagnostics") {
  auto c = compile("table netdev t {\n  chain c {\n    type filter hook ingress device \"lo\" priority 1;"
                   " flags offload;\n    counter drop\n  }\n}\n");
  const Batch& b = c->batch;
  const Message& rule = b.messages[3];
  REQUIRE(rule.type == NFT_MSG_NEWRULE);
  auto ok = [&](std::uint32_t seq) { return netlink::Answer{seq, 0, 0, {}}; };
  netlink::ApplyOptions opts;

  SUBCASE("every message accepted") {
    std::vector<netlink::Answer> answers{ok(1), ok(2), ok(3)};
    CHECK(netlink::report_answers(b, answers, false, opts, c->sink) == netlink::ApplyStatus::committed);
    CHECK(c->sink.empty());
  }
  SUBCASE("a message rejected, pointing into it") {
    std::vector<netlink::Answer> answers{ok(1), ok(2), {3, EOPNOTSUPP, rule.parts[0].offset, {}}};
    CHECK(netlink::report_answers(b, answers, false, opts, c->sink) == netlink::ApplyStatus::rejected);
    CHECK(rendered(*c) ==
          "t.nft:4:5: error[APPLY001]: the kernel rejected this rule: Operation not supported\n");
  }
  SUBCASE("the commit rejected: reported at the offload flag") {
    std::vector<netlink::Answer> answers{{0, EOPNOTSUPP, 0, {}}, ok(1), ok(2), ok(3)};
    CHECK(netlink::report_answers(b, answers, false, opts, c->sink) == netlink::ApplyStatus::rejected);
    REQUIRE(c->sink.all().size() == 1);
    CHECK(c->sink.all()[0].code == "APPLY002");
    CHECK(c->sink.all()[0].primary == span_of(*c, "flags offload"));
  }
  SUBCASE("no CAP_NET_ADMIN: the batch begin is refused") {
    std::vector<netlink::Answer> answers{{0, EPERM, 0, {}}};
    CHECK(netlink::report_answers(b, answers, false, opts, c->sink) == netlink::ApplyStatus::no_permission);
    CHECK(c->sink.all().at(0).code == "APPLY003");
  }
  SUBCASE("answers missing") {
    std::vector<netlink::Answer> answers{ok(1)};
    CHECK(netlink::report_answers(b, answers, true, opts, c->sink) == netlink::ApplyStatus::failed);
    CHECK(c->sink.all().at(0).code == "APPLY004");
  }
  SUBCASE("--check") {
    opts.check = true;
    std::vector<netlink::Answer> answers{ok(1), ok(2), ok(3)};
    CHECK(netlink::report_answers(b, answers, false, opts, c->sink) == netlink::ApplyStatus::checked);
  }
}

TEST_CASE("netlink: every kernel error has help") {
  for (int err : {EOPNOTSUPP, ENOENT, EEXIST, EBUSY, EINVAL, ELOOP, EPERM, ENOSPC, ENODEV, 12345})
    for (std::uint16_t type : {NFT_MSG_NEWRULE, NFT_MSG_NEWCHAIN, NFT_MSG_DELTABLE, NFT_MSG_NEWSETELEM})
      CHECK_FALSE(netlink::kernel_error_help(err, type).empty());
}
