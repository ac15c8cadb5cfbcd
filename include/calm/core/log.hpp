// Logging with levels and a replaceable sink (the Python binding forwards records to a
// logging.Logger), and a progress bar that draws on a TTY for long loops and is silent otherwise.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

namespace calm {

enum class LogLevel { debug = 10, info = 20, warning = 30, error = 40, quiet = 100 };
LogLevel log_level_from_string(const std::string& s);

class Logger {
 public:
  using Sink = std::function<void(LogLevel, const std::string&)>;
  Logger();  // stderr sink, level info
  Logger(LogLevel level, Sink sink) : level_(level), sink_(std::move(sink)) {}

  void set_level(LogLevel l) { level_ = l; }
  LogLevel level() const { return level_; }
  void set_sink(Sink s) { sink_ = std::move(s); }
  // Progress bars draw only on a terminal, when not quiet, and unless disabled.
  void set_progress(bool enabled) { progress_ = enabled; }
  bool progress_enabled() const;

  void log(LogLevel l, const std::string& msg) const;
  void debug(const std::string& m) const { log(LogLevel::debug, m); }
  void info(const std::string& m) const { log(LogLevel::info, m); }
  void warning(const std::string& m) const { log(LogLevel::warning, m); }
  void error(const std::string& m) const { log(LogLevel::error, m); }

 private:
  LogLevel level_ = LogLevel::info;
  Sink sink_;
  bool progress_ = true;
};

// A progress bar for a loop of `total` steps. Draws on stderr at most ~10 times a second when the
// logger allows it; otherwise logs one debug line when done.
class Progress {
 public:
  Progress(const Logger& log, std::string label, size_t total);
  ~Progress();
  void advance(size_t steps = 1, const std::string& note = {});
  void finish();

 private:
  void draw(bool final);
  const Logger& log_;
  std::string label_, note_;
  size_t total_, done_ = 0;
  bool active_, finished_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace calm
