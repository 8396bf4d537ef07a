#include "tests/conformance/script.hpp"

namespace nftc::conformance {

namespace {

std::string table_ref(const TableContext& t) { return t.family + " " + t.name; }

}  // namespace

std::string set_command(const TableContext& t, const Set& s) {
  std::string cmd = std::string(s.is_map() ? "add map " : "add set ") + table_ref(t) + " " + s.name + " { " + s.key;
  if (s.is_map()) cmd += " : " + s.data;
  cmd += "; ";
  if (!s.timeout.empty()) cmd += "timeout " + s.timeout + "; ";
  if (!s.flags.empty()) cmd += "flags " + s.flags + "; ";
  return cmd + "}\n";
}

std::string elements_command(const TableContext& t, const Elements& e) {
  std::string cmd = "add element " + table_ref(t) + " " + e.set + " { ";
  for (std::size_t i = 0; i < e.elements.size(); ++i) cmd += (i ? ", " : "") + e.elements[i];
  return cmd + " }\n";
}

std::string object_command(const TableContext& t, const Object& o) {
  std::string cmd = "add " + o.type + " " + table_ref(t) + " " + o.name;
  if (!o.spec.empty()) cmd += " " + o.spec;
  return cmd + "\n";
}

std::string context_script(const TableContext& t) {
  std::string s = "add table " + table_ref(t) + "\n";
  for (const Chain& c : t.chains) {
    s += "add chain " + table_ref(t) + " " + c.name;
    if (!c.definition.empty()) s += " { " + c.definition + "; }";
    s += "\n";
  }
  for (const Object& o : t.objects) s += object_command(t, o);
  for (const Set& set : t.sets) {
    s += set_command(t, set);
    for (const auto& batch : set.element_batches) s += elements_command(t, {set.name, batch});
  }
  return s;
}

std::string rule_command(const TestCase& c, std::string_view rule) {
  return "add rule " + c.family() + " " + c.table_name() + " " + c.chain_name() + " " + std::string(rule) + "\n";
}

std::string rule_command(const TestCase& c) { return rule_command(c, c.rule); }

std::string context_line_command(const TableContext& t, const ContextLine& line) {
  return std::visit(
      [&](const auto& item) -> std::string {
        using T = std::decay_t<decltype(item)>;
        if constexpr (std::is_same_v<T, Set>) return set_command(t, item);
        else if constexpr (std::is_same_v<T, Elements>) return elements_command(t, item);
        else return object_command(t, item);
      },
      line.item);
}

std::string case_script(const TestCase& c) { return context_script(*c.table) + rule_command(c); }

}  // namespace nftc::conformance
