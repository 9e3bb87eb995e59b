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
using StreamReactor = grpc::ServerBidiReactor<ByteBuffer, ByteBuffer>;

// Headers gRPC itself owns, and ours that only the gateway may set.
bool ForwardsHeader(absl::string_view key) {
  return !absl::StartsWith(key, ":") && !absl::StartsWith(key, "grpc-") &&
         !absl::StartsWith(key, "caunoi-") && key != "authorization" && key != "content-type" &&
         key != "te" && key != "user-agent" && key != "host";
}

absl::string_view View(const grpc::string_ref& ref) { return {ref.data(), ref.size()}; }

using Route = ForwardingService::Route;

// A streaming call refused before reaching a backend, answered at once.
class Refusal final : public StreamReactor {
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

grpc::Status BackendBusy(const Backend& backend) { return ToGrpcStatus(backend.BusyError()); }

grpc::Status NoRequest() {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the call sent no request");
}

// A unary call in flight: what must last until the backend answers.
struct UnaryCall {
  grpc::CallbackServerContext* caller;
  const Route& route;
  Admission admission;
  std::unique_ptr<grpc::ClientContext> upstream;
};

// One request, one answer. Registered as unary, the call arrives with its
// request already read, so the backend call starts at once and its answer
// ends the call: gRPC spends no operation and no callback on reading the
// request or on a stream's steps.
grpc::ServerUnaryReactor* ForwardUnary(grpc::CallbackServerContext* caller, const Route& route,
                                       const ByteBuffer* request, ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = caller->DefaultReactor();
  absl::StatusOr<Admission> admission = route.gatekeeper->Admit(*caller, route.method_name);
  if (!admission.ok()) {
    reactor->Finish(ToGrpcStatus(admission.status()));
  } else if (!request->Valid()) {
    reactor->Finish(NoRequest());
  } else if (!route.backend->TryAcquire()) {
    reactor->Finish(BackendBusy(*route.backend));
  } else {
    auto* call = new UnaryCall{caller, route, *std::move(admission), nullptr};
    call->upstream = UpstreamContext(*caller, call->admission.principal(), *route.secret);
    route.backend->stub().UnaryCall(
        call->upstream.get(), route.path, grpc::StubOptions(), request, response,
        [call, reactor, request, response](grpc::Status status) {
          CopyInitialMetadata(*call->upstream, *call->caller);
          CopyTrailingMetadata(*call->upstream, *call->caller);
          call->route.backend->Release();
          call->admission.Carried(request->Length() + response->Length());
          delete call;  // settles the admission
          reactor->Finish(status);
        });
  }
  return reactor;
}

// One request, a stream of answers. Each answer is read from the backend
// only after the previous one was written to the caller, so a slow caller
// slows the backend instead of filling the gateway's memory.
class StreamForward final : public StreamReactor {
 public:
  StreamForward(grpc::CallbackServerContext* caller, const Route& route, Admission admission)
      : caller_(caller), route_(route), admission_(std::move(admission)), upstream_(this) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(NoRequest());
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

// Admits the streaming call, then forwards it or answers the refusal.
StreamReactor* OpenStream(grpc::CallbackServerContext* caller, const Route& route) {
  absl::StatusOr<Admission> admission =
      route.gatekeeper->Admit(*caller, route.method_name, /*streams=*/true);
  if (!admission.ok()) return new Refusal(ToGrpcStatus(admission.status()));
  if (!route.backend->TryAcquire()) return new Refusal(BackendBusy(*route.backend));
  return new StreamForward(caller, route, *std::move(admission));
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
    // Every method is registered over raw bytes; one that answers with a
    // stream as bidirectional streaming, a stream of one message from the
    // caller.
    if (method.server_streaming()) {
      AddMethod(new grpc::internal::RpcServiceMethod(
          route->path.c_str(), grpc::internal::RpcMethod::BIDI_STREAMING, nullptr));
      MarkMethodRawCallback(i, new grpc::internal::CallbackBidiHandler<ByteBuffer, ByteBuffer>(
                                   [route](grpc::CallbackServerContext* caller) {
                                     return OpenStream(caller, *route);
                                   }));
    } else {
      AddMethod(new grpc::internal::RpcServiceMethod(
          route->path.c_str(), grpc::internal::RpcMethod::NORMAL_RPC, nullptr));
      MarkMethodRawCallback(i, new grpc::internal::CallbackUnaryHandler<ByteBuffer, ByteBuffer>(
                                   [route](grpc::CallbackServerContext* caller,
                                           const ByteBuffer* request, ByteBuffer* response) {
                                     return ForwardUnary(caller, *route, request, response);
                                   }));
    }
  }
}

ForwardingService::~ForwardingService() = default;

}  // namespace caunoi::gateway
