// The calendar-part decorator and the run's plan (see calendar_derived.hpp).
#include "api/calendar_derived.hpp"

#include <cctype>

#include "core/sequence_table.hpp"

namespace calm {
namespace {

bool word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
}

// `name` occurs in `text` as a whole word (not inside a longer name).
bool mentions(const std::string& text, const std::string& name) {
  for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
    const bool before = at == 0 || !word_char(text[at - 1]);
    const size_t end = at + name.size();
    const bool after = end == text.size() || !word_char(text[end]);
    if (before && after) return true;
  }
  return false;
}

}  // namespace

CalendarDerivedSynthesizer::CalendarDerivedSynthesizer(std::shared_ptr<Synthesizer> inner,
                                                       std::vector<CalendarColumn> derived)
    : inner_(std::move(inner)), derived_(std::move(derived)) {}

void CalendarDerivedSynthesizer::fit(const Table& data, const FitContext& ctx) {
  const Schema schema = without_calendar_columns(ctx.schema, derived_);
  const FitContext inner{schema, ctx.target_col, ctx.params, ctx.seed, ctx.threads, ctx.log};
  inner_->fit(without_calendar_columns(data, derived_), inner);
}

Table CalendarDerivedSynthesizer::sample(size_t n, const SampleContext& ctx) const {
  return with_calendar_columns(inner_->sample(n, ctx), derived_);
}

std::vector<CalendarColumn> plan_calendar_columns(const Table& data, const GenerateOptions& o,
                                                  const ValidatedRun& v, const Logger& log) {
  if (!v.method || v.method->family == "privacy" || v.method->family == "fcs" ||
      v.method->family == kSequenceFamily || v.method->family == "single-cell")
    return {};
  const std::string options = o.to_json().dump();
  std::set<std::string> keep;
  for (const auto& name : data.column_names())
    if (mentions(options, name)) keep.insert(name);
  std::vector<CalendarColumn> derived = detect_calendar_columns(data, v.schema, keep);
  for (const CalendarColumn& d : derived)
    log.info("'" + d.column + "' is the " + to_string(d.part) + " of '" + d.source +
             "' on every row: computed from the synthetic '" + d.source +
             "' instead of learnt (name it in column_types to have it learnt)");
  return derived;
}

}  // namespace calm
