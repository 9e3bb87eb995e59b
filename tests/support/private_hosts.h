#ifndef CAUNOI_TESTS_SUPPORT_PRIVATE_HOSTS_H_
#define CAUNOI_TESTS_SUPPORT_PRIVATE_HOSTS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace caunoi::testing {

// A private /etc/hosts, so that a test can change what a name resolves to,
// as DNS does when replicas come and go, without touching the machine's:
// the process moves into a mount namespace of its own with a copy of the
// file bound over it. Call before any thread starts (a process with
// threads cannot change namespace), from main; a failure is kept for the
// tests that need the file.
absl::Status EnterPrivateHosts();

// Sets the addresses `name` resolves to (none: it no longer resolves),
// the rest of the file as it was. FAILED_PRECONDITION, with the reason,
// when the process has no private hosts file.
absl::Status SetHostAddresses(const std::string& name, const std::vector<std::string>& addresses);

}  // namespace caunoi::testing

#endif  // CAUNOI_TESTS_SUPPORT_PRIVATE_HOSTS_H_
