#ifndef CAUNOI_TESTS_SUPPORT_WEBHOOK_RECEIVER_H_
#define CAUNOI_TESTS_SUPPORT_WEBHOOK_RECEIVER_H_

#include <map>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

struct mg_context;
struct mg_connection;

namespace caunoi::testing {

// A real HTTP endpoint on 127.0.0.1 that webhooks are delivered to. It
// refuses (503) until `refuse_until`, then accepts (204), and keeps every
// request it answered.
class WebhookReceiver {
 public:
  struct Request {
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    int answered = 0;
    absl::Time time;
  };

  explicit WebhookReceiver(absl::Time refuse_until);
  ~WebhookReceiver();

  int port() const { return port_; }
  std::string url() const;
  std::vector<Request> requests() const;

 private:
  static int Handle(mg_connection* connection, void* self);

  const absl::Time refuse_until_;
  mg_context* context_ = nullptr;
  int port_ = 0;
  mutable absl::Mutex mutex_;
  std::vector<Request> requests_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace caunoi::testing

#endif  // CAUNOI_TESTS_SUPPORT_WEBHOOK_RECEIVER_H_
