// Atomic file writes shared by every writer (CSV, model files, JSON, HTML, PNG): the contents go to
// a temporary file in the target's folder and are renamed over the target when complete.
#pragma once

#include <string>
#include <string_view>

namespace calm {

// A file written in pieces that appears under its name only when commit() is called: until then
// the bytes go to <path>.tmp-<pid>-<n> in the same folder, which the destructor (an error, an
// exception unwinding) and SIGINT/SIGTERM (remove_temp_files_on_interrupt) remove.
class AtomicFile {
 public:
  // IoError naming the path when the folder is missing or not writable.
  explicit AtomicFile(const std::string& path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  // IoError when the disk is full or the file is over the size limit (the temp file is removed).
  void append(std::string_view bytes);
  // Flushes to disk and renames over the target.
  void commit();
  const std::string& path() const { return path_; }

 private:
  [[noreturn]] void fail(const std::string& what, int err);
  std::string path_, temp_path_;
  int fd_ = -1, slot_ = -1;
  bool committed_ = false;
};

// The folder an output file `path` goes into; IoError naming the path when it names a folder or
// its folder does not exist (every atomic writer checks this before creating its temporary file).
std::string output_folder(const std::string& path);

// IoError naming the path when the folder is missing or not writable, or the disk is full; the
// temporary file is removed on failure.
void write_file_atomically(const std::string& path, const std::string& contents);

// A temporary file that another writer (e.g. SQLite) creates by name, removed by the SIGINT/SIGTERM
// handler below until unregistered; returns a ticket (-1: no slot left, the file is then not
// removed on a signal). The caller removes the file itself on errors.
int register_temp_file(const std::string& path);
void unregister_temp_file(int ticket);

// Makes SIGINT and SIGTERM remove the temporary files being written before the process ends with
// that signal (the front ends call it once; a library user keeps their own handlers). SIGKILL
// cannot be caught: its leftovers are named <target>.tmp-<pid>-<n>, never like a complete file.
void remove_temp_files_on_interrupt();

}  // namespace calm
