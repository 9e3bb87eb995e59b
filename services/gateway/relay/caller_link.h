#ifndef CAUNOI_SERVICES_GATEWAY_RELAY_CALLER_LINK_H_
#define CAUNOI_SERVICES_GATEWAY_RELAY_CALLER_LINK_H_

#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/gateway/relay/http2_link.h"
#include "services/gateway/relay/relay_route.h"

namespace caunoi::gateway::relay {

// A caller's connection: the relay is its HTTP/2 server. Each request's
// headers are routed as soon as they are complete, and the request's
// bytes follow to the upstream chosen.
class CallerLink final : public Http2Link {
 public:
  // Takes the accepted socket; the loop owns the link.
  static void Accept(RelayLoop& loop, int fd, std::string peer);
  bool is_caller() const override { return true; }
  // Whether the caller has sent a first HTTP/2 frame (over TLS, after the
  // handshake) since it connected at `accepted()`.
  bool greeted() const { return greeted_; }
  absl::Time accepted() const { return accepted_; }
  const std::string& peer() const { return peer_; }
  // Asks the caller to connect again, as HTTP/2 closes a connection
  // gracefully: a GOAWAY naming no last call, so the caller starts no more
  // calls here, then FinishLeaving's naming the last call taken. The calls
  // under way finish; the connection closes when they have.
  void AskToLeave();
  bool asked_to_leave() const { return leaving_ != Leaving::kStaying; }
  // Once asked to leave, and only once.
  void FinishLeaving();

 private:
  CallerLink(RelayLoop& loop, int fd, std::string peer)
      : Http2Link(loop, fd, /*connecting=*/false), peer_(std::move(peer)) {}
  void OnClose() override;
  void Route(Exchange& exchange);

  static int OnBeginHeaders(nghttp2_session* session, const nghttp2_frame* frame, void* user_data);
  static int OnHeader(nghttp2_session* session, const nghttp2_frame* frame, const uint8_t* name,
                      size_t name_length, const uint8_t* value, size_t value_length, uint8_t flags,
                      void* user_data);
  static int OnFrame(nghttp2_session* session, const nghttp2_frame* frame, void* user_data);
  static int OnData(nghttp2_session* session, uint8_t flags, int32_t stream_id, const uint8_t* data,
                    size_t length, void* user_data);
  static int OnStreamClose(nghttp2_session* session, int32_t stream_id, uint32_t error_code,
                           void* user_data);
  static const nghttp2_session_callbacks* Callbacks();

  const std::string peer_;
  const absl::Time accepted_ = absl::Now();
  bool greeted_ = false;
  enum class Leaving { kStaying, kNoticed, kTold } leaving_ = Leaving::kStaying;
};

}  // namespace caunoi::gateway::relay

#endif  // CAUNOI_SERVICES_GATEWAY_RELAY_CALLER_LINK_H_
