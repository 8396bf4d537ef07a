// What usually makes nf_tables reject a message, by errno and message type:
// the help line under an APPLY001 diagnostic. The kernel's own words are
// only an errno (and, for a few errors, an extended ack text), so this table
// says what the source should change.
#include <linux/netfilter/nf_tables.h>

#include <cerrno>
#include <string>

#include "backends/netlink/apply.hpp"

namespace nftc::netlink {

namespace {

enum class Object { table, chain, rule, set, elements, object, flowtable, other };

Object object_of(std::uint16_t type) {
  switch (type) {
    case NFT_MSG_NEWTABLE:
    case NFT_MSG_DELTABLE:
    case 26: return Object::table;  // NFT_MSG_DESTROYTABLE
    case NFT_MSG_NEWCHAIN:
    case NFT_MSG_DELCHAIN:
    case 27: return Object::chain;
    case NFT_MSG_NEWRULE:
    case NFT_MSG_DELRULE:
    case 28: return Object::rule;
    case NFT_MSG_NEWSET:
    case NFT_MSG_DELSET:
    case 29: return Object::set;
    case NFT_MSG_NEWSETELEM:
    case NFT_MSG_DELSETELEM:
    case 30: return Object::elements;
    case NFT_MSG_NEWOBJ:
    case NFT_MSG_DELOBJ:
    case 31: return Object::object;
    case NFT_MSG_NEWFLOWTABLE:
    case NFT_MSG_DELFLOWTABLE:
    case 32: return Object::flowtable;
    default: return Object::other;
  }
}

bool is_delete(std::uint16_t type) {
  switch (type) {
    case NFT_MSG_DELTABLE:
    case NFT_MSG_DELCHAIN:
    case NFT_MSG_DELRULE:
    case NFT_MSG_DELSET:
    case NFT_MSG_DELSETELEM:
    case NFT_MSG_DELOBJ:
    case NFT_MSG_DELFLOWTABLE: return true;
    default: return false;
  }
}

}  // namespace

std::string kernel_error_help(int err, std::uint16_t msg_type) {
  const Object o = object_of(msg_type);
  switch (err) {
    case EOPNOTSUPP:
      switch (o) {
        case Object::rule:
          return "this kernel lacks an expression the rule uses (a missing nft_* module, or a feature of a newer "
                 "Linux), or the statement cannot run in this chain's family, type or hook; in a chain with "
                 "`flags offload`, every expression must be one the hardware can do";
        case Object::chain:
          return "the kernel has no such chain type for this family and hook, or refuses `flags offload` here "
                 "(offload needs a netdev ingress chain, priority 1-65535, on a device that can offload)";
        case Object::flowtable:
          return "flowtables need the nf_flow_table modules; `flags offload` needs a device that can offload";
        case Object::set:
          return "the kernel has no set type for this key and these flags (interval concatenations need Linux "
                 "5.6, per-element expressions 5.12)";
        default: return "this kernel does not support what the message asks for";
      }
    case ENOENT:
      if (is_delete(msg_type))
        return "there is nothing by that name to delete; `destroy` instead of `delete` ignores missing objects";
      switch (o) {
        case Object::rule:
          return "the rule names a table, chain, set, map, stateful object or flowtable the kernel does not have "
                 "(declare it before the rule), a rule handle (`position`, `handle`, `index`) that is not in the "
                 "chain, or a kernel module it needs (nft_*) is missing";
        case Object::elements: return "the set or map does not exist, or an element to delete is not in it";
        case Object::flowtable:
          return "the table does not exist, or the kernel lacks the flowtable modules (nf_flow_table_inet)";
        default: return "the table it belongs to does not exist, or a kernel module it needs is missing";
      }
    case EEXIST:
      return o == Object::elements ? "the element is already in the set: `create element` refuses duplicates, "
                                     "`add element` merges them; intervals must not overlap"
                                   : "it already exists: `create` refuses to reuse an existing object, `add` merges";
    case EBUSY:
      return "it is still in use: a rule jumps to the chain, looks up the set or map, or refers to the object or "
             "flowtable; delete the users first, or flush the table";
    case EINVAL:
      return "the kernel found an attribute invalid: a value out of range, an expression in a hook or family "
             "where it cannot run, or a feature newer than this kernel";
    case ELOOP:
      return "jumps and gotos form a loop, or jump to a base chain, or nest deeper than 16 chains";
    case EPERM:
      return "the table is owned by another process (`flags owner`), or nftc lacks CAP_NET_ADMIN";
    case ENFILE:
    case E2BIG:
    case ENOSPC:
      return "the set is full: raise its `size`, or remove elements first";
    case ENODEV: return "a device the message names does not exist in this network namespace";
    case EAFNOSUPPORT: return "the kernel does not support this family (a missing nf_tables module)";
    case ENOMEM: return "the kernel ran out of memory for the transaction";
    case EMSGSIZE: return "the message is larger than the kernel accepts";
    case ERANGE: return "a value is outside the range the kernel accepts";
    case EBADF: return "an attribute names a chain, set or object of another table or family";
    default: return "see the kernel log (dmesg) for details";
  }
}

}  // namespace nftc::netlink
