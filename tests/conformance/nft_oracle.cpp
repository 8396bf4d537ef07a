#include "tests/conformance/nft_oracle.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace nftc::conformance {

namespace {

// Runs argv, standard input from `input_file`, and returns (status, stderr).
std::pair<int, std::string> run(const std::vector<std::string>& argv, const std::string& input_file) {
  int err[2];
  if (pipe(err) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    std::FILE* in = std::fopen(input_file.c_str(), "r");
    if (in) dup2(fileno(in), 0);
    dup2(err[1], 2);
    dup2(err[1], 1);
    close(err[0]);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(err[1]);
  std::string out;
  std::array<char, 4096> buf;
  ssize_t n;
  while ((n = read(err[0], buf.data(), buf.size())) > 0) out.append(buf.data(), static_cast<std::size_t>(n));
  close(err[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128, out};
}

}  // namespace

NftOracle::NftOracle(std::string nft_path) : nft_(std::move(nft_path)) {
  netns_ = "nftc-oracle-" + std::to_string(getpid());
  auto [rc, out] = run({"ip", "netns", "add", netns_}, "/dev/null");
  if (rc != 0) throw std::runtime_error("cannot create network namespace " + netns_ + ": " + out);
}

NftOracle::~NftOracle() { run({"ip", "netns", "del", netns_}, "/dev/null"); }

TextCompileResult NftOracle::operator()(const TextCompileRequest& req) const {
  TextCompileResult r;
  std::string file = "/tmp/" + netns_ + ".nft";
  {
    std::ofstream out(file);
    out << req.text;
  }
  auto [rc, out] = run({"ip", "netns", "exec", netns_, nft_, "-c", "-f", file}, "/dev/null");
  r.ok = rc == 0;
  r.diagnostics = out;
  return r;
}

}  // namespace nftc::conformance
