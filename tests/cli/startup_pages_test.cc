// ReleaseStartupPages (tools/vouch/startup_pages.h): unmaps the resident pages of unmodified read-only file
// mappings, and leaves every page that differs from its file (copy-on-write) or may be written where it is.
#include "startup_pages.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace vouch::cli {
namespace {

constexpr size_t kPages = 32;

// Resident kB of the mapping that starts at `begin`, from /proc/self/smaps; -1 when there is none.
long ResidentKb(const void* begin) {
  FILE* f = std::fopen("/proc/self/smaps", "re");
  char line[4096];
  bool in = false;
  long kb = -1;
  while (f != nullptr && std::fgets(line, sizeof line, f) != nullptr) {
    unsigned long b = 0, e = 0;
    if (std::sscanf(line, "%lx-%lx ", &b, &e) == 2) {
      in = b == reinterpret_cast<uintptr_t>(begin);
      continue;
    }
    if (in && std::sscanf(line, "Rss: %ld kB", &kb) == 1) break;
  }
  if (f != nullptr) std::fclose(f);
  return kb;
}

// A temporary file of kPages pages, page i filled with the byte 'a' + i % 26.
class PageFile {
 public:
  PageFile() : page_(static_cast<size_t>(sysconf(_SC_PAGESIZE))) {
    char path[] = "/tmp/vouch_startup_pages_XXXXXX";
    fd_ = mkstemp(path);
    unlink(path);
    std::vector<char> bytes(page_ * kPages);
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>('a' + (i / page_) % 26);
    EXPECT_EQ(write(fd_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
  ~PageFile() { close(fd_); }
  int fd() const { return fd_; }
  size_t size() const { return page_ * kPages; }
  size_t page() const { return page_; }

 private:
  size_t page_;
  int fd_ = -1;
};

uint64_t TouchAll(const char* p, size_t size, size_t page) {
  uint64_t sum = 0;
  for (size_t i = 0; i < size; i += page) sum += static_cast<unsigned char>(p[i]);
  return sum;
}

TEST(StartupPagesTest, UnmapsReadOnlyFilePagesAndTheyReadBackTheSame) {
  PageFile file;
  auto* p = static_cast<const char*>(mmap(nullptr, file.size(), PROT_READ, MAP_PRIVATE, file.fd(), 0));
  ASSERT_NE(p, MAP_FAILED);
  const uint64_t sum = TouchAll(p, file.size(), file.page());
  ASSERT_GT(ResidentKb(p), 0);
  EXPECT_GE(ReleaseStartupPages(), file.size());
  EXPECT_EQ(ResidentKb(p), 0);
  EXPECT_EQ(TouchAll(p, file.size(), file.page()), sum);
  EXPECT_EQ(p[file.page() * 3], 'd');
  munmap(const_cast<char*>(p), file.size());
}

TEST(StartupPagesTest, KeepsAReadOnlyMappingWithCopyOnWritePages) {
  // Like relocated read-only data after RELRO: written privately, then made read-only. Dropping it would bring
  // back the file's bytes.
  PageFile file;
  auto* p = static_cast<char*>(mmap(nullptr, file.size(), PROT_READ | PROT_WRITE, MAP_PRIVATE, file.fd(), 0));
  ASSERT_NE(p, MAP_FAILED);
  TouchAll(p, file.size(), file.page());
  p[file.page()] = 'Z';
  ASSERT_EQ(mprotect(p, file.size(), PROT_READ), 0);
  ReleaseStartupPages();
  EXPECT_EQ(p[file.page()], 'Z');
  EXPECT_GT(ResidentKb(p), 0);
  munmap(p, file.size());
}

TEST(StartupPagesTest, LeavesWritableAndAnonymousMappingsAlone) {
  PageFile file;
  auto* w = static_cast<char*>(mmap(nullptr, file.size(), PROT_READ | PROT_WRITE, MAP_PRIVATE, file.fd(), 0));
  auto* a =
      static_cast<char*>(mmap(nullptr, file.size(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(w, MAP_FAILED);
  ASSERT_NE(a, MAP_FAILED);
  w[0] = 'W';
  a[0] = 'A';
  ReleaseStartupPages();
  EXPECT_EQ(w[0], 'W');
  EXPECT_EQ(a[0], 'A');
  munmap(w, file.size());
  munmap(a, file.size());
}

}  // namespace
}  // namespace vouch::cli
