// Default stderr logging and the TTY progress bar.
#include "calm/core/log.hpp"

#include <unistd.h>

#include <cstdio>

#include "calm/core/error.hpp"

namespace calm {

LogLevel log_level_from_string(const std::string& s) {
  if (s == "debug") return LogLevel::debug;
  if (s == "info") return LogLevel::info;
  if (s == "warning") return LogLevel::warning;
  if (s == "error") return LogLevel::error;
  if (s == "quiet") return LogLevel::quiet;
  throw InvalidArgument("unknown log level '" + s + "'; valid: debug, info, warning, error, quiet");
}

static const char* level_name(LogLevel l) {
  switch (l) {
    case LogLevel::debug:
      return "DEBUG";
    case LogLevel::info:
      return "INFO";
    case LogLevel::warning:
      return "WARNING";
    case LogLevel::error:
      return "ERROR";
    case LogLevel::quiet:
      return "";
  }
  return "";
}

Logger::Logger()
    : sink_([](LogLevel l, const std::string& m) {
        std::fprintf(stderr, "calm %s: %s\n", level_name(l), m.c_str());
      }) {}

void Logger::log(LogLevel l, const std::string& msg) const {
  if (l < level_ || !sink_) return;
  sink_(l, msg);
}

bool Logger::progress_enabled() const {
  return progress_ && level_ <= LogLevel::info && isatty(STDERR_FILENO);
}

Progress::Progress(const Logger& log, std::string label, size_t total)
    : log_(log), label_(std::move(label)), total_(total), active_(log.progress_enabled()) {
  start_ = last_draw_ = std::chrono::steady_clock::now();
}

Progress::~Progress() {
  finish();
}

void Progress::advance(size_t steps, const std::string& note) {
  done_ += steps;
  if (!note.empty()) note_ = note;
  if (!active_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ > std::chrono::milliseconds(100) || done_ >= total_) {
    last_draw_ = now;
    draw(false);
  }
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (active_) {
    draw(true);
    std::fputc('\n', stderr);
  }
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s: %zu/%zu done in %.2f s", label_.c_str(), done_, total_, secs);
  log_.debug(buf);
}

void Progress::draw(bool) {
  const int width = 30;
  double frac = total_ ? static_cast<double>(done_) / static_cast<double>(total_) : 1.0;
  if (frac > 1) frac = 1;
  int filled = static_cast<int>(frac * width);
  std::string bar(filled, '#');
  bar.resize(width, '.');
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(stderr, "\r%s [%s] %zu/%zu %.1fs %s", label_.c_str(), bar.c_str(), done_, total_,
               secs, note_.c_str());
  std::fflush(stderr);
}

}  // namespace calm
