#include "util/file_io.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

namespace echotrace {
namespace {

TEST(FileIoTest, WritesAndReadsBackAtOffsets) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("echotrace_file_io_" + std::to_string(getpid())))
          .string();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  std::string data(100000, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7);
  ASSERT_TRUE(WriteAll(fd, data.data(), data.size(), "the test file").ok());
  std::string back(500, '\0');
  ASSERT_TRUE(PreadAll(fd, back.data(), back.size(), 12345, "the test file").ok());
  EXPECT_EQ(back, data.substr(12345, 500));
  // Past the end: the file is shorter than the caller thinks.
  Status st = PreadAll(fd, back.data(), back.size(), data.size() - 10, "the test file");
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_NE(st.message().find("the test file"), std::string::npos);
  ::close(fd);
  std::remove(path.c_str());
  // A descriptor that cannot be written: an IOError naming the file.
  st = WriteAll(-1, data.data(), 10, "the closed file");
  EXPECT_EQ(st.code(), StatusCode::kIOError);
  EXPECT_NE(st.message().find("the closed file"), std::string::npos);
}

}  // namespace
}  // namespace echotrace
