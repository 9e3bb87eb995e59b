#ifndef CAUNOI_COMMON_RESOURCE_STANDARD_METHODS_H_
#define CAUNOI_COMMON_RESOURCE_STANDARD_METHODS_H_

#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "common/api/dates.h"
#include "common/api/deadline.h"
#include "common/api/field_mask.h"
#include "common/api/filter.h"
#include "common/api/locality_name.h"
#include "common/api/page_token.h"
#include "common/api/resource_name.h"
#include "common/api/text.h"
#include "common/resource/resource_store.h"
#include "common/resource/write_request.h"
#include "google/protobuf/field_mask.pb.h"
#include "grpcpp/server_context.h"

// Get, List, Create, Update and Delete (AIP-131..135) for any resource a
// ResourceSpec describes, so each service handler is one call.
namespace caunoi::resource {

template <typename M>
struct ResourceSpec {
  ResourceTable<M> table;
  // The request field holding the resource ("organization"); error paths
  // start with it.
  absl::string_view field;
  std::span<const absl::string_view> updatable;
  // Pure checks of the resource as it would be stored (output-only fields
  // are ignored); INVALID_ARGUMENT naming "<field>.<path>".
  absl::Status (*validate)(const M&);
  // Its column values, in the order insert and update expect them.
  std::vector<pg::Param> (*columns)(const M&);
  // Optional: a check that needs the database (a hierarchy without cycles,
  // a reference within the service), run inside the write's transaction.
  absl::Status (*check)(pg::Connection&, const M&) = nullptr;
};

// A List method's query: $1 the key after which the page starts (NULL for
// the first page), $2 the row limit, then the parent ids, then the
// filter's parameters. Rows come in key order; the key is the id.
struct ListSpec {
  pg::Statement statement;
  std::span<const api::FilterField> filter_fields = {};
  // The filter's parameters, in statement order (NULL for terms absent).
  // Optional: binds the terms when the fields' binders cannot (default:
  // api::BindFilter, one parameter per field in order).
  absl::StatusOr<std::vector<pg::Param>> (*filter_params)(const std::vector<api::FilterTerm>&) =
      nullptr;
  int default_page_size = 50;
  int max_page_size = 500;
  // The parent may be "<collection>/-" (AIP-159), bound as "-".
  bool every_parent = false;
};

struct ListRequest {
  absl::string_view filter;
  int page_size = 0;
  absl::string_view page_token;
  std::vector<std::string> parent_ids;
  // Values the handler derived from the filter (e.g. with another
  // service's help), bound after the filter's own parameters.
  std::vector<pg::Param> extra_params = {};
};

// Checks that need the database, run inside the write's transaction. Not
// deduced, so a lambda binds to it.
template <typename M>
using ResourceCheck =
    std::type_identity_t<absl::FunctionRef<absl::Status(pg::Connection&, const M&)>>;

template <typename M>
absl::Status NoCheck(pg::Connection&, const M&) {
  return absl::OkStatus();
}

template <typename M>
absl::StatusOr<M> GetResource(ResourceStore& store, const ResourceSpec<M>& spec,
                              const grpc::ServerContext& context, absl::string_view name) {
  CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                          api::ParseResourceName(name, spec.table.pattern, "name"));
  return store.Get(spec.table, name, ids.back(), api::RequestDeadline(context));
}

// One page; sets *next_page_token when more rows follow.
template <typename M>
absl::StatusOr<std::vector<M>> ListResources(ResourceStore& store, const ListSpec& spec,
                                             M (*from_row)(RowReader&),
                                             const grpc::ServerContext& context,
                                             absl::string_view method, const ListRequest& request,
                                             std::string* next_page_token) {
  CAUNOI_ASSIGN_OR_RETURN(
      int page_size,
      api::ResolvePageSize(request.page_size, spec.default_page_size, spec.max_page_size));
  CAUNOI_ASSIGN_OR_RETURN(std::vector<api::FilterTerm> terms,
                          api::ParseFilter(request.filter, spec.filter_fields));
  CAUNOI_ASSIGN_OR_RETURN(std::vector<pg::Param> filter_params,
                          spec.filter_params != nullptr
                              ? spec.filter_params(terms)
                              : api::BindFilter(terms, spec.filter_fields));
  // A page token is good only for the query that made it, extra values
  // (ranges a method takes outside its filter) included.
  std::string query =
      absl::StrCat(method, "|", absl::StrJoin(request.parent_ids, "/"), "|", request.filter);
  for (const pg::Param& extra : request.extra_params) {
    absl::StrAppend(&query, "|", extra.has_value() ? *extra : std::string("\x01null"));
  }
  Params params;
  if (request.page_token.empty()) {
    params.Null();
  } else {
    CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> key,
                            api::DecodePageToken(request.page_token, query));
    if (key.size() != 1) return InvalidFieldError("page_token", "was not made by this method");
    params.Text(key[0]);
  }
  params.Int64(page_size + 1);
  for (const std::string& id : request.parent_ids) params.Text(id);
  params.Append(std::move(filter_params));
  params.Append(request.extra_params);
  CAUNOI_ASSIGN_OR_RETURN(std::vector<M> rows, store.List(spec.statement, from_row, params.Take(),
                                                          api::RequestDeadline(context)));
  if (static_cast<int>(rows.size()) > page_size) {
    rows.resize(page_size);
    *next_page_token =
        api::EncodePageToken(query, {std::string(api::ResourceId(rows.back().name()))});
  }
  return rows;
}

