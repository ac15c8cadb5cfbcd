// Atomic file writes shared by every writer (CSV, model files, JSON, HTML, PNG): the contents go to
// a temporary file in the target's folder and are renamed over the target when complete.
#pragma once

#include <string>

namespace calm {

// IoError naming the path when the folder is missing or not writable, or the disk is full; the
// temporary file is removed on failure.
void write_file_atomically(const std::string& path, const std::string& contents);

// Makes SIGINT and SIGTERM remove the temporary files being written before the process ends with
// that signal (the front ends call it once; a library user keeps their own handlers). SIGKILL
// cannot be caught: its leftovers are named <target>.tmp-<pid>-<n>, never like a complete file.
void remove_temp_files_on_interrupt();

}  // namespace calm
