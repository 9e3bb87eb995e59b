#include "tests/bench/national_data.h"

#include "absl/strings/str_cat.h"
#include "tests/bench/bench_suite.h"

namespace caunoi::bench {

// Bulk-loads `count` organizations shaped like the real registry: a union
// per locality with friendship associations below it, spread over the 34
// units. Loaded by SQL: the benchmark measures reads over them, and the
// write path has its own figure above. The unions and countries are read
// once, before the insert: looked up per row, planned while the table was
// nearly empty, the unions were found through a partial index over every
// row the statement had inserted so far, and a load of 100,000 ran for
// over 15 minutes. The insert's row triggers look rows up by id too (a
// parent's ancestors, that it is live): run first (--only=flood), with a
// few rows in the table, the load again did not end in 15 minutes. Their
// plans are made for each row instead of once while the table is small.
absl::Status LoadOrganizations(const std::string& dsn, int count) {
  return LoadBySql(
      dsn, absl::StrCat(count, " organizations"),
      absl::StrCat(
          "SET plan_cache_mode = force_custom_plan;"
          "INSERT INTO organizations.organizations (display_name, kind, level, locality_id,"
          " country_code, status)"
          " SELECT 'Liên hiệp các tổ chức hữu nghị ' || l.display_name, 'FRIENDSHIP_UNION',"
          "   'PROVINCIAL', l.id, NULL, 'ACTIVE'"
          " FROM organizations.localities l WHERE l.valid_until IS NULL;"
          "INSERT INTO organizations.organizations (display_name, kind, level, locality_id,"
          " parent_id, country_code, status)"
          " SELECT 'Hội hữu nghị Việt Nam - ' || c.names[n % 11 + 1] || ' số ' || n,"
          "   'FRIENDSHIP_ASSOCIATION', 'PROVINCIAL', u.localities[n % 34 + 1],"
          "   u.ids[n % 34 + 1], c.codes[n % 11 + 1], 'ACTIVE'"
          " FROM (SELECT array_agg(id ORDER BY id) ids,"
          "         array_agg(locality_id ORDER BY id) localities"
          "       FROM organizations.organizations WHERE kind = 'FRIENDSHIP_UNION') u,"
          "      (SELECT array_agg(code ORDER BY code) codes,"
          "         array_agg(vietnamese_name ORDER BY code) names"
          "       FROM organizations.countries) c,"
          "      generate_series(1, ",
          count, ") n;"));
}

// The cascade under directives/1000000 (a central directive of 2022-01-05): one
// document per current locality, each concretized by 50 commune-level
// plans, then 1,000,000 tasks spread over all of them with due dates on
// both sides of today. Loaded by SQL: the figures measure reads.
absl::Status LoadCascade(const std::string& dsn) {
  return LoadBySql(
      dsn, "the cascade and its 1,000,000 tasks",
      absl::StrCat(
          "INSERT INTO directives.documents (id, type, symbol, number, type_code, issuer_code,"
          " normalized_symbol, level, issuing_body, issue_date, title, status)"
          " VALUES (1000000, 'DIRECTIVE', '99-CT/TW', 99, 'CT', 'TW', '99-CT/TW', 'CENTRAL',"
          " 'Ban Bí thư Trung ương Đảng', '2022-01-05', 'Chỉ thị gốc', 'ISSUED');"
          "INSERT INTO directives.documents (id, type, symbol, number, type_code, issuer_code,"
          " normalized_symbol, level, issuing_body, locality_id, current_locality_id,"
          " issue_date, title, status)"
          " SELECT 1000000 + n, 'CIRCULAR', n || '-TT/TU', n, 'TT', 'TU', n || '-TT/TU',"
          " 'PROVINCIAL', 'Ban Thường vụ Tỉnh ủy', l.code, l.code,"
          " date '2022-02-01' + n, 'Thông tri cụ thể hóa', 'ISSUED'"
          " FROM generate_series(1, ",
          kProvincialDocuments,
          ") n JOIN " CAUNOI_BENCH_CURRENT_UNITS " l ON l.k = n;"
          "INSERT INTO directives.document_links SELECT 1000000 + n, 1000000"
          " FROM generate_series(1, ",
          kProvincialDocuments,
          ") n;"
          "INSERT INTO directives.documents (id, type, symbol, number, type_code, issuer_code,"
          " normalized_symbol, level, issuing_body, locality_id, current_locality_id,"
          " issue_date, title, status)"
          " SELECT 2000000 + p * 100 + c, 'PLAN', c || '/KH-UBND', c, 'KH', 'UBND',"
          " c || '/KH-UBND', 'COMMUNE', 'Ủy ban nhân dân xã ' || p || '-' || c,"
          " l.code, l.code, date '2022-06-01' + c, 'Kế hoạch',"
          " 'ISSUED' FROM generate_series(1, ",
          kProvincialDocuments,
          ") p JOIN " CAUNOI_BENCH_CURRENT_UNITS " l ON l.k = p, generate_series(1, ",
          kCommunePlansPerProvince,
          ") c;"
          "INSERT INTO directives.document_links SELECT 2000000 + p * 100 + c, 1000000 + p"
          " FROM generate_series(1, ",
          kProvincialDocuments, ") p, generate_series(1, ", kCommunePlansPerProvince,
          ") c;"
          "INSERT INTO directives.tasks (document_id, number, title, lead_id, due_date,"
          " completed_date)"
          " SELECT 2000000 + (n % ",
          kProvincialDocuments, " + 1) * 100 + n % ", kCommunePlansPerProvince,
          " + 1, n::text, 'Nhiệm vụ', 1,"
          " date '2023-01-01' + (n % 2000), CASE WHEN n % 3 = 0 THEN date '2023-06-01' END"
          " FROM generate_series(1, ",
          kCascadeTasks, ") n;"));
}

// 40,000 obligations on directives/1000000 (ids 2001..42000) over the 34
// localities with 25 submitted monthly reports each, some late. The bulk
// rows skip the per-row tally trigger; their tallies are built once, as the
// migration does.
absl::Status LoadReports(const std::string& dsn) {
  return LoadBySql(
      dsn, "1,000,000 reports",
      absl::StrCat(
          "INSERT INTO reports.obligations (id, document_id, unit_id, locality_id, cadence,"
          " timely_days, first_period, first_day)"
          " SELECT n, 1000000, n, (" CAUNOI_BENCH_CURRENT_CODES
          ")[n % 34 + 1], 'MONTHLY', 10, '2022-01',"
          " '2022-01-01' FROM generate_series(",
          kFilingObligations + 1, ", ", kFilingObligations + kBulkObligations,
          ") n;"
          "SELECT setval('reports.obligations_id_seq', ",
          kFilingObligations + kBulkObligations,
          ");"
          "ALTER TABLE reports.reports DISABLE TRIGGER reports_tally_inserted;"
          "INSERT INTO reports.reports (obligation_id, period, period_first, period_last,"
          " summary, state, submitted_date)"
          " SELECT o, to_char(m, 'YYYY-MM'), m::date, (m + interval '1 month - 1 day')::date,"
          " 'Báo cáo tháng', 'SUBMITTED',"
          " (m + interval '1 month' + ((o % 20) || ' days')::interval)::date"
          " FROM generate_series(",
          kFilingObligations + 1, ", ", kFilingObligations + kBulkObligations,
          ") o, generate_series(timestamp '2022-01-01', timestamp '2022-01-01' + interval '",
          kBulkMonths - 1,
          " months', interval '1 month') m;"
          "ALTER TABLE reports.reports ENABLE TRIGGER reports_tally_inserted;"
          "INSERT INTO reports.report_tallies"
          " (document_id, locality_id, period, period_first, timely_days, on_time, late)"
          " SELECT o.document_id, coalesce(o.locality_id, ''), r.period, min(r.period_first),"
          " o.timely_days,"
          " count(*) FILTER (WHERE r.submitted_date <= r.period_last + o.timely_days),"
          " count(*) FILTER (WHERE r.submitted_date > r.period_last + o.timely_days)"
          " FROM reports.reports r JOIN reports.obligations o ON o.id = r.obligation_id"
          " WHERE r.submitted_date IS NOT NULL AND o.document_id = 1000000"
          " GROUP BY 1, 2, 3, 5;"
          "INSERT INTO reports.locality_report_tallies SELECT document_id, locality_id, period,"
          " min(period_first), timely_days, sum(on_time), sum(late) FROM reports.report_tallies"
          " WHERE document_id = 1000000 GROUP BY 1, 2, 3, 5;"));
}

}  // namespace caunoi::bench
