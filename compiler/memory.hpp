// Memory for the parser's large arrays: the token array and the AST's
// chunks. Blocks of 2 MiB and more are mapped on their own, aligned, and
// offered to the kernel as transparent huge pages: a large ruleset then
// costs a page fault per 2 MiB rather than per 4 KiB, which was a fifth of
// the parse time of a 50k-rule file. (Where THP is off, they are ordinary
// anonymous mappings.)
#pragma once

#include <cstddef>
#include <new>

namespace nftc {

void* allocate_chunk(std::size_t bytes);
void free_chunk(void* p, std::size_t bytes);

// A std::allocator that takes its memory from allocate_chunk: for vectors
// that grow to megabytes.
template <typename T>
struct ChunkAllocator {
  using value_type = T;
  ChunkAllocator() = default;
  template <typename U>
  ChunkAllocator(const ChunkAllocator<U>&) {}
  T* allocate(std::size_t n) {
    static_assert(alignof(T) <= alignof(std::max_align_t));
    return static_cast<T*>(allocate_chunk(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) { free_chunk(p, n * sizeof(T)); }
  template <typename U>
  bool operator==(const ChunkAllocator<U>&) const { return true; }
};

}  // namespace nftc
