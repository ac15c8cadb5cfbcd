// The bad-input catalogue (docs/robustness.md): every input a user may hand calm by mistake gets
// exit code 2 and a message naming the problem (and the valid choices where there are some), the
// input file is left as it was, and nothing is written to the output folder. Inputs that are
// unusual but valid (a BOM, CRLF line ends, one column, a constant column, very long cells) are
// accepted and read right.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "calm/api/methods.hpp"
#include "cli_test_support.hpp"

namespace fs = std::filesystem;
using namespace calm::cli_test;

namespace {

std::string rows(const std::string& header, const std::string& row, int n) {
  std::string s = header;
  for (int i = 0; i < n; ++i) s += row;
  return s;
}

// A small valid table: x numeric, g categorical, y 0/1.
std::string table(int n = 40) {
  std::string s = "x,g,y\n";
  for (int i = 0; i < n; ++i)
    s += std::to_string(i % 17) + "." + std::to_string(i % 10) + "," + "abc"[i % 3] + "," +
         std::to_string(i % 2) + "\n";
  return s;
}

struct Case {
  std::string name;
  std::string command;              // calm arguments; INPUT is the case's input file
  std::vector<std::string> expect;  // substrings of the message
  std::string input = table();      // bytes of the input file
  std::string input_name = "in.csv";
  std::string prefix;  // shell prefix (ulimit)
};

std::vector<Case> catalogue(const TempDir& d) {
  const std::string gen = "generate INPUT -n 20 --no-report";
  int configs = 0;
  auto with_config = [&](const std::string& json) {
    const std::string cfg = d.file("cfg" + std::to_string(configs++) + ".json", json);
    return gen + " --config " + cfg;
  };
  std::vector<Case> c;
  // CSV syntax and shape.
  c.push_back({"unclosed quote", gen, {"quote"}, "a,b\n1,\"x\n2,3\n"});
  c.push_back({"ragged rows", gen, {"line 3"}, "a,b\n1,2\n3\n4,5\n"});
  c.push_back({"embedded NUL", gen, {"NUL"}, std::string("a,b\n1,x\0y\n2,z\n", 15)});
  c.push_back({"non-UTF-8 bytes", gen, {"UTF-8"}, "a,b\n1,caf\xe9\n2,x\n"});
  c.push_back({"empty file", gen, {"empty"}, ""});
  c.push_back({"header only", gen, {"no rows"}, "a,b\n"});
  c.push_back({"duplicate column names", gen, {"duplicate", "'a'"}, "a,a\n1,2\n3,4\n5,6\n"});
  c.push_back({"empty column name", gen, {"empty", "name"}, "a,\n1,2\n3,4\n5,6\n"});
  c.push_back({"one row", gen + " -m resample", {"at least 2 rows"}, "a,b\n1,2\n"});
  c.push_back({"all-missing column",
               gen + " -m resample",
               {"column 'b' has no values"},
               "a,b\n1,\n2,\n3,\n"});
  c.push_back(
      {"missing input file", "generate " + d.path.string() + "/nope.csv -n 5", {"nope.csv"}});
  // Values.
  c.push_back({"infinite values",
               gen + " -m cart",
               {"infinite"},
               rows("a,b\n", "1,2\n", 10) + "3,inf\n4,-inf\n"});
  c.push_back({"target with one class",
               gen + " -m cart --target y --param balance_target=1",
               {"balance_target"},
               rows("x,y\n", "1.5,a\n", 30)});
  // Options.
  c.push_back({"n_samples zero", "generate INPUT -n 0", {"n_samples"}});
  c.push_back({"n_samples negative", "generate INPUT -n -5", {"n_samples"}});
  c.push_back({"n_samples not a number", "generate INPUT -n many", {"many"}});
  c.push_back({"unknown method", gen + " -m magic", {"valid methods:", "cart"}});
  c.push_back({"unknown option in config",
               with_config("{\"n_sampels\": 3}"),
               {"n_sampels", "valid options:"}});
  c.push_back({"target not in data", gen + " --target nope", {"target_col 'nope'"}});
  c.push_back({"unknown column type", gen + " --type x=number", {"numerical"}});
  c.push_back(
      {"holdout fraction out of range", gen + " --holdout-fraction 1.5", {"holdout_fraction"}});
  // Method parameters: zero, negative, huge, wrong type, unknown.
  c.push_back({"unknown model_param",
               gen + " -m gaussian_copula --param nope=1",
               {"nope", "valid parameters:"}});
  c.push_back({"cart min_samples_leaf zero",
               gen + " -m cart --param min_samples_leaf=0",
               {"min_samples_leaf"}});
  c.push_back(
      {"rf n_estimators huge", gen + " -m rf --param n_estimators=100000000", {"n_estimators"}});
  c.push_back(
      {"gmm n_components negative", gen + " -m gmm --param n_components=-2", {"n_components"}});
  // (A build without libtorch declares ctgan without building it: then the message says so.)
  const calm::MethodInfo* ctgan = calm::method_registry().find("ctgan");
  const bool deep_built = ctgan && ctgan->available;
  c.push_back({"ctgan epochs wrong type",
               gen + " -m ctgan --param epochs=many",
               {deep_built ? "epochs" : "ctgan"}});
  c.push_back({"smote k_neighbors zero",
               gen + " -m smote --target y --param k_neighbors=0",
               {"k_neighbors"}});
  c.push_back({"dp epsilon negative", gen + " -m dp --param epsilon=-1", {"epsilon"}});
  c.push_back(
      {"dp unknown synth_type", gen + " -m dp --param synth_type=gan", {"mst", "pate_ctgan"}});
  // Configs: unknown keys, contradictions, shares.
  c.push_back({"drift: unknown method",
               with_config("{\"drift_injection_config\": [{\"method\": \"shift_it\"}]}"),
               {"shift_it", "inject_feature_drift"}});
  c.push_back({"dynamics: unknown key",
               with_config("{\"dynamics_config\": {\"evolve\": {}}}"),
               {"evolve"}});
  c.push_back({"constraints: unknown type",
               with_config("{\"constraints\": [{\"type\": \"sometimes\", \"col\": \"x\"}]}"),
               {"sometimes"}});
  c.push_back({"constraints: contradictory",
               with_config("{\"constraints\": [{\"col\": \"x\", \"op\": \">\", \"val\": 50}, "
                           "{\"col\": \"x\", \"op\": \"<\", \"val\": 3}]}"),
               {"constraint"}});
  c.push_back({"custom shares do not sum to 1",
               with_config("{\"custom_distributions\": {\"g\": {\"a\": 0.5, \"b\": 0.2}}}"),
               {"sum"}});
  c.push_back({"custom shares name an absent class",
               with_config("{\"custom_distributions\": {\"g\": {\"a\": 0.5, \"zzz\": 0.5}}}"),
               {"zzz"}});
  c.push_back({"dates: bad start", with_config("{\"date_start\": \"yesterday\"}"), {"date_start"}});
  c.push_back({"dates: unknown step unit",
               with_config("{\"date_start\": \"2024-01-01\", \"date_step\": {\"fortnights\": 1}}"),
               {"fortnights"}});
  // Model files.
  const std::string sample = "sample INPUT -n 5";
  c.push_back({"model file: foreign", sample, {"model"}, table(), "m.calm"});
  c.push_back({"model file: random bytes",
               sample,
               {"model"},
               std::string("\x89\x01\x02garbage\xff\xfe", 12),
               "m.calm"});
  c.push_back(
      {"model file: missing", "sample " + d.path.string() + "/none.calm -n 5", {"none.calm"}});
  // Output.
  c.push_back({"output folder is a file",
               "generate INPUT -n 5 -o " + d.file("occupied", "x"),
               {"occupied"}});
  c.push_back({"output name leaving the output folder",
               gen + " --name ../escaped",
               {"generator_name", "'/'"}});
  c.push_back({"full disk (file size limit)",
               "generate INPUT -n 200000 -m resample",
               {"write"},
               table(),
               "in.csv",
               "ulimit -f 64; "});
  return c;
}

}  // namespace

