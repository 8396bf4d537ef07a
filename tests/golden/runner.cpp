// nftc-golden: runs the real nftc binary for golden cases and compares what
// it prints with the expectation stored in the case file.
//
// A case is a `*.golden` file; its inputs sit beside it, and the command runs
// in that directory so that every path in the output is relative:
//
//   # Optional comment lines say why the case exists.
//   $ nftc check --format=concise missing-value.nft
//   exit: 1
//   --- stdout
//   --- stderr
//   missing-value.nft:4:13: error[SYN001]: unexpected keyword 'accept'
//
// The `$` line is a command: words separated by spaces, '...' or "..." to
// quote, `<&-` runs nftc with standard input closed and `< FILE` feeds it
// FILE (the default is /dev/null). Everything after the `$` line is what the
// runner expects to see; control characters show as \e, \r or \xNN, output
// that does not end in a newline is followed by "\ no newline at end", and the
// absolute path of the case directory shows as <case-dir>.
//
//   nftc-golden --nftc build/nftc CASE.golden...          # compare
//   nftc-golden --nftc build/nftc --regen CASE.golden...  # rewrite (or NFTC_REGEN=1)
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

struct Command {
  std::vector<std::string> argv;  // argv[0] is "nftc"
  enum class Stdin { null, closed, file } stdin_kind = Stdin::null;
  std::string stdin_file;
};

struct Case {
  std::string header;   // the comment lines and the `$` line, verbatim
  Command command;
  std::string expected; // everything after the `$` line
};

struct Outcome {
  std::string stdout_text, stderr_text;
  std::string status;   // "exit: N" or "signal: N"
};

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Splits a command line into words; quotes group, nothing else is special.
std::optional<std::vector<std::string>> split_words(const std::string& line, std::string& error) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else if (c == '\'' || c == '"') {
      std::size_t close = line.find(c, i + 1);
      if (close == std::string::npos) {
        error = "unterminated quote in the command";
        return std::nullopt;
      }
      word += line.substr(i + 1, close - i - 1);
      in_word = true;
      i = close;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

std::optional<Case> parse_case(const std::string& text, std::string& error) {
  Case c;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string line = text.substr(pos, eol - pos);
    c.header += line + '\n';
    pos = eol + 1;
    if (line.rfind("# ", 0) == 0 || line == "#") continue;
    if (line.rfind("$ ", 0) != 0) {
      error = "expected comment lines and then a '$ nftc ...' command line, found: " + line;
      return std::nullopt;
    }
    auto words = split_words(line.substr(2), error);
    if (!words) return std::nullopt;
    for (std::size_t i = 0; i < words->size(); ++i) {
      const std::string& w = (*words)[i];
      if (w == "<&-") {
        c.command.stdin_kind = Command::Stdin::closed;
      } else if (w == "<" && i + 1 < words->size()) {
        c.command.stdin_kind = Command::Stdin::file;
        c.command.stdin_file = (*words)[++i];
      } else if (w.size() > 1 && w[0] == '<') {
        c.command.stdin_kind = Command::Stdin::file;
        c.command.stdin_file = w.substr(1);
      } else {
        c.command.argv.push_back(w);
      }
    }
    if (c.command.argv.empty() || c.command.argv[0] != "nftc") {
      error = "the command must start with 'nftc'";
      return std::nullopt;
    }
    c.expected = pos < text.size() ? text.substr(pos) : std::string();
    return c;
  }
  error = "no '$ nftc ...' command line";
  return std::nullopt;
}

// Runs nftc in `dir`, capturing both streams through temporary files (no
// pipes, so a large output cannot dead-lock the two processes).
std::optional<Outcome> run(const std::string& nftc, const fs::path& dir, const Command& cmd, std::string& error) {
  char out_name[] = "/tmp/nftc-golden-out-XXXXXX";
  char err_name[] = "/tmp/nftc-golden-err-XXXXXX";
  int out_fd = mkstemp(out_name);
  int err_fd = mkstemp(err_name);
  if (out_fd < 0 || err_fd < 0) {
    error = std::string("cannot create a temporary file: ") + std::strerror(errno);
    return std::nullopt;
  }
  pid_t pid = fork();
  if (pid < 0) {
    error = std::string("fork: ") + std::strerror(errno);
    return std::nullopt;
  }
  if (pid == 0) {
    // The child: only async-signal-safe calls from here to exec.
    if (chdir(dir.c_str()) != 0) _exit(126);
    if (cmd.stdin_kind == Command::Stdin::closed) {
      close(STDIN_FILENO);
    } else {
      const char* in_path = cmd.stdin_kind == Command::Stdin::file ? cmd.stdin_file.c_str() : "/dev/null";
      int in_fd = open(in_path, O_RDONLY);
      if (in_fd < 0 || dup2(in_fd, STDIN_FILENO) < 0) _exit(126);
      if (in_fd != STDIN_FILENO) close(in_fd);
    }
    if (dup2(out_fd, STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0) _exit(126);
    close(out_fd);
    close(err_fd);
    std::vector<char*> argv;
    for (const std::string& a : cmd.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv[0] = const_cast<char*>(nftc.c_str());
    argv.push_back(nullptr);
    execv(nftc.c_str(), argv.data());
    _exit(127);
  }
  close(out_fd);
  close(err_fd);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      error = std::string("waitpid: ") + std::strerror(errno);
      return std::nullopt;
    }
  Outcome o;
  o.stdout_text = read_file(out_name).value_or("");
  o.stderr_text = read_file(err_name).value_or("");
  unlink(out_name);
  unlink(err_name);
  if (WIFEXITED(status) && (WEXITSTATUS(status) == 126 || WEXITSTATUS(status) == 127) && o.stderr_text.empty()) {
    error = "could not run " + nftc + " in " + dir.string();
    return std::nullopt;
  }
  o.status = WIFEXITED(status) ? "exit: " + std::to_string(WEXITSTATUS(status))
                               : "signal: " + std::to_string(WTERMSIG(status));
  return o;
}

// Control characters would make the expectations unreadable (and CR would
// not survive some editors), so they are spelled out.
std::string readable(const std::string& s) {
  std::string r;
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == '\n' || c == '\t') r += ch;
    else if (c == 0x1b) r += "\\e";
    else if (c == '\r') r += "\\r";
    else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      r += buf;
    } else r += ch;
  }
  if (!r.empty() && r.back() != '\n') r += "\n\\ no newline at end\n";
  return r;
}

