#include "compiler/sema/value.hpp"

#include <algorithm>
#include <bit>

namespace nftc::sema {

namespace {
// GCC and Clang extension; -Wpedantic accepts it only under __extension__.
__extension__ typedef unsigned __int128 u128;
}  // namespace

Value Value::bitmask(unsigned bits) {
  Value v;
  bits = std::min(bits, kBits);
  for (unsigned i = 0; i < bits / 64; ++i) v.limbs_[i] = ~std::uint64_t{0};
  if (bits % 64) v.limbs_[bits / 64] = (std::uint64_t{1} << (bits % 64)) - 1;
  return v;
}

Value Value::prefixmask(unsigned width, unsigned prefix_len) {
  return bitmask(width) & ~bitmask(width - std::min(prefix_len, width));
}

Value Value::from_bytes(std::span<const std::uint8_t> bytes, ByteOrder order) {
  Value v;
  const std::size_t n = std::min<std::size_t>(bytes.size(), kBits / 8);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint8_t b = order == ByteOrder::big ? bytes[bytes.size() - 1 - i] : bytes[i];
    v.limbs_[i / 8] |= std::uint64_t{b} << (8 * (i % 8));
  }
  return v;
}

bool Value::parse(std::string_view digits, unsigned base, Value& out) {
  out = Value();
  if (digits.empty()) return false;
  for (char c : digits) {
    unsigned d;
    if (c >= '0' && c <= '9') d = unsigned(c - '0');
    else if (c >= 'a' && c <= 'f') d = unsigned(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') d = unsigned(c - 'A' + 10);
    else return false;
    if (d >= base) return false;
    // out = out * base + d, detecting overflow out of 512 bits.
    u128 carry = d;
    for (auto& limb : out.limbs_) {
      u128 t = static_cast<u128>(limb) * base + carry;
      limb = static_cast<std::uint64_t>(t);
      carry = t >> 64;
    }
    if (carry != 0) return false;
  }
  return true;
}

void Value::to_bytes(std::span<std::uint8_t> out, ByteOrder order) const {
  const std::size_t n = out.size();
  for (std::size_t i = 0; i < n; ++i) {
    std::uint8_t b = i < kBits / 8 ? static_cast<std::uint8_t>(limbs_[i / 8] >> (8 * (i % 8))) : 0;
    if (order == ByteOrder::big) out[n - 1 - i] = b;
    else out[i] = b;
  }
}

std::string Value::to_bytes_string(std::size_t len, ByteOrder order) const {
  std::string s(len, '\0');
  to_bytes(std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(s.data()), len), order);
  return s;
}

bool Value::fits_u64() const {
  for (unsigned i = 1; i < kLimbs; ++i)
    if (limbs_[i] != 0) return false;
  return true;
}

bool Value::is_zero() const {
  for (auto l : limbs_)
    if (l != 0) return false;
  return true;
}

unsigned Value::scan1(unsigned from) const {
  for (unsigned b = from; b < kBits; ++b) {
    if (b % 64 == 0 && limbs_[b / 64] == 0) {
      b += 63;
      continue;
    }
    if (test_bit(b)) return b;
  }
  return kBits;
}

unsigned Value::scan0(unsigned from) const {
  for (unsigned b = from; b < kBits; ++b)
    if (!test_bit(b)) return b;
  return kBits;
}

unsigned Value::bit_length() const {
  for (unsigned i = kLimbs; i-- > 0;)
    if (limbs_[i] != 0) return i * 64 + (64 - static_cast<unsigned>(std::countl_zero(limbs_[i])));
  return 0;
}

unsigned Value::popcount() const {
  unsigned n = 0;
  for (auto l : limbs_) n += static_cast<unsigned>(std::popcount(l));
  return n;
}

Value& Value::operator&=(const Value& o) {
  for (unsigned i = 0; i < kLimbs; ++i) limbs_[i] &= o.limbs_[i];
  return *this;
}
Value& Value::operator|=(const Value& o) {
  for (unsigned i = 0; i < kLimbs; ++i) limbs_[i] |= o.limbs_[i];
  return *this;
}
Value& Value::operator^=(const Value& o) {
  for (unsigned i = 0; i < kLimbs; ++i) limbs_[i] ^= o.limbs_[i];
  return *this;
}

Value Value::operator~() const {
  Value v;
  for (unsigned i = 0; i < kLimbs; ++i) v.limbs_[i] = ~limbs_[i];
  return v;
}

Value Value::shl(unsigned n) const {
  Value v;
  if (n >= kBits) return v;
  const unsigned limb = n / 64, bit = n % 64;
  for (unsigned i = kLimbs; i-- > limb;) {
    std::uint64_t x = limbs_[i - limb] << bit;
    if (bit && i - limb > 0) x |= limbs_[i - limb - 1] >> (64 - bit);
    v.limbs_[i] = x;
  }
  return v;
}

Value Value::shr(unsigned n) const {
  Value v;
  if (n >= kBits) return v;
  const unsigned limb = n / 64, bit = n % 64;
  for (unsigned i = 0; i + limb < kLimbs; ++i) {
    std::uint64_t x = limbs_[i + limb] >> bit;
    if (bit && i + limb + 1 < kLimbs) x |= limbs_[i + limb + 1] << (64 - bit);
    v.limbs_[i] = x;
  }
  return v;
}

Value Value::add(const Value& o) const {
  Value v;
  u128 carry = 0;
  for (unsigned i = 0; i < kLimbs; ++i) {
    u128 t = static_cast<u128>(limbs_[i]) + o.limbs_[i] + carry;
    v.limbs_[i] = static_cast<std::uint64_t>(t);
    carry = t >> 64;
  }
  return v;
}

Value Value::sub(const Value& o) const { return add((~o).add(Value(1))); }

Value Value::byteswapped(unsigned bytes) const {
  Value v;
  for (unsigned i = 0; i < bytes && i < kBits / 8; ++i) {
    std::uint8_t b = static_cast<std::uint8_t>(limbs_[i / 8] >> (8 * (i % 8)));
    unsigned j = bytes - 1 - i;
    if (j < kBits / 8) v.limbs_[j / 8] |= std::uint64_t{b} << (8 * (j % 8));
  }
  return v;
}

int Value::compare(const Value& o) const {
  for (unsigned i = kLimbs; i-- > 0;)
    if (limbs_[i] != o.limbs_[i]) return limbs_[i] < o.limbs_[i] ? -1 : 1;
  return 0;
}

std::string Value::to_decimal() const {
  if (is_zero()) return "0";
  Value v = *this;
  std::string out;
  while (!v.is_zero()) {
    // v /= 10, keeping the remainder.
    u128 rem = 0;
    for (unsigned i = kLimbs; i-- > 0;) {
      u128 cur = (rem << 64) | v.limbs_[i];
      v.limbs_[i] = static_cast<std::uint64_t>(cur / 10);
      rem = cur % 10;
    }
    out.push_back(static_cast<char>('0' + static_cast<int>(rem)));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::string Value::to_hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  if (is_zero()) return "0";
  std::string out;
  for (unsigned b = (bit_length() + 3) / 4; b-- > 0;)
    out.push_back(kDigits[(limbs_[b / 16] >> (4 * (b % 16))) & 0xf]);
  return out;
}

}  // namespace nftc::sema
