#ifndef CAUNOI_COMMON_RESOURCE_STANDARD_HANDLERS_H_
#define CAUNOI_COMMON_RESOURCE_STANDARD_HANDLERS_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_split.h"
#include "common/api/field_mask.h"
#include "common/auth/principal.h"
#include "common/resource/reply.h"
#include "common/resource/standard_methods.h"
#include "common/status/grpc_status.h"
#include "google/protobuf/empty.pb.h"
#include "google/protobuf/message.h"

// The handlers of a resource's standard methods (AIP-131..135), declared
// once per resource from its spec instead of once per RPC. The request and
// response fields are the ones the AIPs name (name, parent, filter,
// page_size, page_token, request_id, update_mask, etag, reason, and the
// resource under spec.field), read through reflection, so every resource
// follows the same rules by construction.
namespace caunoi::resource {

// What a list binds after its filter's parameters (AIP-132), read from the
// request: values only another service knows, or fields beside the filter
// (nullopt for none).
using ListValues = std::vector<std::optional<std::string>>;
using ListParams = std::function<absl::StatusOr<ListValues>(
    const grpc::ServerContext&, const google::protobuf::Message& request)>;

// Who may write a resource, what must hold outside this service before it
// is written, and what its list needs besides its filter; each may be
// empty.
template <typename M>
struct HandlerRules {
  // PERMISSION_DENIED unless the caller may write what the record `name`
  // owns: the resource itself on update and delete, its parent on create.
  // A malformed or unknown name is left to validation.
  std::function<absl::Status(const grpc::ServerContext&, absl::string_view name)> owner = nullptr;
  // PERMISSION_DENIED unless the caller may place the resource where it
  // says it belongs: on create (`mask` null), and on an update whose mask
  // writes its place. Runs before validation, leaving malformed values to
  // it.
  std::function<absl::Status(const grpc::ServerContext&, const M&,
                             const google::protobuf::FieldMask*)>
      place = nullptr;
  // Runs after validation on the resource as created (`mask` null) or on
  // the patch of an update: checks references held by other services,
  // derives fields from them, and decides whether the caller may place the
  // resource where it says it belongs.
  std::function<absl::Status(const grpc::ServerContext&, M&, const google::protobuf::FieldMask*)>
      admit = nullptr;
  ListParams list_params = nullptr;
  // An output field the server derives from another, as {source, derived}
  // ("assignee", "assignee_locality"): an update whose mask names the
  // source writes it too, and a caller's mask may not name it.
  std::pair<absl::string_view, absl::string_view> derived = {};
};

namespace internal {

const google::protobuf::FieldDescriptor* FieldOf(const google::protobuf::Message& message,
                                                 absl::string_view name);
std::string StringField(const google::protobuf::Message& message, absl::string_view name);
int32_t IntField(const google::protobuf::Message& message, absl::string_view name);
const google::protobuf::Message& MessageField(const google::protobuf::Message& message,
                                              absl::string_view name);
// "CreateCountryRequest" -> "CreateCountry": the method's name for audit
// records and page tokens.
std::string MethodOf(const google::protobuf::Message& request);
// The pattern of a nested resource's parent ("organizations/{}" for
// "organizations/{}/terms/{}"); empty for a top-level resource.
absl::string_view ParentPattern(absl::string_view pattern);

}  // namespace internal

template <typename M>
class StandardHandlers {
 public:
  StandardHandlers(ResourceStore& store, const ResourceSpec<M>& spec, const ListSpec& list,
                   HandlerRules<M> rules = {})
      : store_(store), spec_(spec), list_(list), rules_(std::move(rules)) {}

  grpc::Status Get(const grpc::ServerContext& context, const google::protobuf::Message& request,
                   M* response) const {
    return Reply(GetResource(store_, spec_, context, internal::StringField(request, "name")),
                 response);
  }