// Replaces every occurrence of `from` in `s` with `to`.
std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); !from.empty() && at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

// The case directory's absolute path shows as <case-dir>, so that no
// expectation depends on where the repository is checked out.
std::string render(const Outcome& o, const fs::path& dir) {
  std::error_code ec;
  std::string abs = fs::canonical(dir, ec).string();
  auto stream = [&](const std::string& text) { return readable(ec ? text : replace_all(text, abs, "<case-dir>")); };
  return o.status + "\n--- stdout\n" + stream(o.stdout_text) + "--- stderr\n" + stream(o.stderr_text);
}

// Shows the difference with diff(1), which Debian always has.
void show_diff(const std::string& expected, const std::string& actual) {
  char exp_name[] = "/tmp/nftc-golden-expected-XXXXXX";
  char act_name[] = "/tmp/nftc-golden-actual-XXXXXX";
  int e = mkstemp(exp_name), a = mkstemp(act_name);
  if (e < 0 || a < 0) return;
  bool ok = write(e, expected.data(), expected.size()) == static_cast<ssize_t>(expected.size()) &&
            write(a, actual.data(), actual.size()) == static_cast<ssize_t>(actual.size());
  close(e);
  close(a);
  if (ok) {
    std::cout.flush();
    std::string cmd = std::string("diff -u --label expected --label actual ") + exp_name + " " + act_name;
    if (std::system(cmd.c_str()) == -1) std::cout << "(diff could not run)\n";
  }
  unlink(exp_name);
  unlink(act_name);
}

// Returns true when the case passes (or was rewritten).
bool check(const std::string& nftc, const fs::path& file, bool regen) {
  std::string error;
  auto text = read_file(file);
  if (!text) {
    std::cout << file.string() << ": cannot read\n";
    return false;
  }
  auto c = parse_case(*text, error);
  if (!c) {
    std::cout << file.string() << ": " << error << '\n';
    return false;
  }
  fs::path dir = file.parent_path().empty() ? fs::path(".") : file.parent_path();
  auto outcome = run(nftc, dir, c->command, error);
  if (!outcome) {
    std::cout << file.string() << ": " << error << '\n';
    return false;
  }
  std::string actual = render(*outcome, dir);
  if (actual == c->expected) return true;
  if (regen) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << c->header << actual;
    std::cout << file.string() << ": updated\n";
    return static_cast<bool>(out);
  }
  std::cout << file.string() << ": the output differs from the expectation"
            << " (NFTC_REGEN=1 rewrites it after a deliberate change)\n";
  show_diff(c->expected, actual);
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  std::string nftc;
  bool regen = false;
  if (const char* env = std::getenv("NFTC_REGEN"); env && *env && std::strcmp(env, "0") != 0) regen = true;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--nftc" && i + 1 < argc) nftc = argv[++i];
    else if (a == "--regen") regen = true;
    else if (!a.empty() && a[0] == '-') {
      std::cerr << "usage: nftc-golden --nftc PATH [--regen] CASE.golden...\n";
      return kExitUsage;
    } else files.emplace_back(a);
  }
  if (nftc.empty() || files.empty()) {
    std::cerr << "usage: nftc-golden --nftc PATH [--regen] CASE.golden...\n";
    return kExitUsage;
  }
  nftc = fs::absolute(nftc).string();
  // Messages from strerror and the like must not depend on the user's locale.
  setenv("LC_ALL", "C", 1);
  int failed = 0;
  for (const fs::path& f : files)
    if (!check(nftc, f, regen)) ++failed;
  if (files.size() > 1) std::cout << files.size() - failed << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : kExitFailed;
}
