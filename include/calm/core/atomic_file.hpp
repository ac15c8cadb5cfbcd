// Atomic file writes shared by every writer (CSV, model files, JSON, HTML, PNG): the contents go to
// a temporary file in the target's folder and are renamed over the target when complete.
#pragma once

#include <string>

namespace calm {

// IoError naming the path when the folder is missing or not writable, or the disk is full; the
// temporary file is removed on failure.
void write_file_atomically(const std::string& path, const std::string& contents);

}  // namespace calm
