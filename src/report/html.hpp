// Building blocks of the self-contained HTML reports: the page shell with its inline style sheet
// (no script, no external resource), tables, score cards and key/value listings of JSON results.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calm/core/params.hpp"

namespace calm::report {

// <!DOCTYPE html> ... with `title`, a navigation bar over `sections` (id, label) and `body`.
std::string html_page(const std::string& title, const std::string& subtitle,
                      const std::vector<std::pair<std::string, std::string>>& sections,
                      const std::string& body);
std::string section(const std::string& id, const std::string& title, const std::string& body);
// Cells are escaped; `numeric_from` and later columns are right-aligned.
std::string table(const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows, size_t numeric_from = 1);
// A coloured card (>= 0.75 green, >= 0.5 amber, else red; grey when absent), value in %.
std::string score_card(const std::string& label, std::optional<double> value,
                       const std::string& note = {});
// Neutral card with a pre-formatted value.
std::string info_card(const std::string& label, const std::string& value);
std::string paragraph(const std::string& text, const std::string& css_class = {});
// Scalars of a JSON object as a two-column table (nested objects flattened with dots; arrays of
// objects as their own tables).
std::string json_table(const Json& j);
std::string fmt(double v, int decimals = 4);

}  // namespace calm::report
