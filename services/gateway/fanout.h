#ifndef CAUNOI_SERVICES_GATEWAY_FANOUT_H_
#define CAUNOI_SERVICES_GATEWAY_FANOUT_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "caunoi/v1/gateway.pb.h"
#include "common/status/grpc_status.h"
#include "google/protobuf/arena.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace caunoi::gateway {

// One backend call of a status answer: its own context, deadline and result.
// Run again (the next page of a list), it gets a new context: a context
// serves one call only. Given an arena, the answer is parsed onto it, so
// that its parts move into an answer on the same arena without a copy.
template <typename Request, typename Response>
struct Section {
  explicit Section(std::string section_name, google::protobuf::Arena* arena = nullptr)
      : name(std::move(section_name)),
        response(*google::protobuf::Arena::CreateMessage<Response>(arena)),
        owned_(arena == nullptr ? &response : nullptr) {}
  Section(const Section&) = delete;
  Section& operator=(const Section&) = delete;

  std::string name;
  std::unique_ptr<grpc::ClientContext> context;
  Request request;
  Response& response;
  grpc::Status status;

 private:
  std::unique_ptr<Response> owned_;  // the response, when not on an arena
};

// Starts backend calls at once and waits for all of them. Each call has its
// own deadline, so a slow backend costs only its own section.
class Fanout {
 public:
  // `start` begins an async call given (context, request, response, done).
  template <typename Request, typename Response, typename Start>
  void Run(Section<Request, Response>& section, absl::Time deadline, Start start) {
    section.context = std::make_unique<grpc::ClientContext>();
    section.context->set_deadline(absl::ToChronoTime(deadline));
    {
      absl::MutexLock lock(&state_->mutex);
      ++state_->pending;
    }
    // The callback keeps the count alive: it may still be unlocking it when
    // Wait() has returned and this Fanout is gone.
    start(section.context.get(), &section.request, &section.response,
          [state = state_, &section](grpc::Status status) {
            section.status = std::move(status);
            absl::MutexLock lock(&state->mutex);
            --state->pending;
          });
  }

  void Wait() {
    absl::MutexLock lock(&state_->mutex);
    state_->mutex.Await(absl::Condition(
        +[](int* pending) { return *pending == 0; }, &state_->pending));
  }

 private:
  struct State {
    absl::Mutex mutex;
    int pending ABSL_GUARDED_BY(mutex) = 0;
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

// A backend refusing the caller's own input (an unknown or malformed name
// in the request) is the caller's error, not a missing section.
inline bool RefusesTheCallersInput(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::NOT_FOUND ||
         status.error_code() == grpc::StatusCode::INVALID_ARGUMENT;
}

// Records whether `section` answered, in the reply's sections.
template <typename Request, typename Response>
bool Report(const Section<Request, Response>& section,
            google::protobuf::RepeatedPtrField<v1::SectionStatus>* sections) {
  v1::SectionStatus* status = sections->Add();
  status->set_section(section.name);
  status->set_available(section.status.ok());
  if (!section.status.ok()) {
    const absl::Status error = FromGrpcStatus(section.status);
    status->set_reason(absl::StrCat(absl::StatusCodeToString(error.code()), ": ", error.message()));
  }
  return section.status.ok();
}

}  // namespace caunoi::gateway

#endif  // CAUNOI_SERVICES_GATEWAY_FANOUT_H_