template <typename M>
absl::StatusOr<M> CreateResource(ResourceStore& store, const ResourceSpec<M>& spec,
                                 const grpc::ServerContext& context, absl::string_view method,
                                 const google::protobuf::Message& request,
                                 const std::vector<std::string>& parent_ids, const M& resource,
                                 absl::string_view request_id, ResourceCheck<M> check = NoCheck<M>,
                                 ResourceCheck<M> admit = NoCheck<M>) {
  CAUNOI_ASSIGN_OR_RETURN(WriteRequest write,
                          WriteRequestFrom(context, method, request, request_id, ""));
  CAUNOI_RETURN_IF_ERROR(spec.validate(resource));
  Params params(std::vector<pg::Param>(parent_ids.begin(), parent_ids.end()));
  params.Append(spec.columns(resource));
  return store.Create(
      spec.table, resource, params.Take(), write,
      [&](pg::Connection& connection) -> absl::Status {
        if (spec.check != nullptr) CAUNOI_RETURN_IF_ERROR(spec.check(connection, resource));
        return check(connection, resource);
      },
      [&](pg::Connection& connection) { return admit(connection, resource); });
}

template <typename M>
absl::StatusOr<M> UpdateResource(ResourceStore& store, const ResourceSpec<M>& spec,
                                 const grpc::ServerContext& context, absl::string_view method,
                                 const google::protobuf::Message& request, const M& patch,
                                 const google::protobuf::FieldMask& update_mask,
                                 absl::string_view reason, ResourceCheck<M> check = NoCheck<M>) {
  CAUNOI_ASSIGN_OR_RETURN(WriteRequest write,
                          WriteRequestFrom(context, method, request, "", reason));
  CAUNOI_ASSIGN_OR_RETURN(
      std::vector<std::string> ids,
      api::ParseResourceName(patch.name(), spec.table.pattern, absl::StrCat(spec.field, ".name")));
  CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> paths,
                          api::ResolveUpdateMask(update_mask, patch, spec.updatable));
  return store.Update(
      spec.table, patch.name(), ids.back(), patch.etag(), paths, write,
      [&](pg::Connection& connection, M& current) -> absl::StatusOr<std::vector<pg::Param>> {
        api::ApplyUpdateMask(patch, paths, current);
        CAUNOI_RETURN_IF_ERROR(spec.validate(current));
        if (spec.check != nullptr) CAUNOI_RETURN_IF_ERROR(spec.check(connection, current));
        CAUNOI_RETURN_IF_ERROR(check(connection, current));
        return spec.columns(current);
      });
}

template <typename M>
absl::Status DeleteResource(ResourceStore& store, const ResourceSpec<M>& spec,
                            const grpc::ServerContext& context, absl::string_view method,
                            const google::protobuf::Message& request, absl::string_view name,
                            absl::string_view etag, absl::string_view reason) {
  CAUNOI_ASSIGN_OR_RETURN(WriteRequest write,
                          WriteRequestFrom(context, method, request, "", reason));
  CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                          api::ParseResourceName(name, spec.table.pattern, "name"));
  return store.Delete(spec.table, name, ids.back(), etag, write);
}

// One page of audit records, newest first: a resource's history, or every
// write of the service narrowed by `request`'s actor, locality
// ("localities/01", the writing principal's) and time range. Sets
// *next_page_token when older ones remain.
template <typename Request>
absl::StatusOr<std::vector<v1::AuditRecord>> ListAuditRecords(ResourceStore& store,
                                                              const grpc::ServerContext& context,
                                                              absl::string_view method,
                                                              const Request& request,
                                                              std::string* next_page_token) {
  constexpr int kDefaultPageSize = 50;
  constexpr int kMaxPageSize = 500;
  AuditQuery query;
  query.resource = request.resource();
  query.actor = request.actor();
  CAUNOI_RETURN_IF_ERROR(api::ValidateText(query.resource, "resource", {}));
  CAUNOI_RETURN_IF_ERROR(api::ValidateText(query.actor, "actor", {}));
  if (!request.locality().empty()) {
    CAUNOI_ASSIGN_OR_RETURN(query.actor_locality,
                            ParseLocalityName(request.locality(), "locality"));
  }
  if (request.has_start_time()) {
    CAUNOI_ASSIGN_OR_RETURN(query.start, api::ToTime(request.start_time(), "start_time"));
  }
  if (request.has_end_time()) {
    CAUNOI_ASSIGN_OR_RETURN(query.end, api::ToTime(request.end_time(), "end_time"));
    if (query.start && *query.end <= *query.start) {
      return InvalidFieldError("end_time", "must come after start_time");
    }
  }
  CAUNOI_ASSIGN_OR_RETURN(
      int page_size, api::ResolvePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize));
  const std::string key =
      absl::StrCat(method, "|", query.resource, "|", query.actor, "|", query.actor_locality, "|",
                   request.start_time().seconds(), ".", request.start_time().nanos(), "|",
                   request.end_time().seconds(), ".", request.end_time().nanos());
  std::string before_id;
  if (!request.page_token().empty()) {
    CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> token,
                            api::DecodePageToken(request.page_token(), key));
    if (token.size() != 1) return InvalidFieldError("page_token", "was not made by this method");
    before_id = token[0];
  }
  CAUNOI_ASSIGN_OR_RETURN(
      std::vector<v1::AuditRecord> records,
      store.ListAudit(query, before_id, page_size + 1, api::RequestDeadline(context)));
  if (static_cast<int>(records.size()) > page_size) {
    records.resize(page_size);
    *next_page_token =
        api::EncodePageToken(key, {std::string(api::ResourceId(records.back().name()))});
  }
  return records;
}

}  // namespace caunoi::resource

#endif  // CAUNOI_COMMON_RESOURCE_STANDARD_METHODS_H_
