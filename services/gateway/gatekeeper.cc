#include "services/gateway/gatekeeper.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/metrics/metrics.h"
#include "common/status/errors.h"
#include "services/gateway/call_cost.h"

namespace caunoi::gateway {
namespace {

// Registry-wide records no locality owns (countries, people and their
// posts, partners abroad): written by central principals only. Every other
// write is checked by the service owning the record against its locality.
constexpr absl::string_view kCentralRecords[] = {
    "Country", "Person",      "Position", "LeadershipCandidate",
    "Partner", "Partnership", "Communes", "Indicator",
};

bool CentralOnly(absl::string_view method_name) {
  for (absl::string_view record : kCentralRecords) {
    if (absl::EndsWith(method_name, record)) return true;
  }
  return false;
}

}  // namespace

Admission::Admission(Gatekeeper* gatekeeper, auth::Principal principal,
                     absl::string_view method_name, bool charges_work)
    : gatekeeper_(gatekeeper),
      principal_(std::move(principal)),
      method_name_(method_name),
      charges_work_(charges_work),
      started_(absl::Now()) {}

Admission::Admission(Admission&& other) noexcept
    : gatekeeper_(std::exchange(other.gatekeeper_, nullptr)),
      principal_(std::move(other.principal_)),
      method_name_(std::move(other.method_name_)),
      charges_work_(other.charges_work_),
      started_(other.started_),
      bytes_(other.bytes_) {}

Admission::~Admission() {
  if (gatekeeper_ != nullptr) gatekeeper_->Settle(*this);
}

absl::StatusOr<auth::Principal> Gatekeeper::Authenticate(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) const {
  auto header = metadata.find("authorization");
  if (header == metadata.end()) {
    return ErrorWithReason(absl::StatusCode::kUnauthenticated,
                           "send `authorization: Bearer <token>`", "TOKEN_MISSING");
  }
  absl::string_view value(header->second.data(), header->second.size());
  if (!absl::ConsumePrefix(&value, "Bearer ") || value.empty()) {
    return ErrorWithReason(absl::StatusCode::kUnauthenticated,
                           "the authorization header must be `Bearer <token>`", "TOKEN_MALFORMED");
  }
  std::optional<auth::Principal> principal = tokens_.Find(value);
  if (!principal) {
    return ErrorWithReason(absl::StatusCode::kUnauthenticated, "the token is not recognized",
                           "TOKEN_UNKNOWN");
  }
  return *std::move(principal);
}

absl::StatusOr<Admission> Gatekeeper::Admit(const grpc::ServerContextBase& context,
                                            absl::string_view method_name, bool streams) {
  return Admit(context.client_metadata(), method_name, streams);
}

absl::StatusOr<Admission> Gatekeeper::Admit(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
    absl::string_view method_name, bool streams) {
  absl::StatusOr<auth::Principal> principal = Authenticate(metadata);
  if (!principal.ok()) return principal.status();
  const bool reads_only =
      principal->role == auth::Role::kReader || principal->role == auth::Role::kOperator;
  if (reads_only && !auth::IsReadMethod(method_name)) {
    return ErrorWithReason(
        absl::StatusCode::kPermissionDenied,
        absl::StrCat(principal->name, " has the ", auth::RoleName(principal->role),
                     " role, which only reads; ", method_name, " writes"),
        "ROLE_READS_ONLY", {{"principal", principal->name}, {"method", std::string(method_name)}});
  }
  const bool below_central =
      principal->role == auth::Role::kLocality || principal->role == auth::Role::kUnit;
  if (below_central && !auth::IsReadMethod(method_name) && CentralOnly(method_name)) {
    return ErrorWithReason(absl::StatusCode::kPermissionDenied,
                           absl::StrCat(method_name,
                                        " writes a record no locality owns; only central principals"
                                        " may call it"),
                           "CENTRAL_ONLY",
                           {{"principal", principal->name}, {"method", std::string(method_name)}});
  }
  const double cost = CallCost(method_name, costs_.aggregate);
  const bool aggregate = IsAggregate(method_name);
  absl::MutexLock lock(&mutex_);
  if (aggregate && aggregates_running_[principal->name] >= costs_.aggregates_in_flight) {
    absl::Status status =
        ErrorWithReason(absl::StatusCode::kResourceExhausted,
                        absl::StrCat(principal->name, " already has ", costs_.aggregates_in_flight,
                                     " aggregate call(s) running; retry when one has answered"),
                        "AGGREGATES_IN_FLIGHT", {{"principal", principal->name}});
    SetRetryDelay(status, absl::Milliseconds(100));
    metrics::Counter("caunoi_gateway_refused_total", "calls the gateway refused to spare others",
                     {{"reason", "aggregates_in_flight"}})
        .Increment();
    return status;
  }
  const absl::Duration wait = limiter_.Take(principal->name, absl::Now(), cost);
  if (wait > absl::ZeroDuration()) {
    absl::Status status =
        ErrorWithReason(absl::StatusCode::kResourceExhausted,
                        absl::StrCat(principal->name, " is over its call rate; retry in ",
                                     absl::FormatDuration(wait)),
                        "RATE_LIMITED", {{"principal", principal->name}});
    SetRetryDelay(status, wait);
    metrics::Counter("caunoi_gateway_refused_total", "calls the gateway refused to spare others",
                     {{"reason", "rate_limited"}})
        .Increment();
    return status;
  }
  if (aggregate) ++aggregates_running_[principal->name];
  return Admission(this, *std::move(principal), method_name, !streams);
}

void Gatekeeper::Settle(const Admission& admission) {
  const std::string& name = admission.principal().name;
  const double cost = CallCost(admission.method_name_, costs_.aggregate);
  if (IsAggregate(admission.method_name_)) {
    absl::MutexLock lock(&mutex_);
    auto running = aggregates_running_.find(name);
    if (running != aggregates_running_.end() && --running->second == 0) {
      aggregates_running_.erase(running);
    }
  }
  if (!admission.charges_work_) return;
  const absl::Time now = absl::Now();
  double worth = 0;  // in tokens, beyond the call's first
  const absl::Duration overtime = now - admission.started_ - costs_.free_time;
  if (overtime > absl::ZeroDuration()) worth += absl::FDivDuration(overtime, costs_.token_time);
  const auto free_bytes = static_cast<uint64_t>(costs_.token_bytes);
  if (costs_.token_bytes > 0 && admission.bytes_ > free_bytes) {
    worth += static_cast<double>(admission.bytes_ - free_bytes) / costs_.token_bytes;
  }
  const double owed = worth - (cost - 1);  // what an aggregate paid up front counts
  if (owed > 0) limiter_.Charge(name, now, owed);
}

}  // namespace caunoi::gateway
