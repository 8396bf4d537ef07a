#include "rules/engine.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "rules/rules.hpp"

namespace nftc::lint {

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// A selector names a rule by code prefix ("COR", "COR002") or slug.
bool selects(std::string_view selector, const LintRule& rule) {
  if (selector == rule.slug) return true;
  std::string s = upper(selector);
  return !s.empty() && std::string_view(rule.code).substr(0, s.size()) == s;
}

bool selects_code(std::string_view selector, std::string_view code) {
  std::string s = upper(selector);
  if (!s.empty() && code.substr(0, s.size()) == s) return true;
  const LintRule* r = find_rule(selector);
  return r != nullptr && r->code == code;
}

bool file_matches(std::string_view glob, const std::string& file) {
  std::string g(glob);
  if (fnmatch(g.c_str(), file.c_str(), 0) == 0) return true;
  std::string base = std::filesystem::path(file).filename().string();
  return fnmatch(g.c_str(), base.c_str(), 0) == 0;
}

// `# nftc: ignore[A, B]` comments: where they are and what they name.
struct Suppression {
  FileId file = kNoFile;
  std::uint32_t line = 0;
  Span span;
  std::vector<std::string> codes;
  std::vector<bool> used;
};

std::vector<Suppression> find_suppressions(const SourceManager& sm) {
  std::vector<Suppression> out;
  constexpr std::string_view marker = "nftc: ignore[";
  for (std::size_t f = 0; f < sm.size(); ++f) {
    std::string_view text = sm.file(static_cast<FileId>(f)).text;
    std::size_t pos = 0;
    while ((pos = text.find('#', pos)) != std::string_view::npos) {
      std::size_t eol = text.find('\n', pos);
      if (eol == std::string_view::npos) eol = text.size();
      std::string_view comment = text.substr(pos, eol - pos);
      std::size_t at = comment.find(marker);
      if (at != std::string_view::npos) {
        std::size_t open = at + marker.size();
        std::size_t close = comment.find(']', open);
        if (close != std::string_view::npos) {
          Suppression s;
          s.file = static_cast<FileId>(f);
          s.span = Span{s.file, static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(eol)};
          s.line = sm.begin(s.span).line;
          std::string_view list = comment.substr(open, close - open);
          std::size_t start = 0;
          while (start <= list.size()) {
            std::size_t comma = list.find(',', start);
            if (comma == std::string_view::npos) comma = list.size();
            std::string_view code = list.substr(start, comma - start);
            while (!code.empty() && code.front() == ' ') code.remove_prefix(1);
            while (!code.empty() && code.back() == ' ') code.remove_suffix(1);
            if (!code.empty()) s.codes.emplace_back(code);
            start = comma + 1;
          }
          s.used.assign(s.codes.size(), false);
          out.push_back(std::move(s));
        }
      }
      pos = eol;
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> find_config(const std::string& dir) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(dir.empty() ? "." : dir, ec);
  if (ec) return std::nullopt;
  for (;;) {
    std::filesystem::path candidate = p / "nftc.toml";
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
    if (!p.has_parent_path() || p.parent_path() == p) return std::nullopt;
    p = p.parent_path();
  }
}

bool load_config(const std::string& path, LintOptions& opts, DiagnosticSink& sink) {
  auto fail = [&](std::string message) {
    Diagnostic& d = sink.error("CFG001", Span{}, std::move(message));
    d.path = path;
    return false;
  };
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return fail(fmt::format("{}:{}:{}: {}", path, e.source().begin.line, e.source().begin.column, e.description()));
  }
  const toml::table* lint = root["lint"].as_table();
  if (lint == nullptr) return true;
  auto strings = [&](const toml::node* n, std::string_view key, std::vector<std::string>& out) {
    if (n == nullptr) return true;
    const toml::array* a = n->as_array();
    if (a == nullptr) return fail(fmt::format("{}: lint.{} must be an array of strings", path, key));
    for (const toml::node& x : *a) {
      auto v = x.value<std::string>();
      if (!v) return fail(fmt::format("{}: lint.{} must be an array of strings", path, key));
      out.push_back(*v);
    }
    return true;
  };
  for (auto&& [k, v] : *lint) {
    std::string_view key = k.str();
    if (key == "select") {
      opts.select.clear();
      if (!strings(&v, key, opts.select)) return false;
    } else if (key == "ignore") {
      if (!strings(&v, key, opts.ignore)) return false;
    } else if (key == "fail-on") {
      auto s = v.value<std::string>();
      if (!s || (*s != "error" && *s != "warning" && *s != "info"))
        return fail(fmt::format("{}: lint.fail-on must be \"error\", \"warning\" or \"info\"", path));
      opts.fail_on = *s == "error" ? Severity::error : *s == "warning" ? Severity::warning : Severity::info;
    } else if (key == "target") {
      auto s = v.value<std::string>();
      if (!s || (*s != "sw" && *s != "hw-offload"))
        return fail(fmt::format("{}: lint.target must be \"sw\" or \"hw-offload\"", path));
      opts.target = *s == "hw-offload" ? Target::hw_offload : Target::sw;
    } else if (key == "per-file-ignores") {
      const toml::table* t = v.as_table();
      if (t == nullptr) return fail(fmt::format("{}: lint.per-file-ignores must be a table", path));
      for (auto&& [glob, codes] : *t) {
        std::vector<std::string> list;
        if (!strings(&codes, "per-file-ignores", list)) return false;
        opts.per_file_ignores.emplace_back(std::string(glob.str()), std::move(list));
      }
    } else {
      return fail(fmt::format("{}: unknown setting lint.{} (known: select, ignore, fail-on, target, "
                              "per-file-ignores)",
                              path, key));
    }
  }
  for (const auto& list : {opts.select, opts.ignore})
    for (const std::string& s : list) {
      bool known = std::any_of(all_rules().begin(), all_rules().end(), [&](const LintRule* r) { return selects(s, *r); });
      if (!known) return fail(fmt::format("{}: '{}' names no lint rule (see `nftc rules`)", path, s));
    }
  return true;
}

bool rule_enabled(const LintRule& rule, const LintOptions& opts) {
  if (!opts.select.empty() &&
      std::none_of(opts.select.begin(), opts.select.end(), [&](const std::string& s) { return selects(s, rule); }))
    return false;
  return std::none_of(opts.ignore.begin(), opts.ignore.end(), [&](const std::string& s) { return selects(s, rule); });
}

void run_lints(const LintContext& ctx, const LintOptions& opts, DiagnosticSink& sink) {
  std::vector<Diagnostic> found;
  for (const LintRule* rule : all_rules()) {
    if (rule->check == nullptr || !rule_enabled(*rule, opts)) continue;
    Findings f(*rule, found);
    rule->check(ctx, f);
  }

  // Per-file ignores.
  std::erase_if(found, [&](const Diagnostic& d) {
    if (!d.primary.valid() || d.severity == Severity::error) return false;
    const std::string& file = ctx.sm.file(d.primary.file).name;
    for (const auto& [glob, codes] : opts.per_file_ignores)
      if (file_matches(glob, file) &&
          std::any_of(codes.begin(), codes.end(), [&](const std::string& c) { return selects_code(c, d.code); }))
        return true;
    return false;
  });

  // Inline suppressions: on the finding's line or the line before it.
  std::vector<Suppression> sups = find_suppressions(ctx.sm);
  std::erase_if(found, [&](const Diagnostic& d) {
    if (!d.primary.valid() || d.severity == Severity::error) return false;
    std::uint32_t line = ctx.sm.begin(d.primary).line;
    bool hit = false;
    for (Suppression& s : sups) {
      if (s.file != d.primary.file || (s.line != line && s.line + 1 != line)) continue;
      for (std::size_t i = 0; i < s.codes.size(); ++i)
        if (selects_code(s.codes[i], d.code)) hit = s.used[i] = true;
    }
    return hit;
  });
  for (Diagnostic& d : found) sink.all().push_back(std::move(d));

  // Suppressions that suppressed nothing, and those naming errors.
  if (!rule_enabled(kUnusedSuppression, opts)) return;
  for (const Suppression& s : sups) {
    for (std::size_t i = 0; i < s.codes.size(); ++i) {
      if (s.used[i]) continue;
      const std::string& code = s.codes[i];
      bool names_rule = std::any_of(all_rules().begin(), all_rules().end(),
                                    [&](const LintRule* x) { return selects(code, *x); });
      bool ran = std::any_of(all_rules().begin(), all_rules().end(),
                             [&](const LintRule* x) { return selects(code, *x) && rule_enabled(*x, opts); });
      std::string msg;
      if (!names_rule && find_builtin_code(upper(code)) != nullptr)
        msg = fmt::format("'{}' is an error: errors cannot be suppressed", code);
      else if (!names_rule)
        msg = fmt::format("'{}' names no lint rule", code);
      else if (!ran)
        continue;  // the rule did not run: nothing to judge
      else
        msg = fmt::format("unused suppression: no {} finding on this line or the next", code);
      Diagnostic d;
      d.code = std::string(kUnusedSuppression.code);
      d.severity = kUnusedSuppression.severity;
      d.primary = s.span;
      d.message = std::move(msg);
      d.help = "remove it from the comment";
      sink.all().push_back(std::move(d));
    }
  }
}

}  // namespace nftc::lint
