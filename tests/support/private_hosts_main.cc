// The main of a test binary whose tests change what names resolve to
// (see private_hosts.h).
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/private_hosts.h"

int main(int argc, char** argv) {
  // Before anything starts a thread. A failure is reported by the tests
  // that need the file; the others do not.
  (void)caunoi::testing::EnterPrivateHosts();
  ::testing::InitGoogleMock(&argc, argv);
  return RUN_ALL_TESTS();
}
