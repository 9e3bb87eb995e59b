#include "services/gateway/relay_router.h"

#include <map>
#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/principal.h"
#include "common/calls/trace.h"
#include "common/metrics/metrics.h"
#include "common/server/call_counter.h"
#include "common/status/grpc_status.h"

namespace caunoi::gateway {
namespace {

using Metadata = std::multimap<grpc::string_ref, grpc::string_ref>;

// Headers a caller may not send on (its token; ours, which only the
// gateway sets; the trace, which continues as the gateway's span). The
// rest go as they came: gRPC's own (deadline, encodings) among them, since
// the messages pass through untouched.
bool PassesOn(absl::string_view name) {
  return name != "authorization" && !absl::StartsWith(name, "caunoi-") &&
         name != calls::kTraceparentMetadata;
}

absl::string_view Find(const relay::Headers& headers, absl::string_view name) {
  for (const relay::Header& header : headers) {
    if (header.name == name) return header.value;
  }
  return {};
}

relay::Answer AnswerOf(const absl::Status& error, const calls::Trace& trace) {
  const grpc::Status status = WithRequestInfo(ToGrpcStatus(error), trace);
  return {status.error_code(), status.error_message(), status.error_details()};
}

// What lasts from a relayed call's admission to its end.
struct RelayedCall {
  RelayedCall(absl::string_view path, absl::string_view peer, const calls::Trace& trace)
      : path(path), peer(peer), trace(trace), served(metrics::CountedCall::Side::kServed, path) {}

  const std::string path;
  const std::string peer;
  const calls::Trace trace;
  const absl::Time started = absl::Now();
  metrics::CountedCall served;
  std::string principal;
  std::optional<Admission> admission;
  Backend* backend = nullptr;  // set once a slot is taken
  std::unique_ptr<metrics::CountedCall> made;
};

}  // namespace

RelayRouter::RelayRouter(const std::vector<RelayedService>& services, size_t gateway_upstream,
                         Gatekeeper& gatekeeper, std::string secret, CallLogLevel log_level)
    : methods_(MethodsOf(services)),
      gateway_upstream_(gateway_upstream),
      gatekeeper_(gatekeeper),
      secret_(std::move(secret)),
      log_level_(log_level) {}

absl::flat_hash_map<std::string, RelayRouter::Method> RelayRouter::MethodsOf(
    const std::vector<RelayedService>& services) {
  absl::flat_hash_map<std::string, RelayRouter::Method> methods;
  for (const RelayedService& relayed : services) {
    for (int i = 0; i < relayed.service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor& method = *relayed.service->method(i);
      methods.emplace(absl::StrCat("/", relayed.service->full_name(), "/", method.name()),
                      RelayRouter::Method{method.name(), relayed.backend, relayed.upstream,
                                          method.server_streaming()});
    }
  }
  return methods;
}

relay::Route RelayRouter::operator()(absl::string_view path, absl::string_view peer,
                                     relay::Headers headers) const {
  relay::Route route;
  auto found = methods_.find(path);
  if (found == methods_.end()) {
    route.upstream = gateway_upstream_;
    route.headers = std::move(headers);
    return route;
  }
  const Method& method = found->second;
  auto call =
      std::make_unique<RelayedCall>(path, peer,
                                    calls::Continue(Find(headers, calls::kTraceparentMetadata),
                                                    Find(headers, calls::kRequestIdMetadata)));
  Metadata metadata;
  for (const relay::Header& header : headers) {
    metadata.emplace(grpc::string_ref(header.name), grpc::string_ref(header.value));
  }
  absl::StatusOr<Admission> admission = gatekeeper_.Admit(metadata, method.name, method.streams);
  if (!admission.ok()) {
    absl::StatusOr<auth::Principal> principal = gatekeeper_.Authenticate(metadata);
    if (principal.ok()) call->principal = principal->name;
    route.answer = AnswerOf(admission.status(), call->trace);
  } else if (!method.backend->TryAcquire()) {
    call->principal = admission->principal().name;
    route.answer = AnswerOf(method.backend->BusyError(), call->trace);
  } else {
    call->principal = admission->principal().name;
    call->backend = method.backend;
    route.upstream = method.upstream;
    route.resendable = auth::IsReadMethod(method.name);
    relay::Headers& sent = route.headers;
    sent.reserve(headers.size() + 5);
    bool has_request_id = false;
    for (relay::Header& header : headers) {
      if (!PassesOn(header.name)) continue;
      has_request_id |= header.name == calls::kRequestIdMetadata;
      sent.push_back(std::move(header));
    }
    sent.push_back(
        {std::string(auth::kPrincipalMetadata), auth::EncodePrincipal(admission->principal())});
    sent.push_back({std::string(auth::kSecretMetadata), secret_});
    sent.push_back({std::string(auth::kActorMetadata), call->principal});
    sent.push_back({std::string(calls::kTraceparentMetadata), calls::Traceparent(call->trace)});
    if (!has_request_id) {
      sent.push_back({std::string(calls::kRequestIdMetadata), call->trace.request_id});
    }
    // Every method takes one request; a call without it is refused here,
    // as the gRPC forwarding refuses it.
    // The call outlives the wait for its request.
    route.answer_if_no_request = [trace = &call->trace] {
      return AnswerOf(absl::InvalidArgumentError("the call sent no request"), *trace);
    };
    call->admission.emplace(*std::move(admission));
    call->made = std::make_unique<metrics::CountedCall>(metrics::CountedCall::Side::kMade, path);
  }
  route.on_end = [call = std::move(call), level = log_level_](const relay::CallEnd& end) {
    const auto code = static_cast<grpc::StatusCode>(end.grpc_status);
    if (call->made != nullptr) call->made->Finish(code);
    call->served.Finish(code);
    if (call->backend != nullptr) call->backend->Release();
    if (call->admission) {
      call->admission->Carried(end.request_bytes + end.response_bytes);
      call->admission.reset();  // charges the principal for the work the call caused
    }
    CountCallServed(call->path);
    LogCall(level, call->path, code, absl::Now() - call->started, call->principal, call->peer,
            call->trace);
  };
  return route;
}

}  // namespace caunoi::gateway
