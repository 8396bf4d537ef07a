// nftc-mnl-print: prints a netlink batch file (nftc compile --emit netlink)
// the way `nft --debug=mnl` prints the batch it sends, with libmnl's
// mnl_nlmsg_fprintf, so that the differential tests can compare the two.
//
//   nftc-mnl-print [--no-end] FILE
//
// --no-end leaves out the NFNL_MSG_BATCH_END message, which nft -c does not
// send.
#include <linux/netfilter/nfnetlink.h>

#include <libmnl/libmnl.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  bool no_end = false;
  const char* path = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--no-end") == 0) no_end = true;
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
