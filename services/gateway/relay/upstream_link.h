#ifndef CAUNOI_SERVICES_GATEWAY_RELAY_UPSTREAM_LINK_H_
#define CAUNOI_SERVICES_GATEWAY_RELAY_UPSTREAM_LINK_H_

#include "services/gateway/relay/http2_link.h"
#include "services/gateway/relay/relay_route.h"
#include "services/gateway/relay/resolver.h"
#include "services/gateway/relay/tls_context.h"

namespace caunoi::gateway::relay {

// A connection to an upstream server: the relay is its HTTP/2 client, and
// every call of the loop's callers to that server is one stream on it.
class UpstreamLink final : public Http2Link {
 public:
  // Starts connecting to `address`, over TLS from `tls` when set, the
  // upstream's certificate to be for `peer_name`; null when that cannot
  // even begin (no socket, or the connect failed at once).
  static UpstreamLink* Connect(RelayLoop& loop, const SocketAddress& address, TlsContext* tls,
                               absl::string_view peer_name);
  bool is_caller() const override { return false; }

  // Opens the call's stream with `headers` after the pseudo-headers; false
  // when this connection takes no more streams.
  bool Open(Exchange& exchange, const Headers& headers);
  // Whether new calls may be opened here (no GOAWAY received, ids left).
  bool TakesCalls() const;

 private:
  UpstreamLink(RelayLoop& loop, int fd, bool connecting, bool tls)
      : Http2Link(loop, fd, connecting), scheme_(tls ? "https" : "http") {}
  void OnClose() override;

  static int OnHeader(nghttp2_session* session, const nghttp2_frame* frame, const uint8_t* name,
                      size_t name_length, const uint8_t* value, size_t value_length, uint8_t flags,
                      void* user_data);
  static int OnFrame(nghttp2_session* session, const nghttp2_frame* frame, void* user_data);
  static int OnData(nghttp2_session* session, uint8_t flags, int32_t stream_id, const uint8_t* data,
                    size_t length, void* user_data);
  static int OnStreamClose(nghttp2_session* session, int32_t stream_id, uint32_t error_code,
                           void* user_data);
  static const nghttp2_session_callbacks* Callbacks();

  const char* const scheme_;
  bool refused_ = false;  // a stream could not be opened: ids ran out
};

}  // namespace caunoi::gateway::relay

#endif  // CAUNOI_SERVICES_GATEWAY_RELAY_UPSTREAM_LINK_H_
