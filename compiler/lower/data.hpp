// Constant data as the kernel receives it (nft's struct nft_data_linearize):
// the bytes, which fields are in host byte order, and each field's length.
#pragma once

#include "compiler/bytecode.hpp"

#include <vector>

#include "compiler/sema/ir.hpp"

namespace nftc::lower {

struct Data {
  bc::Bytes bytes;
  // Bit n: field n is a host-order integer; all ones for a whole host value.
  std::uint32_t byteorder = 0;
  std::vector<std::uint32_t> sizes;  // field lengths in bytes; empty for one field
  bc::Verdict verdict;
  bool is_verdict = false;

  bc::Value value() const { return bc::Value{bytes, (byteorder & 1u) != 0}; }
  bc::Value value(std::size_t len) const;  // the first `len` bytes
  // The fields libnftnl prints an element key or data with.
  std::vector<bc::Field> fields() const;
};

// `v` as `len` bytes in `order` (nft's mpz_export_data: anything but host
// order is big-endian).
void export_value(const sema::Value& v, sema::ByteOrder order, std::size_t len, std::uint8_t* out);

Data raw_data(const sema::Value& v, sema::ByteOrder order, unsigned len_bytes);
// nft's netlink_gen_data: values, concatenations, verdicts, ranges, prefixes.
Data gen_data(const sema::Expr* e, bool expand = false);
// nft's netlink_gen_key: an element key.
Data gen_key(const sema::Expr* e, std::uint32_t flags);

}  // namespace nftc::lower
