// Internal to io: a new database file built under a temporary name next to its target and given
// the target's name on commit, so that a reader never finds a half-written database under the
// target's name. It mirrors calm::AtomicFile (core), whose file is written through a descriptor it
// owns, for a file that another library (SQLite) opens and writes by name:
//   - the temporary name is <target>.tmp-<pid>-db<n>, created empty with O_EXCL;
//   - the destructor (an error, an exception unwinding) removes it and its -journal;
//   - SIGINT/SIGTERM remove it and its journal too when the front end asked for that with
//     calm::remove_temp_files_on_interrupt() (both are registered with register_temp_file);
//   - SIGKILL leaves <target>.tmp-<pid>-db<n>, never a file under the target's name.
#pragma once

#include <string>

namespace calm::db_detail {

class PendingFile {
 public:
  // IoError naming the path when the folder is missing or not writable.
  explicit PendingFile(const std::string& target);
  ~PendingFile();
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;

  const std::string& temp_path() const { return temp_path_; }
  // Flushes the temporary file to disk and gives it the target's name (the writer must have
  // closed it). IoError on failure, also when a file appeared under the target's name meanwhile
  // (it is never replaced); the temporary file is then removed.
  void commit();

 private:
  std::string target_, temp_path_;
  int tickets_[2] = {-1, -1};  // the file's and its journal's (register_temp_file)
  bool committed_ = false;
};

}  // namespace calm::db_detail