TEST(BadInputs, EveryCatalogueEntryExits2WithAMessageAndLeavesNothing) {
  TempDir d;
  const std::vector<Case> cases = catalogue(d);
  EXPECT_GE(cases.size(), 40u);
  for (const Case& c : cases) {
    const TempDir work;
    const std::string input = work.file(c.input_name, c.input);
    const fs::path out = work.path / "out";
    std::string command = c.command;
    if (const size_t at = command.find("INPUT"); at != std::string::npos)
      command.replace(at, 5, input);
    if (command.find(" -o ") == std::string::npos) command += " -o " + out.string();
    std::string output;
    const int rc = run(command + " --seed 1", &output, c.prefix);
    EXPECT_EQ(rc, 2) << c.name << ": " << output;
    for (const std::string& e : c.expect)
      EXPECT_NE(output.find(e), std::string::npos)
          << c.name << ": expected '" << e << "' in: " << output;
    EXPECT_EQ(slurp(input), c.input) << c.name << ": the input file changed";
    bool left = false;
    if (fs::exists(out))
      for (const auto& e : fs::recursive_directory_iterator(out)) left |= e.is_regular_file();
    EXPECT_FALSE(left) << c.name << ": output left behind";
  }
}

// Unusual but valid inputs are read right.
// `columns` numeric columns of `n` rows.
std::string wide_table(int columns, int n) {
  // (appends, not "," + std::to_string(...): GCC 12's -Wrestrict false positive)
  std::string s;
  for (int j = 0; j < columns; ++j) {
    s.append(j ? ",c" : "c");
    s.append(std::to_string(j));
  }
  s.push_back('\n');
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < columns; ++j) {
      if (j) s.push_back(',');
      s.append(std::to_string((i * 7 + j * 3) % 11));
    }
    s.push_back('\n');
  }
  return s;
}

