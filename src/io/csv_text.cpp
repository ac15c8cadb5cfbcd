// CsvText: a regular file is mapped read-only with MAP_POPULATE (one batched fault-in, no copy)
// over a zeroed anonymous reservation one padding longer, so the bytes after the end of the file
// read as zeros; only the page that receives a missing final '\n' is made writable (copy-on-write).
#include "csv_text.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "calm/core/error.hpp"
#include "csv_tokenizer.hpp"

namespace calm::csv_detail {

namespace {

std::string read_all(int fd, const std::string& path) {
  std::string bytes;
  char chunk[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n == 0) return bytes;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw IoError("cannot read '" + path + "': " + std::strerror(errno));
    }
    bytes.append(chunk, static_cast<size_t>(n));
  }
}

struct FdCloser {
  int fd;
  ~FdCloser() { ::close(fd); }
};

}  // namespace

void CsvText::adopt_copy(std::string bytes) {
  copy_ = std::move(bytes);
  if (!copy_.empty() && copy_.back() != '\n') copy_.push_back('\n');
  size_ = copy_.size();
  copy_.append(kTokenizerPadding, '\0');
  data_ = copy_.data();
}

CsvText CsvText::from_string(const std::string& text) {
  CsvText out;
  std::string bytes;
  bytes.reserve(text.size() + 1 + kTokenizerPadding);
  bytes.append(text);
  out.adopt_copy(std::move(bytes));
  return out;
}

CsvText CsvText::from_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw IoError("cannot open '" + path + "': " + std::strerror(errno));
  FdCloser closer{fd};
  struct stat st;
  if (::fstat(fd, &st) != 0) throw IoError("cannot read '" + path + "': " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw IoError("cannot read '" + path + "': it is a folder, not a file");
  CsvText out;
  if (!S_ISREG(st.st_mode) || st.st_size == 0) {  // pipes, devices; and nothing to map
    out.adopt_copy(read_all(fd, path));
    return out;
  }
  const size_t size = static_cast<size_t>(st.st_size);
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  const size_t total = (size + 1 + kTokenizerPadding + page - 1) / page * page;
  void* base = ::mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) {  // no address space for a mapping: fall back to reading
    out.adopt_copy(read_all(fd, path));
    return out;
  }
  out.map_ = base;
  out.map_size_ = total;
  if (::mmap(base, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0) == MAP_FAILED)
    throw IoError("cannot map '" + path + "': " + std::strerror(errno));
  char* bytes = static_cast<char*>(base);
  out.data_ = bytes;
  out.size_ = size;
  if (bytes[size - 1] != '\n') {
    char* last_page = bytes + size / page * page;
    if (size % page != 0 && ::mprotect(last_page, page, PROT_READ | PROT_WRITE) != 0)
      throw IoError("cannot map '" + path + "': " + std::strerror(errno));
    bytes[size] = '\n';
    out.size_ = size + 1;
  }
  return out;
}

CsvText::CsvText(CsvText&& other) noexcept
    : size_(other.size_),
      map_(other.map_),
      map_size_(other.map_size_),
      copy_(std::move(other.copy_)) {
  data_ = map_ ? other.data_ : copy_.data();
  other.map_ = nullptr;
  other.data_ = "";
  other.size_ = 0;
}

CsvText::~CsvText() {
  if (map_) ::munmap(map_, map_size_);
}

}  // namespace calm::csv_detail
