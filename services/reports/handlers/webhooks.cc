#include "services/reports/reports_service.h"

// Webhooks: endpoints a principal registers to receive the alerts it may
// see, and the deliveries made to them.
#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/deadline.h"
#include "common/api/enum_token.h"
#include "common/api/filter.h"
#include "common/api/page_token.h"
#include "common/api/resource_name.h"
#include "common/resource/reply.h"
#include "common/resource/resource_helpers.h"
#include "common/resource/write_request.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/reports/webhooks/webhook_signature.h"

namespace caunoi::reports {
namespace {

constexpr absl::string_view kWebhookPattern = "webhooks/{}";
constexpr int kDefaultPage = 50;
constexpr int kMaxPage = 500;
constexpr size_t kMaxUrl = 2048;

constexpr api::FilterField kDeliveryFilterFields[] = {
    {"state", true, false, resource::EnumFilter<v1::DeliveryState>},
};

absl::StatusOr<int64_t> WebhookId(absl::string_view name, absl::string_view field) {
  CAUNOI_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                          api::ParseResourceName(name, kWebhookPattern, field));
  int64_t id = 0;
  if (!absl::SimpleAtoi(ids[0], &id)) return InvalidFieldError(field, "is not a webhook's name");
  return id;
}

absl::StatusOr<int64_t> AfterId(const std::string& token) {
  int64_t id = 0;
  if (!token.empty() && (!absl::SimpleAtoi(token, &id) || id <= 0)) {
    return InvalidFieldError("page_token", "is not a token this service sent");
  }
  return id;
}

absl::Status ValidateWebhook(const v1::Webhook& webhook) {
  const std::string& url = webhook.url();
  if (!absl::StartsWith(url, "http://") && !absl::StartsWith(url, "https://")) {
    return InvalidFieldError("webhook.url", "must be an http:// or https:// address");
  }
  if (url.size() > kMaxUrl || url.find_first_of(" \r\n\t") != std::string::npos) {
    return InvalidFieldError("webhook.url", "must be one address of at most 2048 characters");
  }
  for (int i = 0; i < webhook.kinds_size(); ++i) {
    if (webhook.kinds(i) == v1::ALERT_KIND_UNSPECIFIED ||
        !v1::AlertKind_IsValid(webhook.kinds(i))) {
      return InvalidFieldError(absl::StrCat("webhook.kinds[", i, "]"), "is not an alert kind");
    }
  }
  return absl::OkStatus();
}

}  // namespace

grpc::Status ReportsService::CreateWebhook(grpc::ServerContext* context,
                                           const v1::CreateWebhookRequest* request,
                                           v1::Webhook* response) {
  return resource::Reply(
      [&]() -> absl::StatusOr<v1::Webhook> {
        CAUNOI_RETURN_IF_ERROR(ValidateWebhook(request->webhook()));
        CAUNOI_ASSIGN_OR_RETURN(std::optional<auth::Principal> owner, auth::CallerOf(*context));
        CAUNOI_ASSIGN_OR_RETURN(
            resource::WriteRequest write,
            resource::WriteRequestFrom(*context, "CreateWebhook", *request, "", ""));
        return webhooks_.Create(request->webhook(), owner, NewWebhookSecret(), write);
      }(),
      response);
}

grpc::Status ReportsService::GetWebhook(grpc::ServerContext* context,
                                        const v1::GetWebhookRequest* request,
                                        v1::Webhook* response) {
  return resource::Reply(
      [&]() -> absl::StatusOr<v1::Webhook> {
        CAUNOI_ASSIGN_OR_RETURN(const int64_t id, WebhookId(request->name(), "name"));
        CAUNOI_ASSIGN_OR_RETURN(std::optional<auth::Principal> owner, auth::CallerOf(*context));
        return webhooks_.Get(id, owner, api::RequestDeadline(*context));
      }(),
      response);
}

grpc::Status ReportsService::ListWebhooks(grpc::ServerContext* context,
                                          const v1::ListWebhooksRequest* request,
                                          v1::ListWebhooksResponse* response) {
  return resource::Reply(
      [&]() -> absl::StatusOr<v1::ListWebhooksResponse> {
        CAUNOI_ASSIGN_OR_RETURN(const int limit,
                                api::ResolvePageSize(request->page_size(), kDefaultPage, kMaxPage));
        CAUNOI_ASSIGN_OR_RETURN(const int64_t after_id, AfterId(request->page_token()));
        CAUNOI_ASSIGN_OR_RETURN(std::optional<auth::Principal> owner, auth::CallerOf(*context));
        return webhooks_.List(owner, after_id, limit, api::RequestDeadline(*context));
      }(),
      response);
}

grpc::Status ReportsService::DeleteWebhook(grpc::ServerContext* context,
                                           const v1::DeleteWebhookRequest* request,
                                           google::protobuf::Empty*) {
  absl::Status status = [&]() -> absl::Status {
    CAUNOI_ASSIGN_OR_RETURN(const int64_t id, WebhookId(request->name(), "name"));
    CAUNOI_ASSIGN_OR_RETURN(std::optional<auth::Principal> owner, auth::CallerOf(*context));
    CAUNOI_ASSIGN_OR_RETURN(
        resource::WriteRequest write,
        resource::WriteRequestFrom(*context, "DeleteWebhook", *request, "", ""));
    return webhooks_.Delete(id, owner, write);
  }();
  return ToGrpcStatus(status);
}

grpc::Status ReportsService::ListDeliveries(grpc::ServerContext* context,
                                            const v1::ListDeliveriesRequest* request,
                                            v1::ListDeliveriesResponse* response) {
  return resource::Reply(
      [&]() -> absl::StatusOr<v1::ListDeliveriesResponse> {
        CAUNOI_ASSIGN_OR_RETURN(const int64_t id, WebhookId(request->parent(), "parent"));
        CAUNOI_ASSIGN_OR_RETURN(const int limit,
                                api::ResolvePageSize(request->page_size(), kDefaultPage, kMaxPage));
        CAUNOI_ASSIGN_OR_RETURN(const int64_t after_id, AfterId(request->page_token()));
        CAUNOI_ASSIGN_OR_RETURN(std::vector<api::FilterTerm> terms,
                                api::ParseFilter(request->filter(), kDeliveryFilterFields));
        CAUNOI_ASSIGN_OR_RETURN(auto bound, api::BindFilter(terms, kDeliveryFilterFields));
        CAUNOI_ASSIGN_OR_RETURN(std::optional<auth::Principal> owner, auth::CallerOf(*context));
        return webhooks_.ListDeliveries(id, owner, bound[0], after_id, limit,
                                        api::RequestDeadline(*context));
      }(),
      response);
}

}  // namespace caunoi::reports
