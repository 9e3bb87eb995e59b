#include "common/resource/stored_table.h"

#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"

namespace caunoi::resource {
namespace {

// Statements hold views: their text is kept for the life of the process.
absl::string_view Keep(std::string text) {
  static auto* mutex = new absl::Mutex;
  static auto* kept = new std::deque<std::string>;
  absl::MutexLock lock(mutex);
  return kept->emplace_back(std::move(text));
}

pg::Statement Named(const StoredTable& table, absl::string_view suffix, std::string sql) {
  return {Keep(absl::StrCat(table.names.key, "_", suffix)), Keep(std::move(sql))};
}

std::string StoredColumn(const Column& column) {
  if (!column.column.empty()) return std::string(column.column);
  if (!column.pattern.empty()) return absl::StrCat(column.field, "_id");
  return std::string(column.field);
}

// A resource's own id is its table's id column, or, for a pattern ending in
// "{code}" or "{key}", its code column (text).
absl::string_view IdColumn(const StoredTable& table) {
  return absl::EndsWith(table.names.pattern, "{code}") ||
                 absl::EndsWith(table.names.pattern, "{key}")
             ? "code"
             : "id";
}
absl::string_view IdType(const StoredTable& table) {
  return IdColumn(table) == "id" ? "bigint" : "text";
}

int ParentCount(absl::string_view pattern) {
  return static_cast<int>(std::count(pattern.begin(), pattern.end(), '{')) - 1;
}

std::string Placeholders(int first, int count) {
  std::vector<std::string> placeholders;
  for (int i = 0; i < count; ++i) placeholders.push_back(absl::StrCat("$", first + i));
  return absl::StrJoin(placeholders, ", ");
}

// The select list: the name's ids in pattern order, the columns, the
// standard columns.
std::string SelectList(const StoredTable& table, const google::protobuf::Descriptor& type) {
  std::vector<std::string> reads;
  if (ParentCount(table.names.pattern) > 0) {
    reads.push_back(table.parent_ids.empty() ? absl::StrCat("r.", table.parent_column)
                                             : std::string(table.parent_ids));
  }
  reads.push_back(absl::StrCat("r.", IdColumn(table)));
  for (const Column& column : table.columns) {
    if (!column.read.empty()) {
      reads.emplace_back(column.read);
      continue;
    }
    const google::protobuf::FieldDescriptor* field =
        type.FindFieldByName(std::string(column.field));
    if (field == nullptr) std::abort();  // the table's own declaration: a bug
    if (field->is_repeated()) {
      reads.push_back(absl::StrCat("array_to_string(r.", StoredColumn(column), ", ',')"));
      continue;
    }
    const bool date = field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE;
    reads.push_back(absl::StrCat("r.", StoredColumn(column), date ? "::text" : ""));
  }
  if (!table.extra_reads.empty()) reads.emplace_back(table.extra_reads);
  reads.push_back(CAUNOI_STANDARD_COLUMNS("r"));
  return absl::StrCat("SELECT ", absl::StrJoin(reads, ", "), " FROM ", table.names.table, " r",
                      table.joins.empty() ? "" : " ", table.joins);
}

}  // namespace

StandardStatements WriteStandardStatements(const StoredTable& table,
                                           const google::protobuf::Descriptor& type) {
  std::vector<std::string> inserted;
  if (!table.parent_column.empty()) inserted.emplace_back(table.parent_column);
  std::vector<std::string> assignments;
  for (const Column& column : table.columns) {
    inserted.push_back(StoredColumn(column));
    assignments.push_back(
        absl::StrCat(StoredColumn(column), " = $", static_cast<int>(assignments.size()) + 3));
  }
  std::string insert =
      table.insert.empty()
          ? absl::StrCat("INSERT INTO ", table.names.table, " (", absl::StrJoin(inserted, ", "),
                         ") VALUES (", Placeholders(1, static_cast<int>(inserted.size())),
                         ") RETURNING ", IdColumn(table))
          : std::string(table.insert);
  return {
      .select = Named(table, "get",
                      absl::StrCat(SelectList(table, type), " WHERE r.", IdColumn(table), " = $1")),
      .insert = Named(table, "insert", std::move(insert)),
      .update = Named(
          table, "update",
          absl::StrCat("UPDATE ", table.names.table, " SET ", absl::StrJoin(assignments, ", "),
                       ", revision = revision + 1, update_time = now() WHERE ", IdColumn(table),
                       " = $1 AND revision = $2 RETURNING ", IdColumn(table))),
      .remove = Named(table, "delete",
                      absl::StrCat("DELETE FROM ", table.names.table, " WHERE ", IdColumn(table),
                                   " = $1 AND revision = $2 RETURNING ", IdColumn(table))),
  };
}

std::span<const absl::string_view> UpdatableFields(const StoredTable& table) {
  auto* fields = new std::vector<absl::string_view>;  // kept, as the statements are
  for (const Column& column : table.columns) {
    if (!column.immutable) fields->push_back(column.field);
  }
  return *fields;
}

std::span<const ConstraintRule> ConstraintsOf(const StoredTable& table) {
  auto* rules = new std::vector<ConstraintRule>(table.constraints.begin(), table.constraints.end());
  auto missing = [&](absl::string_view noun, absl::string_view field) {
    rules->push_back({.constraint = Keep(absl::StrCat(table.names.key, "_", noun, "_exists")),
                      .field = field,
                      .code = absl::StatusCode::kNotFound,
                      .message = Keep(absl::StrCat("the ", absl::StrReplaceAll(noun, {{"_", " "}}),
                                                   " does not exist"))});
  };
  if (!table.parent_column.empty()) {
    absl::string_view parent = table.parent_column;
    absl::ConsumeSuffix(&parent, "_id");
    missing(parent, "parent");
  }
  for (const Column& column : table.columns) {
    if (column.pattern.empty()) continue;
    missing(column.field, Keep(absl::StrCat(table.names.field, ".", column.field)));
  }
  return *rules;
}

pg::Statement ListStatement(const StoredTable& table, const google::protobuf::Descriptor& type,
                            absl::string_view clause) {
  return Named(table, "list", absl::StrCat(SelectList(table, type), " ", clause));
}

namespace {

// "WHERE ... ORDER BY r.id LIMIT $2" from the parent column and the filter
// fields. A value is typed by its condition, so the condition comes before
// the test for NULL.
std::string ListClause(const StoredTable& table) {
  const absl::string_view id = IdColumn(table);
  std::string clause = absl::StrCat("WHERE ($1::", IdType(table), " IS NULL OR r.", id, " > $1)");
  int param = 3;
  if (!table.parent_column.empty()) {
    absl::StrAppend(&clause, " AND r.", table.parent_column, " = $", param++);
  }
  for (const api::FilterField& field : table.filters) {
    if (field.where.empty()) std::abort();  // every field binds a parameter
    const std::string placeholder = absl::StrCat("$", param++);
    absl::StrAppend(&clause, " AND (", absl::StrReplaceAll(field.where, {{"$", placeholder}}),
                    " OR ", placeholder, " IS NULL)");
  }
  absl::StrAppend(&clause, " ORDER BY r.", id, " LIMIT $2");
  return clause;
}

}  // namespace

pg::Statement ListStatement(const StoredTable& table, const google::protobuf::Descriptor& type) {
  return ListStatement(table, type, table.list.empty() ? ListClause(table) : table.list);
}

void ReadStoredRow(RowReader& row, const StoredTable& table, google::protobuf::Message& message) {
  std::vector<std::string> ids;
  for (int i = 0; i <= ParentCount(table.names.pattern); ++i) ids.push_back(row.Text());
  const google::protobuf::FieldDescriptor* name = message.GetDescriptor()->FindFieldByName("name");
  message.GetReflection()->SetString(&message, name,
                                     api::FormatResourceName(table.names.pattern, ids));
  ReadColumns(row, message, table.columns);
  if (table.read_extra != nullptr) table.read_extra(row, message);
}

}  // namespace caunoi::resource
