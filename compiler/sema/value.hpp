// Value: an unsigned integer of up to 512 bits, the numeric value of a
// constant expression (nft keeps these in GMP integers).
//
// 512 bits is the largest value the VM handles: 16 registers of 32 bits
// (NFT_REG32_COUNT), the limit of a concatenation. Strings are values too:
// their bytes, first byte least significant (host order, as nft imports
// them). The byte order of a value is a property of the expression that
// holds it, applied only when the value is exported to bytes.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace nftc::sema {

enum class ByteOrder : std::uint8_t { invalid, host, big };

class Value {
 public:
  static constexpr unsigned kBits = 512;
  static constexpr unsigned kLimbs = kBits / 64;

  Value() = default;
  explicit Value(std::uint64_t v) { limbs_[0] = v; }

  // A mask of the low `bits` bits.
  static Value bitmask(unsigned bits);
  // A mask of the high `prefix_len` bits of a `width`-bit value.
  static Value prefixmask(unsigned width, unsigned prefix_len);
  // From bytes in the given order (host = little-endian here).
  static Value from_bytes(std::span<const std::uint8_t> bytes, ByteOrder order);
  // Parses decimal or 0x-hex digits; false on a bad digit or overflow.
  static bool parse(std::string_view digits, unsigned base, Value& out);

  // Writes the low `len` bytes in the given order.
  void to_bytes(std::span<std::uint8_t> out, ByteOrder order) const;
  std::string to_bytes_string(std::size_t len, ByteOrder order) const;

  std::uint64_t u64() const { return limbs_[0]; }
  std::uint32_t u32() const { return static_cast<std::uint32_t>(limbs_[0]); }
  bool fits_u64() const;
  bool is_zero() const;
  bool test_bit(unsigned bit) const { return bit < kBits && ((limbs_[bit / 64] >> (bit % 64)) & 1u); }
  void set_bit(unsigned bit) {
    if (bit < kBits) limbs_[bit / 64] |= std::uint64_t{1} << (bit % 64);
  }
  void clear_bit(unsigned bit) {
    if (bit < kBits) limbs_[bit / 64] &= ~(std::uint64_t{1} << (bit % 64));
  }
  // Index of the lowest set bit at or above `from`, or kBits if none.
  unsigned scan1(unsigned from = 0) const;
  unsigned scan0(unsigned from = 0) const;
  // Number of significant bits (0 for zero).
  unsigned bit_length() const;
  unsigned popcount() const;

  Value& operator&=(const Value& o);
  Value& operator|=(const Value& o);
  Value& operator^=(const Value& o);
  Value operator&(const Value& o) const { return Value(*this) &= o; }
  Value operator|(const Value& o) const { return Value(*this) |= o; }
  Value operator^(const Value& o) const { return Value(*this) ^= o; }
  Value operator~() const;
  Value shl(unsigned n) const;
  Value shr(unsigned n) const;
  // Wrapping arithmetic modulo 2^512.
  Value add(const Value& o) const;
  Value sub(const Value& o) const;
  Value add_u64(std::uint64_t v) const { return add(Value(v)); }
  Value sub_u64(std::uint64_t v) const { return sub(Value(v)); }
  // Keeps the low `bits` bits.
  Value truncated(unsigned bits) const { return *this & bitmask(bits); }
  // Reverses the order of the low `bytes` bytes (nft's mpz_switch_byteorder).
  Value byteswapped(unsigned bytes) const;

  int compare(const Value& o) const;
  bool operator==(const Value& o) const { return limbs_ == o.limbs_; }
  bool operator!=(const Value& o) const { return !(*this == o); }
  bool operator<(const Value& o) const { return compare(o) < 0; }

  std::string to_decimal() const;
  std::string to_hex() const;

 private:
  std::array<std::uint64_t, kLimbs> limbs_{};
};

}  // namespace nftc::sema
