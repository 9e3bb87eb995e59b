#include "services/gateway/forwarding_service.h"

#include <atomic>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth/principal.h"
#include "common/logging/log.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "grpcpp/impl/codegen/server_callback_handlers.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/client_callback.h"
#include "grpcpp/support/server_callback.h"

namespace caunoi::gateway {

// Where a method's calls go and who admits them.
struct ForwardingService::Route {
  std::string path;  // "/caunoi.v1.ReportService/GetReport"
  std::string method_name;
  Backend* backend;
  Gatekeeper* gatekeeper;
  const std::string* secret;
};

namespace {

using grpc::ByteBuffer;
using Reactor = grpc::ServerBidiReactor<ByteBuffer, ByteBuffer>;

// Headers gRPC itself owns, and ours that only the gateway may set.
bool ForwardsHeader(absl::string_view key) {
  return !absl::StartsWith(key, ":") && !absl::StartsWith(key, "grpc-") &&
         !absl::StartsWith(key, "caunoi-") && key != "authorization" && key != "content-type" &&
         key != "te" && key != "user-agent" && key != "host";
}

absl::string_view View(const grpc::string_ref& ref) { return {ref.data(), ref.size()}; }

using Route = ForwardingService::Route;

// Answers at once, for calls refused before reaching a backend.
class Refusal final : public Reactor {
 public:
  explicit Refusal(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

// The backend call's context: the caller's deadline and cancellation,
// the caller's own headers, and the principal vouched for with the secret.
std::unique_ptr<grpc::ClientContext> UpstreamContext(const grpc::CallbackServerContext& caller,
                                                     const auth::Principal& principal,
                                                     const std::string& secret) {
  std::unique_ptr<grpc::ClientContext> context =
      grpc::ClientContext::FromCallbackServerContext(caller);
  for (const auto& [key, value] : caller.client_metadata()) {
    if (ForwardsHeader(View(key))) {
      context->AddMetadata(std::string(View(key)), std::string(View(value)));
    }
  }
  context->AddMetadata(std::string(auth::kPrincipalMetadata), auth::EncodePrincipal(principal));
  context->AddMetadata(std::string(auth::kSecretMetadata), secret);
  context->AddMetadata(std::string(auth::kActorMetadata), principal.name);
  return context;
}

void CopyInitialMetadata(const grpc::ClientContext& from, grpc::CallbackServerContext& to) {
  for (const auto& [key, value] : from.GetServerInitialMetadata()) {
    if (ForwardsHeader(View(key))) {
      to.AddInitialMetadata(std::string(View(key)), std::string(View(value)));
    }
  }
}

void CopyTrailingMetadata(const grpc::ClientContext& from, grpc::CallbackServerContext& to) {
  for (const auto& [key, value] : from.GetServerTrailingMetadata()) {
    if (ForwardsHeader(View(key))) {
      to.AddTrailingMetadata(std::string(View(key)), std::string(View(value)));
    }
  }
}

grpc::Status BackendBusy(const Backend& backend) {
  absl::Status status = ErrorWithReason(
      absl::StatusCode::kResourceExhausted,
      absl::StrCat("the ", backend.name(), " service has too many calls in flight; retry shortly"),
      "BACKEND_BUSY", {{"backend", backend.name()}});
  SetRetryDelay(status, absl::Milliseconds(200));
  return ToGrpcStatus(status);
}

// One request, one answer: read the request, make the backend call, answer.
class UnaryForward final : public Reactor {
 public:
  UnaryForward(grpc::CallbackServerContext* caller, const Route& route, Admission admission)
      : caller_(caller), route_(route), admission_(std::move(admission)) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the call sent no request"));
      return;
    }
    upstream_ = UpstreamContext(*caller_, admission_.principal(), *route_.secret);
    route_.backend->stub().UnaryCall(upstream_.get(), route_.path, grpc::StubOptions(), &request_,
                                     &response_, [this](grpc::Status status) { Answer(status); });
  }

  void OnDone() override {
    route_.backend->Release();
    delete this;
  }

 private:
  void Answer(const grpc::Status& status) {
    CopyInitialMetadata(*upstream_, *caller_);
    CopyTrailingMetadata(*upstream_, *caller_);
    if (status.ok()) {
      StartWriteAndFinish(&response_, grpc::WriteOptions(), status);
    } else {
      Finish(status);
    }
  }

