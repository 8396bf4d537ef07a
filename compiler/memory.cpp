#include "compiler/memory.hpp"

#include <sys/mman.h>

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

}  // namespace nftc
