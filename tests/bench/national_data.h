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

// Analyzes every table that holds rows after a load, and leaves the empty
// ones unanalyzed. Statistics of an empty table (a service's request log
// before its first write) have each connection plan it as empty, scans
// included, and keep that plan while writes fill it, until autovacuum
// looks again (tests/bench/RESULTS.md, "filing after the bulk load").
inline constexpr char kAnalyzeTablesWithRows[] =
    "DO $$ DECLARE t regclass; filled boolean; BEGIN"
    " FOR t IN SELECT c.oid::regclass FROM pg_class c"
    "   JOIN pg_namespace n ON n.oid = c.relnamespace"
    "   WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
    "   AND n.nspname NOT LIKE 'pg_toast%' LOOP"
    "   EXECUTE format('SELECT EXISTS (SELECT FROM %s)', t) INTO filled;"
    "   IF filled THEN EXECUTE format('ANALYZE %s', t); END IF;"
    " END LOOP; END $$;";

// `count` friendship associations under a union per locality.
absl::Status LoadOrganizations(const std::string& dsn, int count);

// directives/1000000, concretized by a document per locality and 50 plans
// under each, with 1,000,000 tasks.
absl::Status LoadCascade(const std::string& dsn);

// 1,000,000 monthly reports on directives/1000000 (needs LoadCascade).
absl::Status LoadReports(const std::string& dsn);

}  // namespace caunoi::bench

#endif  // CAUNOI_TESTS_BENCH_NATIONAL_DATA_H_
