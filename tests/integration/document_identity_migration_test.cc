// The migration that makes a document's issuer an organization keeps the
// documents recorded before it, and refuses to run over documents recorded
// twice under one issuer rather than drop one.
#include <memory>

#include "common/pg/connection.h"
#include "common/pg/migrator.h"
#include "common/pg/sqlstate.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/migration_test.h"

namespace caunoi::directives {
std::span<const pg::Migration> Migrations();  // generated from migrations/*.sql
}  // namespace caunoi::directives

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;

constexpr int kIssuerIsAnOrganization = 8;

constexpr char kInsert[] =
    "INSERT INTO directives.documents (id, type, symbol, number, type_code, issuer_code,"
    " normalized_symbol, level, issuing_body, issuing_organization_id, locality_id,"
    " current_locality_id, issue_date, title, status) VALUES ";

class DocumentIdentityMigrationTest : public caunoi::testing::MigrationTest {
 protected:
  void SetUp() override {
    SetUpBefore("directives", directives::Migrations(), kIssuerIsAnOrganization);
  }

  absl::StatusOr<int> MigrateToTheEnd() {
    return pg::Migrate(*connection_, "directives", directives::Migrations());
  }

  std::string Query(absl::string_view sql) {
    auto result = connection_->ExecuteScript(sql);
    EXPECT_THAT(result.status(), IsOk()) << sql;
    return result.ok() && result->rows() > 0 ? std::string(result->Text(0, 0)) : "";
  }
};

TEST_F(DocumentIdentityMigrationTest, KeepsEveryDocumentAndThenRefusesOneIssuerTwice) {
  Query(absl::StrCat(
      kInsert,
      "(1, 'DIRECTIVE', '12-CT/TW', 12, 'CT', 'TW', '12-CT/TW', 'CENTRAL',"
      " 'Ban Bí thư Trung ương Đảng', NULL, NULL, NULL, '2022-01-05', 'Chỉ thị 12', 'ISSUED'),"
      "(2, 'CIRCULAR', '05-TT/TU', 5, 'TT', 'TU', '5-TT/TU', 'PROVINCIAL',"
      " 'Ban Thường vụ Thành ủy Hà Nội', 7, '01', '01', '2022-05-23', 'Thông tri 05', 'ISSUED')"));
  ASSERT_THAT(MigrateToTheEnd().status(), IsOk());
  EXPECT_EQ(Query("SELECT count(*) FROM directives.documents"), "2");
  EXPECT_EQ(Query("SELECT title FROM directives.documents WHERE id = 2"), "Thông tri 05");
  // The same issuer, symbol and year, its body worded differently.
  auto duplicate = connection_->ExecuteScript(absl::StrCat(
      kInsert,
      "(3, 'CIRCULAR', '05-TT/TƯ', 5, 'TT', 'TU', '5-TT/TU', 'PROVINCIAL', 'Thành ủy Hà Nội', 7,"
      " '01', '01', '2022-05-23', 'Thông tri 05', 'ISSUED')"));
  EXPECT_EQ(pg::ConstraintOf(duplicate.status()), "document_identity_by_issuer");
}

TEST_F(DocumentIdentityMigrationTest, NamesDocumentsRecordedTwiceUnderOneIssuerAndChangesNothing) {
  Query(absl::StrCat(
      kInsert,
      "(1, 'CIRCULAR', '05-TT/TU', 5, 'TT', 'TU', '5-TT/TU', 'PROVINCIAL',"
      " 'Ban Thường vụ Thành ủy Hà Nội', 7, '01', '01', '2022-05-23', 'Thông tri 05', 'ISSUED'),"
      "(2, 'CIRCULAR', '05-TT/TƯ', 5, 'TT', 'TU', '5-TT/TU', 'PROVINCIAL',"
      " 'Thành ủy Hà Nội', 7, '01', '01', '2022-05-23', 'Thông tri 05', 'ISSUED')"));
  absl::StatusOr<int> migrated = MigrateToTheEnd();
  EXPECT_FALSE(migrated.ok());
  EXPECT_EQ(Query("SELECT max(version) FROM directives.schema_migrations"),
            absl::StrCat(kIssuerIsAnOrganization - 1));
  EXPECT_EQ(Query("SELECT count(*) FROM directives.documents"), "2");
}

}  // namespace
}  // namespace caunoi
