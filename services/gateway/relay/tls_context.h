#ifndef CAUNOI_SERVICES_GATEWAY_RELAY_TLS_CONTEXT_H_
#define CAUNOI_SERVICES_GATEWAY_RELAY_TLS_CONTEXT_H_

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace caunoi::gateway::relay {

// The PEM files one side of the relay speaks TLS with.
struct TlsFiles {
  // The relay's certificate chain and key: required to serve; to reach
  // upstreams, optional (the client certificate of mutual TLS).
  std::string certificate;
  std::string key;
  // Serving: callers must present a certificate this CA signed (empty:
  // none is asked for). Reaching upstreams: the roots their certificates
  // must chain to.
  std::string ca;
};

// TLS for the relay's connections on one side, HTTP/2 by ALPN. The files
// are read again at most every `reload_interval` as connections are made,
// and a changed certificate is used from then on without a restart, as
// the gRPC servers' own reload does; connections already made keep theirs.
class TlsContext {
 public:
  enum class Side { kServe, kReach };

  // INVALID_ARGUMENT naming the file that cannot be used.
  static absl::StatusOr<std::unique_ptr<TlsContext>> Load(Side side, TlsFiles files,
                                                          absl::Duration reload_interval);
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;
  ~TlsContext();

  // A new connection's TLS, owned by the caller. Reaching, `peer_name` is
  // the name (or IP address) the upstream's certificate must be for.
  // Thread-safe.
  SSL* NewConnection(absl::string_view peer_name);

 private:
  TlsContext(Side side, TlsFiles files, absl::Duration reload_interval)
      : side_(side), files_(std::move(files)), reload_interval_(reload_interval) {}
  // The files' contents, to tell whether they changed.
  absl::StatusOr<std::string> ReadFiles() const;
  absl::StatusOr<SSL_CTX*> Build() const;

  const Side side_;
  const TlsFiles files_;
  const absl::Duration reload_interval_;
  absl::Mutex mutex_;
  SSL_CTX* context_ ABSL_GUARDED_BY(mutex_) = nullptr;
  std::string loaded_ ABSL_GUARDED_BY(mutex_);
  absl::Time next_check_ ABSL_GUARDED_BY(mutex_);
};

// The last OpenSSL error of this thread, as text, clearing the queue.
std::string TlsError();

}  // namespace caunoi::gateway::relay

#endif  // CAUNOI_SERVICES_GATEWAY_RELAY_TLS_CONTEXT_H_