  grpc::Status List(const grpc::ServerContext& context, const google::protobuf::Message& request,
                    google::protobuf::Message* response) const {
    absl::StatusOr<std::vector<M>> rows = [&]() -> absl::StatusOr<std::vector<M>> {
      CAUNOI_ASSIGN_OR_RETURN(
          std::vector<std::string> parent_ids,
          list_.every_parent ? api::ParseParentOrEvery(internal::StringField(request, "parent"),
                                                       internal::ParentPattern(spec_.table.pattern))
                             : ParentIds(request));
      std::vector<pg::Param> extra;
      if (rules_.list_params) {
        CAUNOI_ASSIGN_OR_RETURN(extra, rules_.list_params(context, request));
      }
      std::string next_page_token;
      CAUNOI_ASSIGN_OR_RETURN(
          std::vector<M> page,
          ListResources(
              store_, list_, spec_.table.from_row, context, internal::MethodOf(request),
              {internal::StringField(request, "filter"), internal::IntField(request, "page_size"),
               internal::StringField(request, "page_token"), std::move(parent_ids),
               std::move(extra)},
              &next_page_token));
      response->GetReflection()->SetString(
          response, internal::FieldOf(*response, "next_page_token"), std::move(next_page_token));
      return page;
    }();
    return ReplyItems(std::move(rows), *response);
  }

  grpc::Status Create(const grpc::ServerContext& context, const google::protobuf::Message& request,
                      M* response) const {
    absl::StatusOr<M> created = [&]() -> absl::StatusOr<M> {
      const std::string parent = internal::StringField(request, "parent");
      M resource = ResourceOf(request);
      resource.clear_name();
      if (rules_.owner && IsNested()) CAUNOI_RETURN_IF_ERROR(rules_.owner(context, parent));
      if (rules_.place) CAUNOI_RETURN_IF_ERROR(rules_.place(context, resource, nullptr));
      CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> parent_ids, ParentIds(request));
      CAUNOI_RETURN_IF_ERROR(spec_.validate(resource));
      if (rules_.admit) CAUNOI_RETURN_IF_ERROR(rules_.admit(context, resource, nullptr));
      return CreateResource(store_, spec_, context, internal::MethodOf(request), request,
                            parent_ids, resource, internal::StringField(request, "request_id"));
    }();
    return Reply(std::move(created), response);
  }

  grpc::Status Update(const grpc::ServerContext& context, const google::protobuf::Message& request,
                      M* response) const {
    absl::StatusOr<M> updated = [&]() -> absl::StatusOr<M> {
      M patch = ResourceOf(request);
      google::protobuf::FieldMask mask = static_cast<const google::protobuf::FieldMask&>(
          internal::MessageField(request, "update_mask"));
      if (!rules_.derived.first.empty()) {
        CAUNOI_ASSIGN_OR_RETURN(
            mask, api::WithDerivedPath(mask, rules_.derived.first, rules_.derived.second));
      }
      if (rules_.owner) CAUNOI_RETURN_IF_ERROR(rules_.owner(context, patch.name()));
      if (rules_.place) CAUNOI_RETURN_IF_ERROR(rules_.place(context, patch, &mask));
      if (rules_.admit) CAUNOI_RETURN_IF_ERROR(rules_.admit(context, patch, &mask));
      return UpdateResource(store_, spec_, context, internal::MethodOf(request), request, patch,
                            mask, internal::StringField(request, "reason"));
    }();
    return Reply(std::move(updated), response);
  }

  grpc::Status Delete(const grpc::ServerContext& context, const google::protobuf::Message& request,
                      google::protobuf::Empty*) const {
    const std::string name = internal::StringField(request, "name");
    if (rules_.owner) {
      if (absl::Status allowed = rules_.owner(context, name); !allowed.ok()) {
        return ToGrpcStatus(allowed);
      }
    }
    return ToGrpcStatus(DeleteResource(store_, spec_, context, internal::MethodOf(request), request,
                                       name, internal::StringField(request, "etag"),
                                       internal::StringField(request, "reason")));
  }

 private:
  bool IsNested() const { return !internal::ParentPattern(spec_.table.pattern).empty(); }

