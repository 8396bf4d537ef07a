// Memory for the parser's large arrays: the token array and the AST's
// chunks. Blocks of 2 MiB and more are mapped on their own, aligned, and
// offered to the kernel as transparent huge pages: a large ruleset then
// costs a page fault per 2 MiB rather than per 4 KiB, which was a fifth of
// the parse time of a 50k-rule file. (Where THP is off, they are ordinary
// anonymous mappings.)
#pragma once

#include <cstddef>
#include <new>
#include <vector>

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

// A bump allocator: memory handed out in order from blocks that double in
// size (64 KiB up to 8 MiB), all freed together when the region goes. The
// AST's nodes and lists live in one region, so that a large ruleset's nodes
// sit in a few huge pages instead of thousands of small ones (a page fault
// and a cleared page each), and a small file still costs a single 64 KiB
// block.
class Region {
 public:
  Region() = default;
  Region(const Region&) = delete;
  Region& operator=(const Region&) = delete;
  Region(Region&& o) noexcept;
  Region& operator=(Region&&) = delete;
  ~Region();

  void* allocate(std::size_t bytes, std::size_t align) {
    const std::size_t at = (used_ + align - 1) & ~(align - 1);
    if (at + bytes > size_) return grow(bytes);
    used_ = at + bytes;
    return base_ + at;
  }

 private:
  void* grow(std::size_t bytes);
  struct Block {
    void* p;
    std::size_t size;
  };
  std::vector<Block> blocks_;
  unsigned char* base_ = nullptr;  // the block being filled
  std::size_t used_ = 0, size_ = 0;
  std::size_t next_ = std::size_t{64} << 10;  // the size of the next block
};

}  // namespace nftc
