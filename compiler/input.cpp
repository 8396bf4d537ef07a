#include "compiler/input.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fmt/format.h>

namespace nftc {
namespace {

// Reads everything from `fd`; returns errno on failure.
int slurp(int fd, std::string& out) {
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) return 0;
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
}

// The offset of the first byte that marks the text as binary: NUL or a C0
// control character other than whitespace. nft's scanner accepts none of
// them outside comments, and a file that has them is not a ruleset.
std::optional<std::size_t> first_binary_byte(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') return i;
    if (c == 0x7f) return i;
  }
  return std::nullopt;
}

Diagnostic& io_error(DiagnosticSink& sink, const char* code, const ReadRequest& req, std::string msg) {
  Diagnostic& d = sink.error(code, req.included_from, std::move(msg));
  d.path = req.path == "-" ? "<stdin>" : req.path;
  return d;
}

}  // namespace

std::optional<FileId> read_input(SourceManager& sm, DiagnosticSink& sink, const ReadRequest& req) {
  std::string text;
  std::string display = req.path;
  if (req.path == "-") {
    display = "<stdin>";
    struct stat st;
    if (::fstat(STDIN_FILENO, &st) != 0) {
      io_error(sink, "IO005", req, "standard input is closed").with_help("pass a file name, or pipe the ruleset into nftc");
      return std::nullopt;
    }
    if (S_ISDIR(st.st_mode)) {
      io_error(sink, "IO002", req, "standard input is a directory");
      return std::nullopt;
    }
    if (int err = slurp(STDIN_FILENO, text); err != 0) {
      io_error(sink, "IO005", req, fmt::format("cannot read standard input: {}", std::strerror(err)));
      return std::nullopt;
    }
  } else {
    int fd = ::open(req.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      int err = errno;
      io_error(sink, req.included_from.valid() ? "IO006" : "IO001", req,
               fmt::format("cannot open '{}': {}", req.path, std::strerror(err)));
      return std::nullopt;
    }
    struct stat st;
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      ::close(fd);
      io_error(sink, "IO002", req, fmt::format("'{}' is a directory, not a ruleset file", req.path))
          .with_help(req.included_from.valid() ? "to include every file in a directory, use a glob such as \"dir/*.nft\""
                                               : "name a file inside it");
      return std::nullopt;
    }
    int err = slurp(fd, text);
    ::close(fd);
    if (err != 0) {
      io_error(sink, "IO001", req, fmt::format("cannot read '{}': {}", req.path, std::strerror(err)));
      return std::nullopt;
    }
  }

  if (auto bad = first_binary_byte(text)) {
    // No snippet: the "line" of a binary file is noise.
    unsigned char c = static_cast<unsigned char>(text[*bad]);
    io_error(sink, "IO003", req, fmt::format("'{}' is not a text file (byte 0x{:02x} at offset {})", display, c, *bad))
        .with_help("nftc reads nft ruleset text or libnftables JSON");
    return std::nullopt;
  }
  if (text.empty() && !req.allow_empty) {
    io_error(sink, "IO004", req, fmt::format("'{}' is empty: there is no ruleset to read", display));
    return std::nullopt;
  }
  return sm.add(display, std::move(text), req.included_from);
}

}  // namespace nftc