  absl::StatusOr<std::vector<std::string>> ParentIds(
      const google::protobuf::Message& request) const {
    if (!IsNested()) return std::vector<std::string>();
    return api::ParseResourceName(internal::StringField(request, "parent"),
                                  internal::ParentPattern(spec_.table.pattern), "parent");
  }

  const M& ResourceOf(const google::protobuf::Message& request) const {
    return static_cast<const M&>(internal::MessageField(request, spec_.field));
  }

  // The response's repeated field of M, filled with `items`.
  static grpc::Status ReplyItems(absl::StatusOr<std::vector<M>> items,
                                 google::protobuf::Message& response) {
    if (!items.ok()) return ToGrpcStatus(items.status());
    const google::protobuf::Descriptor* type = response.GetDescriptor();
    for (int i = 0; i < type->field_count(); ++i) {
      const google::protobuf::FieldDescriptor* field = type->field(i);
      if (!field->is_repeated() || field->message_type() != M::descriptor()) continue;
      for (M& item : *items) {
        *static_cast<M*>(response.GetReflection()->AddMessage(&response, field)) = std::move(item);
      }
    }
    return grpc::Status::OK;
  }

  ResourceStore& store_;
  const ResourceSpec<M>& spec_;
  const ListSpec& list_;
  const HandlerRules<M> rules_;
};

}  // namespace caunoi::resource

// Declares, inside a service class, a unary handler written by hand:
// CAUNOI_RPC(GetLocality, GetLocalityRequest, Locality).
#define CAUNOI_RPC(Method, Request, Response)                                   \
  grpc::Status Method(grpc::ServerContext* context, const v1::Request* request, \
                      v1::Response* response) override;

// Declares, inside a service class, the handlers of the standard methods of
// resource v1::Type (collection Plural), answered by the StandardHandlers
// member `handlers`. One macro per method, for resources that write some
// methods by hand; CAUNOI_STANDARD_METHODS for all five.
#define CAUNOI_GET_METHOD(Type, handlers)                                                     \
  grpc::Status Get##Type(grpc::ServerContext* context, const v1::Get##Type##Request* request, \
                         v1::Type* response) override {                                       \
    return handlers.Get(*context, *request, response);                                        \
  }
#define CAUNOI_LIST_METHOD(Plural, handlers)                                 \
  grpc::Status List##Plural(grpc::ServerContext* context,                    \
                            const v1::List##Plural##Request* request,        \
                            v1::List##Plural##Response* response) override { \
    return handlers.List(*context, *request, response);                      \
  }
#define CAUNOI_CREATE_METHOD(Type, handlers)                                              \
  grpc::Status Create##Type(grpc::ServerContext* context,                                 \
                            const v1::Create##Type##Request* request, v1::Type* response) \
      override {                                                                          \
    return handlers.Create(*context, *request, response);                                 \
  }
#define CAUNOI_UPDATE_METHOD(Type, handlers)                                              \
  grpc::Status Update##Type(grpc::ServerContext* context,                                 \
                            const v1::Update##Type##Request* request, v1::Type* response) \
      override {                                                                          \
    return handlers.Update(*context, *request, response);                                 \
  }
#define CAUNOI_DELETE_METHOD(Type, handlers)                              \
  grpc::Status Delete##Type(grpc::ServerContext* context,                 \
                            const v1::Delete##Type##Request* request,     \
                            google::protobuf::Empty* response) override { \
    return handlers.Delete(*context, *request, response);                 \
  }
#define CAUNOI_STANDARD_METHODS(Type, Plural, handlers) \
  CAUNOI_GET_METHOD(Type, handlers)                     \
  CAUNOI_LIST_METHOD(Plural, handlers)                  \
  CAUNOI_CREATE_METHOD(Type, handlers)                  \
  CAUNOI_UPDATE_METHOD(Type, handlers)                  \
  CAUNOI_DELETE_METHOD(Type, handlers)

#endif  // CAUNOI_COMMON_RESOURCE_STANDARD_HANDLERS_H_
