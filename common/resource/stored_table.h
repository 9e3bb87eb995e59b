#ifndef CAUNOI_COMMON_RESOURCE_STORED_TABLE_H_
#define CAUNOI_COMMON_RESOURCE_STORED_TABLE_H_

#include <span>
#include <type_traits>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/api/resource_name.h"
#include "common/pg/connection.h"
#include "common/resource/columns.h"
#include "common/resource/resource_helpers.h"
#include "common/resource/resource_table.h"
#include "common/resource/standard_methods.h"
#include "google/protobuf/descriptor.h"

// A standard resource's table described once; its select, insert, update,
// delete and list statements and its row mapping are written from it, so a
// new resource is its columns, its checks and its list's WHERE clause.
namespace caunoi::resource {

// What a resource is called where: statement names and its constraints'
// prefix ("candidate"), the request field holding it
// ("leadership_candidate"), its schema-qualified table (read as alias
// `r`), its name pattern ("organizations/{}/terms/{}"). Its own id is the
// table's column id, or code for a pattern ending in "{code}" or "{key}".
struct TableNames {
  absl::string_view key;
  absl::string_view field;
  absl::string_view table;
  absl::string_view pattern;
};

struct StoredTable {
  TableNames names;
  // The stored fields, in the order insert and update bind them.
  std::span<const Column> columns;
  // Constraints beyond the references': a missing parent or reference
  // (constraint "<key>_<parent or field>_exists") is NOT_FOUND naming it
  // without being listed.
  std::span<const ConstraintRule> constraints = {};
  // A nested resource: the column holding its parent's id, which insert
  // binds first, and the expressions reading every parent id in pattern
  // order (default: the parent column).
  absl::string_view parent_column = "";
  absl::string_view parent_ids = "";
  // Tables the reads join, after "FROM <table> r".
  absl::string_view joins = "";
  // Output-only fields the server computes: what the select reads after
  // the columns, and how the row's values land in the message.
  absl::string_view extra_reads = "";
  void (*read_extra)(RowReader& row, google::protobuf::Message& message) = nullptr;
  // Optional: an insert of its own ($1.. the parent ids, then the columns;
  // RETURNING id), e.g. one guarded by its grandparent.
  absl::string_view insert = "";

  // The List method's filter, and what follows the select ($1 the key after
  // which the page starts, $2 the row limit, then the parent ids, then the
  // filter's parameters: "WHERE ... ORDER BY r.id LIMIT $2"); when empty,
  // written from the parent column and each filter field's `where`, in id
  // order.
  absl::string_view list = "";
  std::span<const api::FilterField> filters = {};
  absl::StatusOr<std::vector<pg::Param>> (*filter_params)(const std::vector<api::FilterTerm>&) =
      nullptr;
  // The list's parent may be "<collection>/-": see ListSpec.
  bool every_parent = false;
};

// The statements, written once per table for the life of the process.
struct StandardStatements {
  pg::Statement select;
  pg::Statement insert;
  pg::Statement update;
  pg::Statement remove;
};
StandardStatements WriteStandardStatements(const StoredTable& table,
                                           const google::protobuf::Descriptor& type);

// The table's list statement: its rows read as the select reads them, then
// `clause` ("WHERE ... ORDER BY r.id LIMIT $2", see ListSpec).
pg::Statement ListStatement(const StoredTable& table, const google::protobuf::Descriptor& type,
                            absl::string_view clause);
// The same with the table's own clause, or one written from its filter.
pg::Statement ListStatement(const StoredTable& table, const google::protobuf::Descriptor& type);

// The table's constraints, the references' included.
std::span<const ConstraintRule> ConstraintsOf(const StoredTable& table);

// Reads a row of the select up to the standard columns: the name's ids,
// the columns, the computed fields.
void ReadStoredRow(RowReader& row, const StoredTable& table, google::protobuf::Message& message);

// A typed `read_extra`: ReadExtraAs<v1::Proposal, ReadAssignments>.
template <typename M, void (*kRead)(RowReader&, M&)>
void ReadExtraAs(RowReader& row, google::protobuf::Message& message) {
  kRead(row, static_cast<M&>(message));
}

template <typename M, const StoredTable& kTable>
M StoredFromRow(RowReader& row) {
  M message;
  ReadStoredRow(row, kTable, message);
  ReadStandardColumns(row, message);
  return message;
}

template <typename M, const StoredTable& kTable>
ResourceTable<M> StandardTable() {
  const StandardStatements statements = WriteStandardStatements(kTable, *M::descriptor());
  return {.pattern = kTable.names.pattern,
          .select = statements.select,
          .insert = statements.insert,
          .update = statements.update,
          .remove = statements.remove,
          .from_row = StoredFromRow<M, kTable>,
          .constraints = ConstraintsOf(kTable)};
}

// The stored columns an update may write.
std::span<const absl::string_view> UpdatableFields(const StoredTable& table);

template <typename M, const StoredTable& kTable>
std::vector<pg::Param> StoredColumnValues(const M& message) {
  return ColumnValues(message, kTable.columns);
}

// Each column by its rules, then `kValidate`'s checks across fields.
template <typename M, const StoredTable& kTable, auto kValidate>
absl::Status ValidateStored(const M& message) {
  CAUNOI_RETURN_IF_ERROR(ValidateColumns(message, kTable.columns, kTable.names.field));
  if constexpr (std::is_null_pointer_v<decltype(kValidate)>) {
    return absl::OkStatus();
  } else {
    return kValidate(message);
  }
}

// The spec of a resource stored as `kTable` says; `kValidate` (a function
// of const M&, or nullptr) checks what no single column can, `check` what
// needs the database.
template <typename M, const StoredTable& kTable, auto kValidate = nullptr>
ResourceSpec<M> StandardSpec(absl::Status (*check)(pg::Connection&, const M&) = nullptr) {
  return {.table = StandardTable<M, kTable>(),
          .field = kTable.names.field,
          .updatable = UpdatableFields(kTable),
          .validate = ValidateStored<M, kTable, kValidate>,
          .columns = StoredColumnValues<M, kTable>,
          .check = check};
}

template <typename M, const StoredTable& kTable>
ListSpec StandardList() {
  return {.statement = ListStatement(kTable, *M::descriptor()),
          .filter_fields = kTable.filters,
          .filter_params = kTable.filter_params,
          .every_parent = kTable.every_parent};
}

}  // namespace caunoi::resource

// Defines the spec and the list of the standard resource v1::Type stored
// as `table`: `validate` checks what no single column can, `check` what
// needs the database (each a function, or nullptr).
#define CAUNOI_DEFINE_STANDARD_RESOURCE(Type, spec, list, table, validate, check) \
  const resource::ResourceSpec<v1::Type> spec =                                   \
      resource::StandardSpec<v1::Type, table, validate>(check);                   \
  const resource::ListSpec list = resource::StandardList<v1::Type, table>()

#endif  // CAUNOI_COMMON_RESOURCE_STORED_TABLE_H_
