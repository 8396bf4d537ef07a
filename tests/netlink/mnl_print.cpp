// nftc-mnl-print: prints a netlink batch file (nftc compile --emit netlink)
// the way `nft --debug=mnl` prints the batch it sends, with libmnl's
// mnl_nlmsg_fprintf, so that the differential tests can compare the two.
//
//   nftc-mnl-print [--no-end] FILE
//   nftc-mnl-print --rules FILE
//
// --no-end leaves out the NFNL_MSG_BATCH_END message, which nft -c does not
// send. --rules prints each rule of the batch as libnftnl parses and prints
// it (nftnl_rule_snprintf), the way `nft --debug=netlink list ruleset`
// prints the rules the kernel dumps: comparing the two shows whether every
// attribute of every expression reached the kernel.
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include <libmnl/libmnl.h>
#include <libnftnl/rule.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

// Each NEWRULE of the batch, parsed back by libnftnl and printed.
void print_rules(const std::vector<char>& bytes) {
  std::size_t at = 0;
  while (at + sizeof(nlmsghdr) <= bytes.size()) {
    const auto* nlh = reinterpret_cast<const nlmsghdr*>(bytes.data() + at);
    if (nlh->nlmsg_len < sizeof(nlmsghdr)) break;
    if (nlh->nlmsg_type == ((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWRULE)) {
      nftnl_rule* r = nftnl_rule_alloc();
      if (nftnl_rule_nlmsg_parse(nlh, r) == 0) {
        std::vector<char> text(1 << 20);
        nftnl_rule_snprintf(text.data(), text.size(), r, NFTNL_OUTPUT_DEFAULT, 0);
        std::printf("%s\n", text.data());
      }
      nftnl_rule_free(r);
    }
    at += MNL_ALIGN(nlh->nlmsg_len);
  }
}

int main(int argc, char** argv) {
  bool no_end = false, rules = false;
  const char* path = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--no-end") == 0) no_end = true;
    else if (std::strcmp(argv[i], "--rules") == 0) rules = true;
    else path = argv[i];
  }
  if (path == nullptr) {
    std::fprintf(stderr, "usage: nftc-mnl-print [--no-end] FILE\n");
    return 2;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "nftc-mnl-print: cannot read %s\n", path);
    return 2;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (rules) {
    print_rules(bytes);
    return 0;
  }
  std::size_t len = bytes.size();
  if (no_end) {
    // The last message is the batch end.
    std::size_t at = 0, last = 0;
    while (at + sizeof(nlmsghdr) <= len) {
      const auto* nlh = reinterpret_cast<const nlmsghdr*>(bytes.data() + at);
      if (nlh->nlmsg_len < sizeof(nlmsghdr)) break;
      last = at;
      at += MNL_ALIGN(nlh->nlmsg_len);
    }
    const auto* nlh = reinterpret_cast<const nlmsghdr*>(bytes.data() + last);
    if (nlh->nlmsg_type == NFNL_MSG_BATCH_END) len = last;
  }
  mnl_nlmsg_fprintf(stdout, bytes.data(), len, sizeof(struct nfgenmsg));
  return 0;
}
