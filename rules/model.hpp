// A rule as a conjunction of field constraints, for the lints that reason
// about what rules match: shadowing, unreachable and duplicate rules,
// contradictions, lock-outs.
//
// Soundness first: a match is "exact" only when the set of values it admits
// is known precisely (constants, prefixes, ranges, anonymous sets, the one-hot
// ct state); anything else (named sets, which change at run time; bitmask
// tests; limits and quotas, which may not match) is kept by identity or marks
// the rule opaque, and the lints stay silent about what they cannot prove.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "compiler/sema/ir.hpp"

namespace nftc::lint {

// Integers of `width` bits as sorted, disjoint, closed intervals.
class IntervalSet {
 public:
  using Value = sema::Value;
  IntervalSet() = default;
  static IntervalSet all(unsigned width);
  static IntervalSet none(unsigned width);
  static IntervalSet range(unsigned width, const Value& lo, const Value& hi);
  static IntervalSet single(unsigned width, const Value& v) { return range(width, v, v); }

  IntervalSet unite(const IntervalSet& o) const;
  IntervalSet intersect(const IntervalSet& o) const;
  IntervalSet complement() const;
  bool empty() const { return ranges_.empty(); }
  bool subset_of(const IntervalSet& o) const { return intersect(o) == *this; }
  bool contains(const Value& v) const;
  bool operator==(const IntervalSet& o) const { return width_ == o.width_ && ranges_ == o.ranges_; }
  unsigned width() const { return width_; }
  const std::vector<std::pair<Value, Value>>& ranges() const { return ranges_; }

 private:
  void normalise();
  unsigned width_ = 0;
  std::vector<std::pair<Value, Value>> ranges_;
};

// The left-hand side of a match, canonically: two matches constrain the same
// thing exactly when their ids are equal.
struct Field {
  std::string id;     // e.g. "payload/2/96/32", "meta/4", "ct/0/-1"
  unsigned width = 0; // bits
  bool string = false;
  bool operator==(const Field& o) const { return id == o.id; }
};

struct Match {
  Field field;
  bool exact = false;
  IntervalSet allowed;     // exact matches: the values that match
  std::string identity;    // inexact matches: the whole match, canonically
  const sema::Expr* expr = nullptr;  // the relational
  Span span;
};

enum class VerdictKind { none, accept, drop, reject, queue, jump, goto_, return_, continue_, nat, vmap, other };

struct RuleModel {
  const sema::Rule* rule = nullptr;
  std::vector<Match> matches;
  bool opaque = false;        // has a condition that cannot be modelled (limit, quota, numgen, ...)
  bool side_effects = false;  // changes packets or state (meta set, nat, set add, ...)
  VerdictKind verdict = VerdictKind::none;
  std::string target;         // jump/goto chain
  bool terminal = false;      // every matching packet leaves the chain here
  Span verdict_span;
};

RuleModel model_rule(const sema::Rule& rule);

// The exact constraint a rule puts on a field (the intersection of its
// exact matches on it), or nullptr when it has none.
struct MergedField {
  Field field;
  IntervalSet allowed;
  std::vector<const Match*> matches;
};
std::vector<MergedField> merge_fields(const RuleModel& m);

// Every packet `later` matches is matched by `earlier` (sound: false when
// unsure).
bool covers(const RuleModel& earlier, const RuleModel& later);

// A field whose constraints contradict each other, or nullptr.
const MergedField* contradiction(const std::vector<MergedField>& fields);

// Helpers for checks that look for particular matches.
bool is_ct_state(const Field& f);
bool is_iif_like(const Field& f);  // meta iif, iifname
// The value of a string constant of `width` bits as the model orders it.
sema::Value string_value(std::string_view s, unsigned width);

}  // namespace nftc::lint
