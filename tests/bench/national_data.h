#ifndef CAUNOI_TESTS_BENCH_NATIONAL_DATA_H_
#define CAUNOI_TESTS_BENCH_NATIONAL_DATA_H_

#include <string>

#include "absl/status/status.h"

namespace caunoi::bench {

// What a national system holds after some years, loaded by SQL: the
// figures measure reads, and the write paths have their own.

inline constexpr int kLoadedOrganizations = 100'000;
inline constexpr int kCascadeRoot = 1'000'000;  // directives/1000000
inline constexpr int kProvincialDocuments = 34;
inline constexpr int kCommunePlansPerProvince = 50;
inline constexpr int kCascadeTasks = 1'000'000;
// Obligations 1..2000 are left for filing; the bulk ones follow them.
inline constexpr int kFilingObligations = 2000;
inline constexpr int kBulkObligations = 40'000;
inline constexpr int kBulkMonths = 25;  // 40,000 × 25 = 1,000,000 reports

// `count` friendship associations under a union per locality.
absl::Status LoadOrganizations(const std::string& dsn, int count);

// directives/1000000, concretized by a document per locality and 50 plans
// under each, with 1,000,000 tasks.
absl::Status LoadCascade(const std::string& dsn);

// 1,000,000 monthly reports on directives/1000000 (needs LoadCascade).
absl::Status LoadReports(const std::string& dsn);

}  // namespace caunoi::bench

#endif  // CAUNOI_TESTS_BENCH_NATIONAL_DATA_H_
