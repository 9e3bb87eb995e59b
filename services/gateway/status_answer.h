#ifndef CAUNOI_SERVICES_GATEWAY_STATUS_ANSWER_H_
#define CAUNOI_SERVICES_GATEWAY_STATUS_ANSWER_H_

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "common/api/deadline.h"
#include "common/status/grpc_status.h"
#include "grpcpp/server_context.h"
#include "services/gateway/gatekeeper.h"
#include "services/gateway/turns.h"

namespace caunoi::gateway {

// A status answer: admitted by the gatekeeper, computed in its turn (both
// held while `body` runs), and its status mapped once.
template <typename Response>
grpc::Status Answer(const grpc::ServerContext& context, Gatekeeper& gatekeeper, Turns& turns,
                    absl::string_view method, Response* response,
                    absl::FunctionRef<absl::StatusOr<Response>()> body) {
  absl::StatusOr<Admission> admission = gatekeeper.Admit(context, method);
  if (!admission.ok()) return ToGrpcStatus(admission.status());
  absl::StatusOr<Turns::Turn> turn = turns.Take(api::RequestDeadline(context));
  if (!turn.ok()) return ToGrpcStatus(turn.status());
  absl::StatusOr<Response> answer = body();
  if (!answer.ok()) return ToGrpcStatus(answer.status());
  *response = *std::move(answer);
  return grpc::Status::OK;
}

}  // namespace caunoi::gateway

#endif  // CAUNOI_SERVICES_GATEWAY_STATUS_ANSWER_H_