// A key column with `n` distinct values (an id to calm: fresh keys) beside a small category.
std::string distinct_categories(int n) {
  std::string s = "k,x\n";
  for (int i = 0; i < n; ++i) {
    s.push_back('u');
    s.append(std::to_string(i));
    s.push_back(',');
    s.append(std::to_string(i % 13));
    s.push_back('\n');
  }
  return s;
}

TEST(BadInputs, UnusualButValidInputsAreAccepted) {
  struct Valid {
    std::string name, bytes, args;
  };
  const std::string long_cell(200000, 'x');
  const std::vector<Valid> cases = {
      {"UTF-8 BOM", "\xEF\xBB\xBF" + rows("a,b\n", "1,2\n", 10), ""},
      {"CRLF line ends", rows("a,b\r\n", "1,2\r\n", 5) + rows("", "3,4\r\n", 5), ""},
      {"one column", rows("a\n", "1\n", 5) + rows("", "2\n", 5), ""},
      {"a constant column", rows("a,b\n", "1,7\n", 5) + rows("", "2,7\n", 5), ""},
      {"a very long cell", "a,b\n1," + long_cell + "\n2,y\n3,y\n", " -m resample"},
      {"dates in mixed formats", "d,v\n2024-01-01,1\n01/02/2024,2\n2024-03-01,3\n", ""},
      {"';'-separated (sniffed)", rows("a;b;c\n", "1;2;x\n", 10), ""},
      {"10,000 columns", wide_table(10000, 12), " -m resample"},
      {"1,000,000 distinct categories", distinct_categories(1000000), " -m cart"},
  };
  for (const auto& v : cases) {
    const TempDir work;
    const std::string input = work.file("in.csv", v.bytes);
    std::string output;
    const int rc = run("generate " + input + " -n 10 --no-report -q" + v.args + " -o " +
                           (work.path / "out").string(),
                       &output);
    EXPECT_EQ(rc, 0) << v.name << ": " << output;
    const std::string syn = slurp(work.path / "out" / "RealGenerator_synthetic.csv");
    EXPECT_FALSE(syn.empty()) << v.name;
    EXPECT_NE(syn.substr(0, 1), "\xEF") << v.name << ": the BOM must not reach the header";
    EXPECT_EQ(syn.find('\r'), std::string::npos) << v.name;
    EXPECT_EQ(std::count(syn.begin(), syn.end(), '\n'), 11) << v.name << ": a header and 10 rows";
    if (v.name == "10,000 columns" || v.name == "1,000,000 distinct categories") {
      EXPECT_EQ(syn.substr(0, syn.find('\n')), v.bytes.substr(0, v.bytes.find('\n'))) << v.name;
    }
    if (v.name.find("';'") != std::string::npos) {
      EXPECT_EQ(syn.substr(0, 6), "a,b,c\n") << "three columns, written comma-separated";
    }
  }
}

// Strings from the data (a column name, category values) stay escaped in every HTML report.
TEST(BadInputs, DataStringsStayEscapedInHtmlReports) {
  const TempDir work;
  std::string csv = "x,\"<script>alert(1)</script>\",g\n";
  for (int i = 0; i < 60; ++i)
    csv += std::to_string(i % 7) + ".5," +
           (i % 3 == 0   ? "<script>alert(2)</script>"
            : i % 3 == 1 ? "<b>bold</b>"
                         : "a&b") +
           "," + (i % 2 ? "p" : "q") + "\n";
  const std::string input = work.file("in.csv", csv);
  std::string output;
  ASSERT_EQ(run("generate " + input + " -n 50 -m cart -q --adversarial-validation -o " +
                    (work.path / "out").string(),
                &output),
            0)
      << output;
  int reports = 0;
  for (const auto& e : fs::directory_iterator(work.path / "out")) {
    if (e.path().extension() != ".html") continue;
    ++reports;
    const std::string html = slurp(e.path());
    EXPECT_EQ(html.find("<script>alert"), std::string::npos) << e.path();
    EXPECT_EQ(html.find("<b>bold"), std::string::npos) << e.path();
    EXPECT_NE(html.find("&lt;script&gt;alert(1)"), std::string::npos) << e.path();
  }
  EXPECT_GE(reports, 2);
}