  grpc::CallbackServerContext* const caller_;
  const Route& route_;
  const Admission admission_;
  std::unique_ptr<grpc::ClientContext> upstream_;
  ByteBuffer request_;
  ByteBuffer response_;
};

// One request, a stream of answers. Each answer is read from the backend
// only after the previous one was written to the caller, so a slow caller
// slows the backend instead of filling the gateway's memory.
class StreamForward final : public Reactor {
 public:
  StreamForward(grpc::CallbackServerContext* caller, const Route& route, Admission admission)
      : caller_(caller), route_(route), admission_(std::move(admission)), upstream_(this) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the call sent no request"));
      return;
    }
    context_ = UpstreamContext(*caller_, admission_.principal(), *route_.secret);
    route_.backend->stub().PrepareBidiStreamingCall(context_.get(), route_.path,
                                                    grpc::StubOptions(), &upstream_);
    upstream_.StartWriteLast(&request_, grpc::WriteOptions());
    // Held until the read loop ends, so the backend's status is handled
    // only once no write to the caller is pending.
    upstream_.AddHold();
    upstream_.StartCall();
  }

  void OnWriteDone(bool ok) override {
    if (ok) {
      upstream_.StartRead(&response_);
      return;
    }
    context_->TryCancel();  // the caller went away
    upstream_.RemoveHold();
  }

  void OnDone() override {
    route_.backend->Release();
    delete this;
  }

 private:
  class Upstream final : public grpc::ClientBidiReactor<ByteBuffer, ByteBuffer> {
   public:
    explicit Upstream(StreamForward* owner) : owner_(owner) {}

    void OnReadInitialMetadataDone(bool ok) override {
      if (ok) CopyInitialMetadata(*owner_->context_, *owner_->caller_);
      StartRead(&owner_->response_);
    }
    void OnReadDone(bool ok) override {
      if (ok) {
        owner_->StartWrite(&owner_->response_);
      } else {
        RemoveHold();
      }
    }
    void OnDone(const grpc::Status& status) override {
      CopyTrailingMetadata(*owner_->context_, *owner_->caller_);
      owner_->Finish(status);
    }

   private:
    StreamForward* const owner_;
  };

  grpc::CallbackServerContext* const caller_;
  const Route& route_;
  const Admission admission_;
  std::unique_ptr<grpc::ClientContext> context_;
  Upstream upstream_;
  ByteBuffer request_;
  ByteBuffer response_;
};

// Admits the call, then forwards it or answers the refusal.
Reactor* OpenForward(grpc::CallbackServerContext* caller, const Route& route, bool streams) {
  absl::StatusOr<Admission> admission =
      route.gatekeeper->Admit(*caller, route.method_name, streams);
  if (!admission.ok()) return new Refusal(ToGrpcStatus(admission.status()));
  if (!route.backend->TryAcquire()) return new Refusal(BackendBusy(*route.backend));
  if (streams) return new StreamForward(caller, route, *std::move(admission));
  return new UnaryForward(caller, route, *std::move(admission));
}

}  // namespace

ForwardingService::ForwardingService(const google::protobuf::ServiceDescriptor& service,
                                     Backend& backend, Gatekeeper& gatekeeper, std::string secret)
    : secret_(std::move(secret)) {
  for (int i = 0; i < service.method_count(); ++i) {
    const google::protobuf::MethodDescriptor& method = *service.method(i);
    // The suite has no client-streaming methods; a new one needs its own
    // forwarding loop before it can be served here.
    if (method.client_streaming()) {
      log::Error("gateway.unsupported_method", {{"method", method.full_name()}});
      std::abort();
    }
    routes_.push_back(
        std::make_unique<Route>(Route{absl::StrCat("/", service.full_name(), "/", method.name()),
                                      method.name(), &backend, &gatekeeper, &secret_}));
    const Route* route = routes_.back().get();
    // Every method is registered as bidirectional streaming over raw bytes:
    // on the wire a unary call is a stream of one message each way.
    AddMethod(new grpc::internal::RpcServiceMethod(
        route->path.c_str(), grpc::internal::RpcMethod::BIDI_STREAMING, nullptr));
    const bool streams = method.server_streaming();
    MarkMethodRawCallback(i, new grpc::internal::CallbackBidiHandler<ByteBuffer, ByteBuffer>(
                                 [route, streams](grpc::CallbackServerContext* caller) {
                                   return OpenForward(caller, *route, streams);
                                 }));
  }
}

ForwardingService::~ForwardingService() = default;

}  // namespace caunoi::gateway
