// Semantic analysis: AST → ruleset IR, checking everything nft checks
// before it sends a batch to the kernel.
//
// Commands are evaluated in order against the state built so far (nft's
// cache), exactly as nft evaluates them: a rule sees the sets and chains
// added before it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ast.hpp"
#include "compiler/diagnostics.hpp"
#include "compiler/sema/context.hpp"
#include "compiler/sema/ir.hpp"

namespace nftc::sema {

struct AnalyseOptions {
  bool define_tables_implicitly = false;  // tolerate rules for tables never added (for snippets)
};

// One evaluated command, in file order: what the netlink backend sends and
// what `--emit bytecode` prints.
struct Action {
  enum class Kind { add_table, add_chain, add_rule, add_set, add_elements, add_flowtable, add_object, del, flush,
                    rename, other };
  Kind kind = Kind::other;
  ast::CmdOp op = ast::CmdOp::add;
  ast::CmdObj obj = ast::CmdObj::table;  // what a delete, flush or rename names
  std::uint32_t object_type = 0;         // NFT_OBJECT_* for objects
  Family family = Family::ip;
  bool family_explicit = false;  // flush ruleset: of one family, or of all
  std::string table_name, name, new_name;
  std::optional<std::uint64_t> handle;
  Table* table = nullptr;
  Chain* chain = nullptr;
  Rule* rule = nullptr;
  Set* set = nullptr;
  Flowtable* flowtable = nullptr;
  Object* object = nullptr;
  Expr* elements = nullptr;   // add/delete element
  std::vector<Set*> anonymous_sets;  // sets created while evaluating a rule (in order)
  Span span;
};

struct Analysis {
  Ruleset ruleset;
  TypeStore types;
  std::vector<Action> actions;
};

class Analyzer {
 public:
  Analyzer(SourceManager& sm, DiagnosticSink& sink, const AnalyseOptions& opts);
  ~Analyzer();

  // Analyses every command of the script; errors go to the sink.
  std::unique_ptr<Analysis> run(const ast::Script& script);

  // The "cache" evaluation works against.
  Table* find_table(Family f, std::string_view name);
  Chain* find_chain(Table* t, std::string_view name);
  Set* find_set(Table* t, std::string_view name);
  Flowtable* find_flowtable(Table* t, std::string_view name);
  Object* find_object(Table* t, std::uint32_t type, std::string_view name);

  // Records a set nft declares implicitly (anonymous sets, meters).
  void add_implicit_set(EvalCtx& ctx, Set* set);
  // Records an anonymous chain (jump { … }).
  void add_binding_chain(EvalCtx& ctx, Chain* chain);

  Analysis& out() { return *out_; }
  SourceManager& sources() { return sm_; }
  DiagnosticSink& sink() { return sink_; }

  // Evaluation entry points used by the command evaluator.
  bool evaluate_rule(EvalCtx& ctx, Rule* rule);
  bool evaluate_set(EvalCtx& ctx, Set* set);
  // The kernel's lookups of named objects: a reference by name, and the
  // objects an object map's elements name.
  bool check_object(EvalCtx& ctx, std::uint32_t type, const Expr* name);
  bool check_object_elements(EvalCtx& ctx, const Set* set, const Expr* init);

 struct Impl;  // the cache; defined in analyzer.cpp

 private:
  SourceManager& sm_;
  DiagnosticSink& sink_;
  AnalyseOptions opts_;
  std::unique_ptr<Analysis> out_;
  std::unique_ptr<Impl> impl_;
  friend struct Impl;
};

// Evaluation functions (nft's evaluate.c), grouped by file.
bool expr_evaluate(EvalCtx& ctx, Expr*& expr);
bool stmt_evaluate(EvalCtx& ctx, Stmt* stmt);
bool set_evaluate(EvalCtx& ctx, Set* set);
bool byteorder_conversion(EvalCtx& ctx, Expr*& expr, ByteOrder order);
Expr* implicit_set_declaration(EvalCtx& ctx, std::string_view name, Expr* key, Expr* data, Expr* init,
                               std::uint32_t flags);
bool elems_evaluate(EvalCtx& ctx, Set* set);
bool interval_set_eval(EvalCtx& ctx, Set* set, Expr* init);
bool rule_postprocess(EvalCtx& ctx, Rule* rule);
// The common end of evaluating a map or object-map lookup (eval_relational.cpp).
bool map_lookup_finish(EvalCtx& ctx, Expr* map);
// Whether nft merges two adjacent payload matches (`tcp sport 1 tcp dport 2`)
// into one load; rule_postprocess does, except in hardware-offload chains.
bool payloads_merge(const Expr* a, const Expr* b);

// A value built from the low bytes of a host integer, read in `order`
// (nft's constant_data_ptr idiom).
Value constant_data(std::uint64_t v, unsigned len_bits, ByteOrder order);
// The low bytes of `v` exported in `order`, as a host integer (the inverse).
std::uint64_t export_u64(const Value& v, unsigned len_bits, ByteOrder order);

}  // namespace nftc::sema
