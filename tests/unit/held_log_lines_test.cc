// Lines an event loop holds are written whole, in order, only when it
// flushes; other threads' lines are not held.
#include <string>
#include <thread>

#include "common/logging/log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caunoi::log {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(HeldLogLinesTest, AHoldingThreadsLinesAppearWholeAndInOrderWhenItFlushes) {
  ::testing::internal::CaptureStderr();
  std::string before_flush;
  std::thread loop([&] {
    HoldLinesOnThisThread();
    Info("first.call", {{"n", "1"}});
    Info("second.call", {{"n", "2"}});
    // Another thread writes at once, not held by this one's holding.
    std::thread other([] { Info("elsewhere", {}); });
    other.join();
    FlushHeldLines();
    Info("third.call", {{"n", "3"}});
    FlushHeldLines();
  });
  loop.join();
  const std::string written = ::testing::internal::GetCapturedStderr();
  const size_t elsewhere = written.find("\"event\":\"elsewhere\"");
  const size_t first = written.find("\"event\":\"first.call\",\"n\":\"1\"}\n");
  const size_t second = written.find("\"event\":\"second.call\",\"n\":\"2\"}\n");
  const size_t third = written.find("\"event\":\"third.call\",\"n\":\"3\"}\n");
  ASSERT_NE(elsewhere, std::string::npos) << written;
  ASSERT_NE(first, std::string::npos) << written;
  ASSERT_NE(second, std::string::npos) << written;
  ASSERT_NE(third, std::string::npos) << written;
  // Held until the flush, though written before the other thread's line.
  EXPECT_LT(elsewhere, first);
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
}

TEST(HeldLogLinesTest, AThreadThatDoesNotHoldWritesAtOnce) {
  ::testing::internal::CaptureStderr();
  Info("not.held", {});
  const std::string written = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(written, HasSubstr("\"event\":\"not.held\""));
  EXPECT_THAT(written, Not(HasSubstr("\"event\":\"first.call\"")));
}

}  // namespace
}  // namespace caunoi::log
