#ifndef CAUNOI_SERVICES_GATEWAY_GATEKEEPER_H_
#define CAUNOI_SERVICES_GATEWAY_GATEKEEPER_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "grpcpp/server_context.h"
#include "services/gateway/rate_limiter.h"
#include "services/gateway/token_table.h"

namespace caunoi::gateway {

struct CallCosts {
  // Rate tokens an aggregate call takes up front (call_cost.h).
  double aggregate = 1;
  // A unary call that runs longer than `free_time` takes one more token
  // per `token_time` beyond it (less what an aggregate paid up front): a
  // principal's rate counts the work it causes, not only its calls.
  absl::Duration free_time = absl::ZeroDuration();
  absl::Duration token_time = absl::InfiniteDuration();
  // Likewise, a unary call whose request and answer carry more than
  // `token_bytes` together takes one more token per `token_bytes` beyond
  // them: a 500-row page or a 100 KB field is the work of many small
  // calls, however fast it runs. 0: bytes are not counted.
  int64_t token_bytes = 0;
  // Aggregates one principal may have running at once: a burst of them
  // would take every core for everyone else.
  int aggregates_in_flight = 1;
};

class Gatekeeper;

// A call let through: who makes it. When the call ends (the admission is
// destroyed) its aggregate slot is freed, and the time it ran and the
// bytes it carried beyond its cost are charged to its principal.
class Admission {
 public:
  Admission(Admission&& other) noexcept;
  Admission& operator=(Admission&&) = delete;
  ~Admission();

  const auth::Principal& principal() const { return principal_; }
  // The message bytes the call carried, request and answer, once known.
  void Carried(uint64_t bytes) { bytes_ += bytes; }

 private:
  friend class Gatekeeper;
  Admission(Gatekeeper* gatekeeper, auth::Principal principal, absl::string_view method_name,
            bool charges_work);

  Gatekeeper* gatekeeper_;  // null once moved from
  auth::Principal principal_;
  std::string method_name_;
  bool charges_work_;  // unary: its time and bytes measure the work it caused
  absl::Time started_;
  uint64_t bytes_ = 0;
};

// Every call through the gateway passes here first: who is calling
// (UNAUTHENTICATED), whether their role may call the method
// (PERMISSION_DENIED), and whether they are within their rate and their
// aggregates in flight (RESOURCE_EXHAUSTED with RetryInfo). Which locality
// a write touches is checked again by the service that owns the record.
class Gatekeeper {
 public:
  Gatekeeper(const TokenTable& tokens, RateLimiter& limiter, CallCosts costs = {})
      : tokens_(tokens), limiter_(limiter), costs_(costs) {}

  // `streams`: the call answers with a stream, whose length says how long
  // its caller listens, not how much work it causes.
  absl::StatusOr<Admission> Admit(const grpc::ServerContextBase& context,
                                  absl::string_view method_name, bool streams = false);
  // The same, from the call's request headers.
  absl::StatusOr<Admission> Admit(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
                                  absl::string_view method_name, bool streams = false);

  // The principal whose bearer token the call's metadata carries;
  // UNAUTHENTICATED naming what is wrong with the header.
  absl::StatusOr<auth::Principal> Authenticate(
      const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) const;

 private:
  friend class Admission;
  void Settle(const Admission& admission);

  const TokenTable& tokens_;
  RateLimiter& limiter_;
  const CallCosts costs_;
  absl::Mutex mutex_;
  absl::flat_hash_map<std::string, int> aggregates_running_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace caunoi::gateway

#endif  // CAUNOI_SERVICES_GATEWAY_GATEKEEPER_H_
