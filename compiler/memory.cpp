#include "compiler/memory.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>

namespace nftc {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;
std::size_t huge_rounded(std::size_t bytes) { return (bytes + kHugePage - 1) & ~(kHugePage - 1); }
}  // namespace

void* allocate_chunk(std::size_t bytes) {
  if (bytes < kHugePage) return ::operator new(bytes);
  // Map a huge page more than needed and unmap what lies outside the
  // aligned part.
  const std::size_t size = huge_rounded(bytes);
  void* raw = ::mmap(nullptr, size + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  auto base = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (base + kHugePage - 1) & ~(kHugePage - 1);
  if (aligned > base) ::munmap(raw, aligned - base);
  if (const std::uintptr_t tail = base + size + kHugePage - (aligned + size); tail > 0)
    ::munmap(reinterpret_cast<void*>(aligned + size), tail);
#ifdef MADV_HUGEPAGE
  ::madvise(reinterpret_cast<void*>(aligned), size, MADV_HUGEPAGE);  // a hint: failure is harmless
#endif
  return reinterpret_cast<void*>(aligned);
}

void free_chunk(void* p, std::size_t bytes) {
  if (bytes < kHugePage) ::operator delete(p);
  else ::munmap(p, huge_rounded(bytes));
}

Region::Region(Region&& o) noexcept
    : blocks_(std::move(o.blocks_)), base_(o.base_), used_(o.used_), size_(o.size_), next_(o.next_) {
  o.blocks_.clear();
  o.base_ = nullptr;
  o.used_ = o.size_ = 0;
}

Region::~Region() {
  for (const Block& b : blocks_) free_chunk(b.p, b.size);
}

void* Region::grow(std::size_t bytes) {
  // Every request is at most max_align_t-aligned, which a block's start is.
  constexpr std::size_t kMaxBlock = std::size_t{8} << 20;
  if (bytes > next_ / 2 && base_ != nullptr) {
    // Large (a big list): a block of its own; the current one goes on.
    void* p = allocate_chunk(bytes);
    blocks_.push_back({p, bytes});
    return p;
  }
  const std::size_t size = std::max(next_, bytes);
  void* p = allocate_chunk(size);
  blocks_.push_back({p, size});
  next_ = std::min(next_ * 2, kMaxBlock);
  base_ = static_cast<unsigned char*>(p);
  size_ = size;
  used_ = bytes;
  return p;
}

}  // namespace nftc
