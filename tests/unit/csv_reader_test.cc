#include "common/csv/csv_reader.h"

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caunoi::csv {
namespace {

using ::caunoi::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(CsvReaderTest, ReadsQuotedFieldsLineBreaksAndAByteOrderMark) {
  absl::StatusOr<Table> table = ReadTable(
      "\xEF\xBB\xBF"
      "code,name\r\n"
      "00004,\"Phường Ba Đình\"\r\n"
      "\r\n"
      "00008,\"Ngọc Hà, \"\"mới\"\"\nhai dòng\"\n"
      "00025,Giảng Võ",
      "f");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_THAT(table->header, ElementsAre("code", "name"));
  ASSERT_EQ(table->rows.size(), 3u);
  EXPECT_THAT(table->rows[0].fields, ElementsAre("00004", "Phường Ba Đình"));
  EXPECT_THAT(table->rows[1].fields, ElementsAre("00008", "Ngọc Hà, \"mới\"\nhai dòng"));
  EXPECT_EQ(table->rows[1].line, 4);
  EXPECT_EQ(table->rows[2].line, 6);
  EXPECT_EQ(table->Column("name"), 1);
  EXPECT_EQ(table->Column("kind"), std::nullopt);
}

TEST(CsvReaderTest, NamesTheLineOfEachFault) {
  EXPECT_THAT(ReadTable("a,b\n1,\"2\n", "communes_csv").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("communes_csv: line 2: a quoted field is never closed")));
  EXPECT_THAT(ReadTable("a,b\n1,2\n3\n", "f").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 3: has 1 fields; the header names 2")));
  EXPECT_THAT(ReadTable("a,b\n\"1\"x,2\n", "f").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 2: text follows")));
  EXPECT_THAT(ReadTable("", "f").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("is empty")));
  absl::StatusOr<Table> table = ReadTable("code,name\n", "f");
  ASSERT_TRUE(table.ok());
  EXPECT_THAT(RequireColumns(*table, {"code", "kind", "province_code"}, "f").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("lacks the column(s) kind, province_code")));
}

}  // namespace
}  // namespace caunoi::csv
